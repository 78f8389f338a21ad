/**
 * The hash of everything the build reads (sources, package.json, the build config), so a stale
 * dist/ can be told from a fresh one without rebuilding: the build writes it to dist/, and the
 * package tests rebuild only when it differs.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Where the build records the hash of what it was built from. */
export const BUILD_HASH_FILE = "dist/.build-hash";

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** SHA-256 over the paths and contents of src/, package.json, tsconfig*.json and the build scripts. */
export function buildHash(root: string): string {
  const inputs = [
    ...files(join(root, "src")),
    ...[
      "package.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "scripts/build.ts",
      "scripts/buildHash.ts",
    ].map((f) => join(root, f)),
  ].sort();
  const hash = createHash("sha256");
  for (const file of inputs)
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}
