// `npm run lint`: ESLint's and typescript-eslint's recommended rules, React hooks rules for the
// UI. Type checking itself is `npm run typecheck` (tsc, strict).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const AUDIT_SUBJECT_LITERAL = {
  selector: "Property[key.name='subjectType'] > Literal[value=/./]",
  message: "Name the audit subject with AUDIT_SUBJECT (app/platform/audit/subjects.ts).",
};

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "coverage/**",
      "public/build/**",
      ".cache/**",
      "app/generated/**",
      "node_modules/**",
      "var/**",
      "test-results/**",
      "playwright-report/**",
      "media-server/toolchain/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: ["app/**/*.tsx", "media-server/client/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    // Audit subjects are named once (app/platform/audit/subjects.ts; issue 12).
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", AUDIT_SUBJECT_LITERAL] },
  },
  {
    // Server time comes from one clock (app/platform/clock.server.ts; issue 11): tests can fix
    // it, production cannot move it. Browser code may read its own clock for display only.
    files: ["app/**/*.server.ts", "app/routes/**/*.ts", "server.ts"],
    ignores: ["app/platform/clock.server.ts", "**/*.test.ts"],
    rules: {
      // Listed again with the clock's: a later block's options replace an earlier one's.
      "no-restricted-syntax": [
        "error",
        AUDIT_SUBJECT_LITERAL,
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "Server time comes from app/platform/clock.server.ts: use now().",
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Server time comes from app/platform/clock.server.ts: use nowMs().",
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']:not(CallExpression > .callee)",
          message: "Server time comes from app/platform/clock.server.ts: pass nowMs, not Date.now.",
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "tests/**/*.ts"],
    languageOptions: { globals: { ...globals.vitest } },
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
