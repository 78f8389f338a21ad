import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "../../src/analysis/index.ts";

describe("normalCdf", () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [2, 0.9772498680518208],
    [-3, 0.0013498980316300946],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160527e-24],
  ])("Φ(%d) = %d to 1e-13 relative", (z, p) => {
    expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-13);
  });

  it("has the density as its derivative", () => {
    for (const z of [-4, -1.3, 0, 0.7, 2.9]) {
      expect((normalCdf(z + 1e-6) - normalCdf(z - 1e-6)) / 2e-6).toBeCloseTo(normalPdf(z), 8);
    }
  });
});
