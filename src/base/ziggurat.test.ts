import { describe, expect, it } from "vitest";
import { Rng } from "./random.ts";
import { fillNormals, zigguratNormal } from "./ziggurat.ts";

describe("ziggurat normals", () => {
  it("are a pure function of the generator state, one deviate per call in fillNormals' order", () => {
    const a = fillNormals(Rng.fromSeed(7), new Float64Array(1000));
    const rng = Rng.fromSeed(7);
    const b = Float64Array.from({ length: 1000 }, () => zigguratNormal(rng));
    expect(b).toEqual(a);
    expect(fillNormals(Rng.fromSeed(8), new Float64Array(1000))).not.toEqual(a);
  });

  it("have the standard normal's moments, quantiles and tail mass", () => {
    const n = 1_000_000;
    const x = fillNormals(Rng.fromSeed(1), new Float64Array(n));
    const sum = { m1: 0, m2: 0, m4: 0, below1: 0, belowMinus2: 0, tail: 0 };
    for (const v of x) {
      sum.m1 += v;
      sum.m2 += v * v;
      sum.m4 += v * v * v * v;
      sum.below1 += v < 1 ? 1 : 0;
      sum.belowMinus2 += v < -2 ? 1 : 0;
      sum.tail += Math.abs(v) > 3.442619855899 ? 1 : 0;
    }
    const { m1, m2, m4, below1, belowMinus2, tail } = sum;
    // Standard errors at n = 1e6: mean 0.001, variance 0.0014, kurtosis 0.005.
    expect(Math.abs(m1 / n)).toBeLessThan(0.005);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.007);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.04);
    expect(Math.abs(below1 / n - 0.841345)).toBeLessThan(0.002);
    expect(Math.abs(belowMinus2 / n - 0.02275)).toBeLessThan(0.0008);
    // The tail beyond R (drawn by Marsaglia's exponential method): 2·(1 − Φ(R)) = 5.76e-4.
    expect(Math.abs(tail / n - 5.76e-4)).toBeLessThan(1.2e-4);
  });
});
