import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/index.ts";
import { type Complex, eigenvalues, solveLinear, symmetricEigen } from "../../src/analysis/index.ts";

const rng = Rng.fromSeed(11);

function randomMatrix(n: number): Float64Array {
  return rng.fillNormal(new Float64Array(n * n));
}

/** `Q = I − 2 v vᵀ / vᵀv`, a random orthogonal (Householder) matrix. */
function reflector(n: number): Float64Array {
  const v = rng.fillNormal(new Float64Array(n));
  const vv = v.reduce((s, x) => s + x * x, 0);
  return Float64Array.from({ length: n * n }, (_, k) => {
    const i = Math.floor(k / n);
    const j = k % n;
    return (i === j ? 1 : 0) - (2 * (v[i] as number) * (v[j] as number)) / vv;
  });
}

function matmul(a: Float64Array, b: Float64Array, n: number, transposeB = false): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++)
        s += (a[i * n + k] as number) * (transposeB ? (b[j * n + k] as number) : (b[k * n + j] as number));
      out[i * n + j] = s;
    }
  return out;
}

const byValue = (z: Complex[]) => [...z].sort((u, v) => u.re - v.re || u.im - v.im);

describe("symmetricEigen", () => {
  it.each([1, 2, 5, 12, 40])("decomposes a random %i×%i symmetric matrix to 1e-10", (n) => {
    const r = randomMatrix(n);
    const a = Float64Array.from(
      { length: n * n },
      (_, k) => (r[k] as number) + (r[(k % n) * n + Math.floor(k / n)] as number),
    );
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) {
      if (i > 0) expect(values[i] as number).toBeLessThanOrEqual(values[i - 1] as number);
      for (let r2 = 0; r2 < n; r2++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += (a[r2 * n + k] as number) * (vectors[i * n + k] as number);
        expect(Math.abs(av - (values[i] as number) * (vectors[i * n + r2] as number))).toBeLessThan(1e-10);
      }
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += (vectors[i * n + k] as number) * (vectors[j * n + k] as number);
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it("finds repeated eigenvalues of a known matrix", () => {
    const q = reflector(4);
    const d = new Float64Array(16);
    [5, 2, 2, -1].forEach((v, i) => (d[i * 4 + i] = v));
    const a = matmul(matmul(q, d, 4), q, 4, true);
    const { values } = symmetricEigen(a, 4);
    [5, 2, 2, -1].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 12));
  });
});

describe("eigenvalues", () => {
  it("finds real and complex eigenvalues of Q B Qᵀ for a known block-diagonal B", () => {
    // Blocks: 0.5, -2, [[0.3, -0.8], [0.8, 0.3]] (0.3 ± 0.8i), [[1, -2], [2, 1]] (1 ± 2i), 0.
    const n = 7;
    const b = new Float64Array(n * n);
    const put = (i: number, j: number, v: number) => (b[i * n + j] = v);
    put(0, 0, 0.5);
    put(1, 1, -2);
    put(2, 2, 0.3);
    put(2, 3, -0.8);
    put(3, 2, 0.8);
    put(3, 3, 0.3);
    put(4, 4, 1);
    put(4, 5, -2);
    put(5, 4, 2);
    put(5, 5, 1);
    const q = reflector(n);
    const a = matmul(matmul(q, b, n), q, n, true);
    const expected = byValue([
      { re: 0.5, im: 0 },
      { re: -2, im: 0 },
      { re: 0.3, im: 0.8 },
      { re: 0.3, im: -0.8 },
      { re: 1, im: 2 },
      { re: 1, im: -2 },
      { re: 0, im: 0 },
    ]);
    const got = byValue(eigenvalues(a, n));
    got.forEach((z, i) => {
      expect(z.re).toBeCloseTo((expected[i] as Complex).re, 10);
      expect(z.im).toBeCloseTo((expected[i] as Complex).im, 10);
    });
  });

  it("sorts by modulus and keeps trace and determinant of a random matrix", () => {
    const n = 30;
    const a = randomMatrix(n);
    const z = eigenvalues(a, n);
    const mods = z.map((w) => Math.hypot(w.re, w.im));
    expect(mods.every((m, i) => i === 0 || m <= (mods[i - 1] as number))).toBe(true);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i] as number;
    expect(z.reduce((s, w) => s + w.re, 0)).toBeCloseTo(trace, 9);
    expect(Math.abs(z.reduce((s, w) => s + w.im, 0))).toBeLessThan(1e-9);
  });

  it("handles the rotation matrix and the 1×1 case", () => {
    expect(eigenvalues([0, -1, 1, 0], 2)).toEqual([
      { re: 0, im: 1 },
      { re: 0, im: -1 },
    ]);
    expect(eigenvalues([3], 1)).toEqual([{ re: 3, im: 0 }]);
  });
});

describe("solveLinear", () => {
  it("solves a random system and rejects a singular one", () => {
    const n = 6;
    const a = randomMatrix(n);
    const x = rng.fillNormal(new Float64Array(n));
    const b = Float64Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (x[k] as number);
      return s;
    });
    solveLinear(a, b, n).forEach((v, i) => expect(v).toBeCloseTo(x[i] as number, 10));
    expect(() => solveLinear([1, 2, 2, 4], [1, 1], 2)).toThrow("solveLinear: matrix is singular");
  });
});
