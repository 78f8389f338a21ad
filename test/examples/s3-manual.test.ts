import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/s3-manual-bptt.ts";

describe("S3 teaching variant (reduced size)", () => {
  it("computes the same gradients by hand as autodiff and lowers the loss with them", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-s3m-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    // Checked at the initial weights and at weights that saturate tanh.
    expect(Number(result.extra?.["gradientRelativeError"])).toBeLessThan(1e-4);
    expect(Number(result.extra?.["finalLoss"])).toBeLessThan(Number(result.extra?.["firstLoss"]) / 2);
  });
});
