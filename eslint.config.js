// `npm run lint`: ESLint's and typescript-eslint's recommended rules, React hooks rules for the
// UI. Type checking itself is `npm run typecheck` (tsc, strict).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["build/**", "coverage/**", "public/build/**", ".cache/**", "app/generated/**", "node_modules/**", "var/**", "test-results/**", "playwright-report/**", "media-server/toolchain/**"],
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
    files: ["**/*.test.ts", "tests/**/*.ts"],
    languageOptions: { globals: { ...globals.vitest } },
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
