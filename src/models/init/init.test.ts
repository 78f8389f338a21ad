import { describe, expect, it } from "vitest";
import { Rng, matmul, transpose, eye } from "../../index.ts";
import { eigenvalues, modulus } from "../../analysis/index.ts";
import { maxAbsDiff } from "../../../test/models/helpers.ts";
import { daleSigns } from "../rnn/dale.ts";
import { orthogonal } from "./orthogonal.ts";
import { gaussianSpectral, spectralRadius } from "./spectral.ts";
import { initWeight } from "./spec.ts";
import { kaimingNormal, varianceScaling, xavierUniform } from "./variance.ts";

const variance = (data: ArrayLike<number>) => {
  const xs = Array.from(data);
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
};

describe("initialisers", () => {
  it("orthogonal gives QᵀQ = I (square, tall) and QQᵀ = I (wide)", () => {
    const q = orthogonal(Rng.fromSeed(0), 16, 16, 1, "float64");
    expect(maxAbsDiff(matmul(transpose(q), q), eye(16, "float64"))).toBeLessThan(1e-12);
    const tall = orthogonal(Rng.fromSeed(1), 12, 5, 1, "float64");
    expect(maxAbsDiff(matmul(transpose(tall), tall), eye(5, "float64"))).toBeLessThan(1e-12);
    const wide = orthogonal(Rng.fromSeed(2), 4, 9, 1, "float64");
    expect(maxAbsDiff(matmul(wide, transpose(wide)), eye(4, "float64"))).toBeLessThan(1e-12);
  });

  it("draws Kaiming and Xavier weights with the variance they promise", () => {
    expect(variance(kaimingNormal(Rng.fromSeed(0), [200, 300]).data)).toBeCloseTo(2 / 200, 3);
    expect(variance(xavierUniform(Rng.fromSeed(0), [200, 300]).data)).toBeCloseTo(2 / 500, 3);
    const truncated = varianceScaling(Rng.fromSeed(0), [400, 400], {
      scale: 1,
      distribution: "truncatedNormal",
    });
    expect(variance(truncated.data)).toBeCloseTo(1 / 400, 4);
    const largest = Array.from(truncated.data, Math.abs).reduce((a, b) => Math.max(a, b), 0);
    expect(largest).toBeLessThanOrEqual(2 / 20 / 0.8796256610342398 + 1e-6);
  });

  it("measures the spectral radius by power iteration within 1% of the exact value", () => {
    const w = initWeight(Rng.fromSeed(5), [60, 60], "normal", { where: "test", option: "init" });
    const exact = Math.max(...eigenvalues(Float64Array.from(w.data), 60).map(modulus));
    expect(Math.abs(spectralRadius(w) - exact) / exact).toBeLessThan(0.01);
  });

  it("balances E and I before rescaling to the target radius under Dale's law", () => {
    const signs = daleSigns(50, 0.8);
    const w = gaussianSpectral(Rng.fromSeed(0), 50, { radius: 1.5, signs, dtype: "float64" });
    expect(Math.min(...w.data)).toBeGreaterThanOrEqual(0);
    const signed = Float64Array.from(w.data, (x, k) => x * (signs[Math.floor(k / 50)] as number));
    const exact = Math.max(...eigenvalues(signed, 50).map(modulus));
    expect(Math.abs(exact - 1.5) / 1.5).toBeLessThan(0.01);
    // balanced: every column's expected E and I input cancel, so column sums are small
    let total = 0;
    for (let j = 0; j < 50; j++) for (let i = 0; i < 50; i++) total += signed[i * 50 + j] as number;
    expect(Math.abs(total / 50)).toBeLessThan(0.5);
  });

  it("names the option and the allowed initialisers when a spec is unknown", () => {
    expect(() =>
      initWeight(Rng.fromSeed(0), [2, 2], "glorot" as never, { where: "gru", option: "init" }),
    ).toThrow(
      'gru: init must be one of "kaimingNormal", "kaimingNormalTruncated", "kaimingUniform", "xavierNormal", "xavierUniform", "orthogonal", "identity", "spectral", "normal", "pytorch", "zeros", got "glorot"',
    );
  });
});
