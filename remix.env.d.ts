/// <reference types="@remix-run/node" />

// The classic compiler turns a stylesheet import into the URL of the built file.
declare module "*.css" {
  const href: string;
  export default href;
}
