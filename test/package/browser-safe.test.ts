/**
 * The package root must run in a browser: nothing it imports (transitively, type-only imports
 * aside) may reach a `node:` module. File helpers live in the Node-only entry `braints/node`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = join(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Every `node:` import reachable from `entry`, with the file that makes it. */
function nodeImports(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)) {
      const [, , typeOnly, spec] = m as unknown as [string, string, string | undefined, string];
      if (typeOnly) continue;
      if (spec.startsWith("node:")) found.push(`${file.slice(src.length + 1)} imports ${spec}`);
      else if (spec.startsWith(".")) {
        const next = normalize(join(dirname(file), spec));
        if (existsSync(next)) visit(next);
      }
    }
  };
  visit(entry);
  return found;
}

describe("package entries", () => {
  it("keeps the main entry free of Node built-ins", () => {
    expect(nodeImports(join(src, "index.ts"))).toEqual([]);
  });

  it("finds the Node built-ins of the Node-only entry (the scan works)", () => {
    expect(nodeImports(join(src, "node.ts")).some((s) => s.includes("node:fs"))).toBe(true);
  });
});
