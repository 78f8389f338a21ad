// @ts-check
import tseslint from "typescript-eslint";

/**
 * The layers (docs/architecture.md), lowest first, with the folders each may import besides its
 * own. A relative import spells the folder it reaches (`../core/x.ts`, `../../base/x.ts`), so a
 * pattern on the specifier enforces the picture.
 */
const FOLDERS = [
  "base",
  "tasks",
  "kernels",
  "linalg",
  "core",
  "models",
  "data",
  "optim",
  "train",
  "analysis",
  "fit",
  "plot",
  "io",
  "app",
  "cli",
];
const LEAVES = {
  base: [],
  tasks: ["base"],
  kernels: ["base"],
  linalg: ["base"],
  core: ["base", "kernels"],
};
const LIBRARY = ["models", "data", "optim", "train", "analysis", "fit", "plot", "io"];
/** Packages the library may load only by dynamic import (plotting) or never (the application's). */
const HEAVY = ["vega", "vega-lite", "zod", "yaml", "commander", "cli-progress", "bullmq", "ioredis"];

/**
 * The WebAssembly backend's internals (its memory, what it keeps there) are the kernels' own: the
 * layers above reach a backend through src/kernels/index.ts (e.g. `keepingOperands`, `forgetResident`).
 */
const WASM_INTERNALS = {
  regex: "^(\\.\\.?/)+kernels/wasm/",
  message: "outside src/kernels, reach the WebAssembly backend only through src/kernels/index.ts",
};

/** A rule config for `files`: no relative import into `banned` folders, no value import of `packages`. */
function layer(files, banned, why, packages = []) {
  const patterns = packages.map((name) => ({
    regex: `^${name}(/|$)`,
    allowTypeImports: true,
    message: `the library loads ${name} only by dynamic import where it is needed, so importing braints stays light`,
  }));
  if (!files.some((f) => f.startsWith("src/kernels/"))) patterns.unshift(WASM_INTERNALS);
  if (banned.length > 0) patterns.unshift({ regex: `^(\\.\\.?/)+(${banned.join("|")})/`, message: why });
  return {
    files,
    ignores: TESTS,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns }] },
  };
}
const TESTS = ["**/*.test.ts", "**/*.fixture.ts", "src/kernels/test-util.ts"];
const others = (allowed) => FOLDERS.filter((f) => !allowed.includes(f));

export default tseslint.config(
  {
    ignores: [
      ".scratch/**",
      "node_modules/**",
      "src/kernels/wasm/assembly/**",
      "src/kernels/wasm/*.generated.ts",
      "runs/**",
      "out/**",
      "dist/**",
      "docs/api/**",
      "web/dist/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use the seeded PRNG in src/base/random.ts." },
      ],
    },
  },
  ...Object.entries(LEAVES).map(([folder, below]) =>
    layer(
      [`src/${folder}/**/*.ts`],
      others([folder, ...below]),
      below.length > 0
        ? `src/${folder} may import only ${below.map((b) => `src/${b}`).join(", ")}`
        : `src/${folder} imports nothing of ours`,
      HEAVY,
    ),
  ),
  layer(
    [...LIBRARY.map((f) => `src/${f}/**/*.ts`), "src/index.ts", "src/tasks.ts"],
    ["app", "cli"],
    "the library never imports the application layer (src/app) or the command line (src/cli)",
    HEAVY,
  ),
  layer(
    ["src/app/**/*.ts", "src/recipes.ts", "src/node.ts"],
    ["cli"],
    "src/app never imports the command line",
  ),
);
