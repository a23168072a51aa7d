// @ts-check
// Flat config: JavaScript and TypeScript recommended rules, React hooks rules for
// the console. Type-aware linting is left to `tsc --noEmit`, which CI runs anyway.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** `group` patterns for a project folder, by relative path or the `@/` alias. */
const folder = (/** @type {string} */ name) => [`**/${name}/**`, `@/${name}/**`, `@/${name}`];

const BROWSER_MESSAGE =
  "The browser bundle takes only types from server/ (import type …); runtime code it shares lives in lib/, protocol/ or a pure platform module (server/platform/roles, server/platform/errors).";
/** Any import of server/ but the pure modules (no I/O, no Node-only imports) the console may run as they are. */
const BROWSER_SERVER_IMPORT = String.raw`^(@/|(\.\./)+)server(/(?!platform/(roles|errors)$).*)?$`;

function layers() {
  const rule = (
    /** @type {string[]} */ files,
    /** @type {string[]} */ banned,
    /** @type {string} */ message,
    allowTypeImports = false,
    /** @type {object[]} */ more = [],
  ) => ({
    files,
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [...(banned.length ? [{ group: banned.flatMap(folder), message, allowTypeImports }] : []), ...more] },
      ],
    },
  });
  return [
    rule(["server/**"], ["app", "components", "lib", "workers"], "server/ is below app/, components/, lib/ and workers/: it never imports them (DESIGN §1)."),
    rule(["agent/**"], ["server", "app", "workers", "components", "lib"], "The agent shares only protocol/ with the control plane (DESIGN §1)."),
    rule(
      ["protocol/**"],
      ["server", "app", "workers", "components", "lib", "agent"],
      "protocol/ is the contract both sides import; it imports nothing of the project.",
    ),
    // Their tests are not bundled: they may check the browser's code against the server's.
    {
      ...rule(["components/**", "lib/**"], ["workers", "agent"], BROWSER_MESSAGE, true, [
        { regex: BROWSER_SERVER_IMPORT, message: BROWSER_MESSAGE, allowTypeImports: true },
      ]),
      ignores: ["**/*.test.ts"],
    },
    rule(["workers/**"], ["app", "components"], "Workers run beside the web app, never inside it: they do not import app/ or components/."),
  ];
}

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "server/platform/db/generated/**",
      ".data/**",
      "dist/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat["recommended-latest"],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_`-prefixed names are deliberately unused (ignored parameters, rest omissions).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "no-unused-vars": "off",
      // React Compiler diagnostics, new in react-hooks 7. They flag common, working
      // patterns (reading localStorage in a mount effect to stay hydration-safe,
      // Date.now() for "3 min ago"): shown as warnings to fix over time, not gates.
      "react-hooks/set-state-in-effect": "warn",
      "react-hooks/purity": "warn",
    },
  },
  // The arrows of DESIGN §1, enforced: a layer never imports one above it, so the
  // house cannot quietly grow a cycle. Tests follow the rules of the folder they are in.
  ...layers(),
  {
    // Playwright fixtures that use no other fixture must be written `async ({}, use)`.
    files: ["e2e/**"],
    rules: { "no-empty-pattern": "off" },
  },
);
