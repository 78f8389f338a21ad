/**
 * Builds the package into dist/: one ESM bundle per public entry point (code they share goes to
 * common chunks, so `braints` and `braints/tasks` hand out the same classes), the `braints`
 * command, and the type declarations with declaration maps back to src/. Bundling keeps the
 * number of modules Node loads at import small (import time is mostly per-module cost); runtime
 * dependencies stay external and are loaded only where used.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUILD_HASH_FILE, buildHash } from "./buildHash.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
};

/** The public entry points (see `exports` in package.json) and the command. */
export const ENTRY_POINTS = [
  "src/index.ts",
  "src/tasks.ts",
  "src/plot/index.ts",
  "src/recipes.ts",
  "src/node.ts",
  "src/cli/main.ts",
];

const hash = buildHash(root);
rmSync(join(root, "dist"), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ENTRY_POINTS,
  outbase: "src",
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  external: [...Object.keys(pkg.dependencies ?? {}), "node:*"],
  logLevel: "warning",
});

execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});

/** Declarations keep the sources' `.ts` import paths; point them at the emitted `.d.ts` via `.js`. */
function rewriteDeclarations(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) rewriteDeclarations(path);
    else if (entry.name.endsWith(".d.ts")) {
      const text = readFileSync(path, "utf8");
      // Same length (".ts" -> ".js"), so the declaration maps stay exact.
      writeFileSync(path, text.replace(/((?:from|import)\s*\(?\s*"\.{1,2}\/[^"]*)\.ts"/g, '$1.js"'));
    }
  }
}
rewriteDeclarations(join(root, "dist"));
writeFileSync(join(root, BUILD_HASH_FILE), `${hash}\n`);
