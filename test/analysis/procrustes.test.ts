import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { ShapeError, ValueError } from "../../src/base/errors.ts";
import { fromData } from "../../src/core/tensor.ts";
import { procrustesSimilarity } from "../../src/analysis/population/procrustes.ts";

/** `[rows, cols]` of standard normal deviates. */
function gaussian(rng: Rng, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

/** A random orthogonal `[n, n]` by Gram–Schmidt on Gaussian columns (row-major). */
function orthogonal(rng: Rng, n: number): Float64Array {
  const cols: number[][] = [];
  while (cols.length < n) {
    const v = Array.from({ length: n }, () => rng.normal());
    for (const u of cols) {
      const d = v.reduce((s, x, i) => s + x * (u[i] as number), 0);
      v.forEach((_, i) => (v[i] = (v[i] as number) - d * (u[i] as number)));
    }
    const norm = Math.hypot(...v);
    cols.push(v.map((x) => x / norm));
  }
  return Float64Array.from({ length: n * n }, (_, k) => cols[k % n]?.[Math.floor(k / n)] as number);
}

/** `a [N, p] · b [p, q]`. */
function matmul(a: Float64Array, b: Float64Array, N: number, p: number, q: number): Float64Array {
  const out = new Float64Array(N * q);
  for (let i = 0; i < N; i++)
    for (let k = 0; k < p; k++)
      for (let j = 0; j < q; j++)
        out[i * q + j] = (out[i * q + j] as number) + (a[i * p + k] as number) * (b[k * q + j] as number);
  return out;
}

const m = (data: Float64Array, rows: number, cols: number) => fromData(data, [rows, cols]);

describe("procrustesSimilarity", () => {
  it("is 1 for a rotated, scaled and shifted copy, also with a zero unit padding the copy", () => {
    const rng = Rng.fromSeed(1);
    const x = gaussian(rng, 300, 4);
    const rotated = matmul(x, orthogonal(rng, 4), 300, 4, 4).map((v) => 2.5 * v + 3);
    expect(procrustesSimilarity(m(x, 300, 4), m(rotated, 300, 4))).toBeCloseTo(1, 10);
    const padded = Float64Array.from({ length: 300 * 5 }, (_, k) =>
      k % 5 === 4 ? 0 : (rotated[Math.floor(k / 5) * 4 + (k % 5)] as number),
    );
    expect(procrustesSimilarity(m(x, 300, 4), m(padded, 300, 5))).toBeCloseTo(1, 10);
    expect(procrustesSimilarity(m(padded, 300, 5), m(x, 300, 4))).toBeCloseTo(1, 10);
  });

  it("is near 0 for independent noise", () => {
    const rng = Rng.fromSeed(2);
    const s = procrustesSimilarity(m(gaussian(rng, 4000, 3), 4000, 3), m(gaussian(rng, 4000, 3), 4000, 3));
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThan(0.08);
  });

  it("is the absolute Pearson correlation for one unit each", () => {
    const rng = Rng.fromSeed(3);
    const x = gaussian(rng, 500, 1);
    const y = x.map((v) => -v + 0.8 * rng.normal());
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const [mx, my] = [mean(x), mean(y)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    x.forEach((v, i) => {
      sxy += (v - mx) * ((y[i] as number) - my);
      sxx += (v - mx) ** 2;
      syy += ((y[i] as number) - my) ** 2;
    });
    expect(procrustesSimilarity(m(x, 500, 1), m(y, 500, 1))).toBeCloseTo(
      Math.abs(sxy / Math.sqrt(sxx * syy)),
      12,
    );
  });

  it("is 1/√2 when the copy loses one of two equal axes (worked by hand)", () => {
    const x = new Float64Array([1, 0, 0, 1, -1, 0, 0, -1]);
    const y = new Float64Array([1, 0, 0, 0, -1, 0, 0, 0]);
    expect(procrustesSimilarity(m(x, 4, 2), m(y, 4, 2))).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("refuses other row counts and constant responses, naming what must hold", () => {
    expect(() => procrustesSimilarity(m(new Float64Array(6), 3, 2), m(new Float64Array(4), 2, 2))).toThrow(
      new ShapeError(
        "procrustesSimilarity: x and y must be [N, p] and [N, q] with the same N >= 2, got [3, 2] and [2, 2]",
      ),
    );
    expect(() =>
      procrustesSimilarity(m(new Float64Array(6).fill(1), 3, 2), m(new Float64Array([1, 2, 3]), 3, 1)),
    ).toThrow(ValueError);
  });
});
