import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/s4c-spiking-classification.ts";

describe("S4c example (reduced size)", () => {
  it("trains the spiking classifier through surrogate gradients and draws its raster and traces", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-s4c-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    // Labels are random coin flips: only learning (memorising) lifts accuracy above ~0.5.
    expect(result.value).toBeGreaterThan(0.7);
    expect(Number(result.extra?.["finalLoss"])).toBeLessThan(Number(result.extra?.["firstLoss"]) - 0.1);
    const raster = readFileSync(result.figures[1] as string, "utf8");
    const spikes = Number(result.extra?.["hiddenSpikesSample0"]);
    expect(spikes).toBeGreaterThan(0);
    expect(raster.match(/aria-roledescription="(point|tick|symbol)"/g)?.length ?? 0).toBeGreaterThan(0);
  });
});
