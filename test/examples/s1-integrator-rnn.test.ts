import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/s1-integrator-rnn.ts";
import { countItems, titles } from "../plot/svg.ts";

describe("S1: integrator RNN (reduced size)", () => {
  it("integrates fresh sequences far better than answering 0, and plots loss and predictions", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-s1-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    expect(result.example).toBe("S1");
    const extra = result.extra ?? {};
    const zero = extra["zeroPredictorMse"] as number;
    expect(zero).toBeGreaterThan(0.3);
    expect(result.value).toBeLessThan(zero / 50);
    expect(extra["steps"]).toBe(200);

    const [loss, predictions] = result.figures.map((path) => readFileSync(path, "utf8")) as [string, string];
    expect(loss.startsWith("<svg")).toBe(true);
    expect(titles(loss)).toContain("Integrator RNN (S1): training loss");
    // the loss line and the held-out MSE line (one point per epoch)
    expect(countItems(loss, "line")).toBe(2);
    expect(countItems(loss, "symbol")).toBe(2);
    expect(predictions.startsWith("<svg")).toBe(true);
    expect(titles(predictions)).toContain("Integrator RNN (S1): predictions vs targets");
    // target and prediction for three test sequences
    expect(countItems(predictions, "line")).toBe(6);
  });
});
