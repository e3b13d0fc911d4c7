// Module boundaries of the app (docs: app/README.md, /docs conventions) and no import cycles
// anywhere. Run by `npm run lint` after ESLint. Tests (*.test.ts) may import anything, but not in
// a cycle.
const TEST = "\\.test\\.tsx?$";
const FEATURE_INDEX = "^app/features/[^/]+/index\\.ts$";
const CRYPTO_ENTRY = "^crypto/(browser|index\\.node)\\.ts$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle. Break it (pass the dependency in, or move the shared part down a layer).",
      from: {},
      to: { circular: true },
    },
    {
      name: "app-top-level-is-the-shell",
      severity: "error",
      comment: "app/ holds root.tsx and the two entries at its top; everything else goes in a folder (app/README.md).",
      from: { path: "^app/[^/]+$", pathNot: "^app/(root\\.tsx|entry\\.(client|server)\\.tsx)$" },
      to: {},
    },
    {
      name: "routes-through-feature-index",
      severity: "error",
      comment: "Routes (and root/entry) use a feature only through its index.ts.",
      from: { path: "^app/(routes/|root\\.tsx|entry\\.)", pathNot: TEST },
      to: { path: "^app/features/", pathNot: FEATURE_INDEX },
    },
    {
      name: "feature-to-feature-through-index",
      severity: "error",
      comment: "A feature uses another feature only through that feature's index.ts.",
      from: { path: "^app/features/([^/]+)/", pathNot: TEST },
      to: { path: "^app/features/", pathNot: ["^app/features/$1/", FEATURE_INDEX] },
    },
    {
      name: "features-not-routes-or-services",
      severity: "error",
      comment: "Features never import routes, root/entry or services/ (the process's composition).",
      from: { path: "^app/features/", pathNot: TEST },
      to: { path: "^app/(routes/|services/|root\\.tsx|entry\\.)" },
    },
    {
      name: "platform-and-ui-import-no-feature",
      severity: "error",
      comment: "platform/ and ui/ are what features stand on: they import no feature, route or service.",
      from: { path: "^app/(platform|ui)/", pathNot: TEST },
      to: { path: "^app/(features|routes|services)/" },
    },
    {
      name: "ui-not-server",
      severity: "error",
      comment: "ui/ is shared by browser and server; only ui's own *.server.ts may use platform/.",
      from: { path: "^app/ui/", pathNot: ["\\.server\\.ts$", TEST] },
      to: { path: "^app/platform/" },
    },
    {
      name: "app-uses-crypto-entry-points",
      severity: "error",
      comment: "The app imports crypto/ only through crypto/browser.ts and crypto/index.node.ts.",
      from: { path: "^app/", pathNot: TEST },
      to: { path: "^crypto/", pathNot: CRYPTO_ENTRY },
    },
    {
      name: "browser-code-uses-crypto-browser",
      severity: "error",
      comment: "Code bundled for the browser (*.browser.ts, *.tsx) imports crypto/browser.ts, never the Node entry.",
      from: { path: "^app/.*(\\.browser\\.ts|\\.tsx)$" },
      to: { path: "^crypto/index\\.node\\.ts$" },
    },
    {
      name: "media-server-only-from-witness",
      severity: "error",
      comment: "Only features/witness talks to the media server: its browser client, witness tokens and the recording manifest.",
      from: { path: "^app/", pathNot: ["^app/features/witness/", TEST] },
      to: { path: "^media-server/" },
    },
    {
      name: "witness-uses-media-server-public-parts",
      severity: "error",
      from: { path: "^app/features/witness/" },
      to: { path: "^media-server/", pathNot: "^media-server/(client/|token\\.ts$|recording/manifest\\.ts$)" },
    },
    {
      name: "bidding-core-is-pure",
      severity: "error",
      comment: "bidding-core imports nothing with I/O: no app, crypto or media-server, no Node built-ins.",
      from: { path: "^bidding-core/", pathNot: TEST },
      to: { path: "^(app|crypto|media-server)/" },
    },
    {
      name: "bidding-core-no-node-builtins",
      severity: "error",
      from: { path: "^bidding-core/", pathNot: TEST },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "crypto-takes-only-canonical-json-from-bidding-core",
      severity: "error",
      comment:
        "crypto/ signs the one canonical JSON (decision 061), which lives in bidding-core; nothing else of the law belongs in crypto/.",
      from: { path: "^crypto/", pathNot: TEST },
      to: { path: "^bidding-core/", pathNot: "^bidding-core/canonical-json\\.ts$" },
    },
    {
      name: "no-app-from-libraries",
      severity: "error",
      comment: "crypto/, bidding-core/ and media-server/ never import app/.",
      from: { path: "^(crypto|bidding-core|media-server)/" },
      to: { path: "^app/" },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^app/generated/"] },
    exclude: { path: ["^media-server/toolchain/", "^build/", "^public/build/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
