import { describe, expect, it } from "vitest";
import { Rng } from "./random.ts";
import { addNormals, fillNormals, zigguratNormal } from "./ziggurat.ts";

describe("ziggurat normals", () => {
  it("are a pure function of the generator state, one deviate per call in fillNormals' order", () => {
    const a = fillNormals(Rng.fromSeed(7), new Float64Array(1000));
    const rng = Rng.fromSeed(7);
    const b = Float64Array.from({ length: 1000 }, () => zigguratNormal(rng));
    expect(b).toEqual(a);
    expect(fillNormals(Rng.fromSeed(8), new Float64Array(1000))).not.toEqual(a);
  });

  it("added in blocks are zigguratNormal's deviates in order, scaled, rounded to float32, the generator left alike", () => {
    // 20,000 rows of 3 of 5 columns: 60,000 deviates, enough to go through wedges and the tail.
    const rows = 20_000;
    const cols = [4, 1, 2];
    const offset = (r: number, c: number): number => 7 + r * 5 + c;
    const block = new Float32Array(7 + rows * 5).fill(0.5);
    const rng = Rng.fromSeed(11);
    addNormals(rng, block, 7, 5, rows, cols, 0.3);
    const one = Rng.fromSeed(11);
    const expected = new Float32Array(block.length).fill(0.5);
    let tail = 0;
    for (let r = 0; r < rows; r++) {
      for (const c of cols) {
        const z = zigguratNormal(one);
        tail += Math.abs(z) > 3.442619855899 ? 1 : 0;
        expected[offset(r, c)] = Math.fround(0.5 + 0.3 * z);
      }
    }
    expect(tail).toBeGreaterThan(10);
    // The first element that differs (-1: none); a whole-array diff of 100,000 floats is slow to print.
    expect(block.findIndex((v, i) => !Object.is(v, expected[i]))).toBe(-1);
    expect(rng.state()).toEqual(one.state());
    const none = Rng.fromSeed(11);
    addNormals(none, block, 0, 5, 0, cols, 1);
    expect(none.state()).toEqual(Rng.fromSeed(11).state());
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
