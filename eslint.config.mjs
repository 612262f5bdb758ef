// ESLint (pinned in package.json, run by `make lint`): the recommended rules, plus a few that
// catch what reviews of this code kept finding (a `==`, a `var`, a variable never reassigned
// declared with `let`, a shadowed name, an unused argument). Each file is linted with the
// globals of where it runs: the pages (browser modules), the engine's module worker, the
// offline service worker, and Node for the build and test helpers.
import js from "@eslint/js";
import globals from "globals";

const SITE = "overrides/assets/javascripts/crible/";

const shared = {
  ...js.configs.recommended.rules,
  eqeqeq: ["error", "always"],
  "no-var": "error",
  "prefer-const": "error",
  "no-shadow": "error",
  "no-unused-vars": ["error", { args: "all", argsIgnorePattern: "^_", caughtErrors: "all", caughtErrorsIgnorePattern: "^_" }],
  "no-implicit-coercion": "error",
  "no-throw-literal": "error",
  "prefer-promise-reject-errors": "error",
  "no-console": ["error", { allow: ["error", "warn"] }],
};

export default [
  { ignores: ["node_modules/", "site/", ".venv/", "bench/reference/", "**/.cache/"] },
  {
    files: [`${SITE}**/*.js`],
    ignores: [`${SITE}worker.js`, `${SITE}sw-template.js`, `${SITE}search-later.js`],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.browser },
    rules: shared,
  },
  {
    files: [`${SITE}worker.js`],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.worker },
    rules: shared,
  },
  {
    // Material's search worker, started late: a classic worker (it calls importScripts).
    files: [`${SITE}search-later.js`],
    languageOptions: { ecmaVersion: 2023, sourceType: "script", globals: globals.worker },
    rules: shared,
  },
  {
    // A classic script (the build writes its manifest in place of the marked `null`).
    files: [`${SITE}sw-template.js`],
    languageOptions: { ecmaVersion: 2023, sourceType: "script", globals: globals.serviceworker },
    rules: shared,
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.node },
    rules: { ...shared, "no-console": "off" },
  },
];
