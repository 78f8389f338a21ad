import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/s2-parametric-working-memory.ts";

describe("S2 example (reduced size)", () => {
  it("learns the delayed comparison and plots PCA trajectories of 100 trials", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-s2-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    // Chance on the decision steps is 0.5; 400 steps reach about 0.8.
    expect(result.value).toBeGreaterThan(0.7);
    const pcaSvg = readFileSync(result.figures[1] as string, "utf8");
    expect(pcaSvg.match(/aria-roledescription="line mark"/g)?.length).toBe(100);
    expect(pcaSvg).toContain("PC 1");
  });
});
