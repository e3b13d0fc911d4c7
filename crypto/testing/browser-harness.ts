/** Bundled by esbuild for the Chromium test page: exposes the browser entry as window.mb. */
import * as mb from "../browser.ts";
import { extractVectorParts } from "../test-vectors/vector.ts";

declare global {
  interface Window {
    mb: typeof mb & { extractVectorParts: typeof extractVectorParts };
  }
}

window.mb = { ...mb, extractVectorParts };
