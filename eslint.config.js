// @ts-check
// Flat config: JavaScript and TypeScript recommended rules, React hooks rules for
// the console. Type-aware linting is left to `tsc --noEmit`, which CI runs anyway.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", "server/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat["recommended-latest"],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_`-prefixed names are deliberately unused (ignored parameters, rest omissions).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-unused-vars": "off",
      // React Compiler diagnostics, new in react-hooks 7. They flag common, working
      // patterns (reading localStorage in a mount effect to stay hydration-safe,
      // Date.now() for "3 min ago"): shown as warnings to fix over time, not gates.
      "react-hooks/set-state-in-effect": "warn",
      "react-hooks/purity": "warn",
    },
  },
  {
    // Playwright fixtures that use no other fixture must be written `async ({}, use)`.
    files: ["e2e/**"],
    rules: { "no-empty-pattern": "off" },
  },
);
