import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/s0-horn-delayed-match.ts";
import { countItems, titles } from "../plot/svg.ts";

describe("S0: HORN on delayed match-to-sample (reduced size)", () => {
  // Two symbols give four distinct trials (cue × probe), so the test split repeats the training
  // trials: this is accuracy on the task's four trials, not on held-out ones.
  it("learns the task's four distinct trials well above chance and plots loss and accuracy", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-s0-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    expect(result.example).toBe("S0");
    expect(result.metric).toBe("test accuracy (64 test trials of the 4 distinct ones)");
    // Chance is 0.5; with four distinct trials, 0.75 means at least three are solved.
    expect(result.value).toBeGreaterThanOrEqual(0.75);
    const extra = result.extra ?? {};
    expect(extra["epochs"]).toBe(16);
    // Cross-entropy at chance is ln 2 ≈ 0.69.
    expect(extra["finalTrainLoss"]).toBeLessThan(0.5);

    const [loss, acc] = result.figures.map((path) => readFileSync(path, "utf8")) as [string, string];
    expect(loss.startsWith("<svg")).toBe(true);
    expect(titles(loss)).toContain("HORN on delayed match-to-sample: training loss");
    // the per-step loss line, and the test accuracy line with one point per epoch
    expect(countItems(loss, "line")).toBe(2);
    expect(countItems(loss, "symbol")).toBe(16);
    expect(acc.startsWith("<svg")).toBe(true);
    expect(titles(acc)).toContain("HORN on delayed match-to-sample: accuracy");
    expect(countItems(acc, "line")).toBe(2);
    expect(countItems(acc, "rule")).toBe(1);
  });
});
