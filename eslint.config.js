// @ts-check
import tseslint from "typescript-eslint";

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
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use the seeded PRNG in src/core/random.ts." },
      ],
    },
  },
);
