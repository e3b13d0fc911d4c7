/** Remix 2, classic compiler (esbuild). The custom server (server.ts) imports build/index.js. */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // crypto/ runs in the bidder's browser; node-forge probes Node's `crypto` and falls back to its
  // own code when it is absent, so an empty module is the correct browser shim.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    // json()/defer() responses are kept; single fetch is adopted with the move to React Router 7.
    v3_singleFetch: false,
  },
  browserNodeBuiltinsPolyfill: { modules: { crypto: "empty" } },
};
