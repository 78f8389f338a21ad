import { describe, expect, it } from "vitest";
import {
  Rng,
  add,
  fromData,
  matmul,
  mul,
  randomUniform,
  sub,
  tanh,
  tensor,
  type Tensor,
} from "../../src/core/index.ts";
import { classifyStability, findFixedPoints, jacobians, sampleStates } from "../../src/analysis/index.ts";

const rng = Rng.fromSeed(5);

/** `Q D Qᵀ` for a random orthogonal Q (a Householder reflector) and diagonal D. */
function withEigenvalues(values: readonly number[]): { A: Float64Array; Q: Float64Array } {
  const n = values.length;
  const v = rng.fillNormal(new Float64Array(n));
  const vv = v.reduce((s, x) => s + x * x, 0);
  const Q = Float64Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    return (i === j ? 1 : 0) - (2 * (v[i] as number) * (v[j] as number)) / vv;
  });
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++)
        A[i * n + j] =
          (A[i * n + j] as number) +
          (Q[i * n + k] as number) * (values[k] as number) * (Q[j * n + k] as number);
  return { A, Q };
}

/** The affine map `h ↦ h Aᵀ + b` on rows. */
function affine(A: Float64Array, b: readonly number[]): (h: Tensor) => Tensor {
  const n = b.length;
  const At = fromData(A, [n, n]);
  const bias = tensor(b, [1, n], "float64");
  return (h) => add(matmul(h, At, { transB: true }), bias);
}

describe("findFixedPoints", () => {
  it("finds the one fixed point of a stable linear map and its known eigenvalues", () => {
    const values = [0.9, 0.5, -0.3, 0.1];
    const { A } = withEigenvalues(values);
    const b = [0.2, -0.1, 0.4, 0.3];
    const F = affine(A, b);
    const { fixedPoints } = findFixedPoints(F, {
      initialStates: randomUniform(rng, [16, 4], -2, 2, "float64"),
      uniqueDistance: 1e-3,
    });
    expect(fixedPoints).toHaveLength(1);
    const fp = fixedPoints[0]!;
    const Fh = F(fromData(fp.state, [1, 4])).data;
    fp.state.forEach((h, j) => expect(Math.abs(h - (Fh[j] as number))).toBeLessThan(1e-5));
    fp.eigenvalues.forEach((z, i) => {
      expect(z.re).toBeCloseTo(values[i] as number, 8);
      expect(z.im).toBeCloseTo(0, 8);
    });
    for (let k = 0; k < 16; k++) expect(fp.jacobian[k]).toBeCloseTo(A[k] as number, 10);
    expect(fp.stability).toBe("stable");
    expect(fp.unstableModes).toBe(0);
  });

  it("returns no fixed points, instead of failing, for a map that has none", () => {
    // h ↦ h + 1 moves every state by 1: q = ½·n everywhere, so no start gets close to a fixed point.
    const { fixedPoints, q } = findFixedPoints((h) => add(h, 1), {
      initialStates: randomUniform(rng, [8, 3], -1, 1, "float64"),
      steps: 50,
    });
    expect(fixedPoints).toEqual([]);
    expect(Math.min(...Array.from(q))).toBeCloseTo(1.5, 6);
  });

  it("finds a saddle and two stable points of a 2-D double-well map", () => {
    // x' = x + dt (x − x³), y' = y − dt y: fixed points (−1, 0), (0, 0), (1, 0).
    const dt = 0.1;
    const F = (h: Tensor) =>
      add(h, mul(sub(mul(h, tensor([1, -1], [1, 2])), mul(mul(mul(h, h), h), tensor([1, 0], [1, 2]))), dt));
    const { fixedPoints } = findFixedPoints(F, {
      initialStates: randomUniform(rng, [40, 2], -1.5, 1.5, "float64"),
      uniqueDistance: 0.01,
    });
    const byX = [...fixedPoints].sort((a, b) => (a.state[0] as number) - (b.state[0] as number));
    expect(byX.map((fp) => Array.from(fp.state).map((v) => Math.round(v * 1e4) / 1e4 + 0))).toEqual([
      [-1, 0],
      [0, 0],
      [1, 0],
    ]);
    expect(byX.map((fp) => fp.stability)).toEqual(["stable", "saddle", "stable"]);
    expect(byX.map((fp) => fp.unstableModes)).toEqual([0, 1, 0]);
    const moduli = (byX[1]?.eigenvalues ?? []).map((z) => z.re);
    expect(moduli[0]).toBeCloseTo(1 + dt, 6);
    expect(moduli[1]).toBeCloseTo(1 - dt, 6);
  });

  it("finds the three fixed points of a tanh network with float32 weights", () => {
    // h' = tanh(h W), W = diag(2, 0.5): the origin is a saddle (λ = 2, 0.5); x* = tanh(2 x*) ≈ ±0.9575
    // are stable with λ = 2 (1 − x*²) and 0.5.
    const W = tensor([
      [2, 0],
      [0, 0.5],
    ]);
    const F = (h: Tensor) => tanh(matmul(h, W));
    const { fixedPoints } = findFixedPoints(F, {
      initialStates: randomUniform(rng, [12, 2], -1, 1, "float64"),
    });
    let x = 1;
    for (let i = 0; i < 100; i++) x = Math.tanh(2 * x);
    const byX = [...fixedPoints].sort((a, b) => (a.state[0] as number) - (b.state[0] as number));
    expect(byX.map((fp) => fp.state[0])).toEqual([-x, 0, x].map((v) => expect.closeTo(v, 8)));
    expect(byX.map((fp) => fp.stability)).toEqual(["stable", "saddle", "stable"]);
    expect(byX[0]?.eigenvalues.map((z) => z.re)).toEqual(
      [0.5, 2 * (1 - x * x)].map((v) => expect.closeTo(v, 6)),
    );
  });

  it("finds points along a line attractor, each with one marginal mode", () => {
    const { A, Q } = withEigenvalues([1, 0.5, 0.2]);
    const F = affine(A, [0, 0, 0]);
    const { fixedPoints } = findFixedPoints(F, {
      initialStates: randomUniform(rng, [20, 3], -1, 1, "float64"),
      uniqueDistance: 0.05,
    });
    expect(fixedPoints.length).toBeGreaterThan(3);
    const axis = [0, 1, 2].map((i) => Q[i * 3] as number);
    for (const fp of fixedPoints) {
      const along = fp.state.reduce((s, h, j) => s + h * (axis[j] as number), 0);
      fp.state.forEach((h, j) => expect(Math.abs(h - along * (axis[j] as number))).toBeLessThan(1e-4));
      expect(fp.stability).toBe("marginal");
      expect(fp.marginalModes).toBe(1);
    }
  });
});

describe("jacobians", () => {
  it("matches central finite differences of a nonlinear map", () => {
    const W = rng.fillNormal(new Float64Array(9));
    const linear = (h: Tensor) => matmul(h, fromData(W, [3, 3]));
    const squared = (h: Tensor) => mul(linear(h), linear(h));
    const points = randomUniform(rng, [2, 3], -1, 1, "float64");
    const [J0, J1] = jacobians(squared, points);
    [J0, J1].forEach((J, p) => {
      for (let j = 0; j < 3; j++) {
        const e = 1e-6;
        const plus = Float64Array.from(points.data.subarray(p * 3, p * 3 + 3));
        const minus = plus.slice();
        plus[j] = (plus[j] as number) + e;
        minus[j] = (minus[j] as number) - e;
        const fp = squared(fromData(plus, [1, 3])).data;
        const fm = squared(fromData(minus, [1, 3])).data;
        for (let i = 0; i < 3; i++)
          expect(J![i * 3 + j]).toBeCloseTo(((fp[i] as number) - (fm[i] as number)) / (2 * e), 6);
      }
    });
  });
});

describe("classifyStability", () => {
  it.each([
    { moduli: [0.5, 0.2], stability: "stable", unstable: 0 },
    { moduli: [1.0001, 0.2], stability: "marginal", unstable: 0 },
    { moduli: [1.5, 0.2], stability: "saddle", unstable: 1 },
    { moduli: [1.5, 1.2], stability: "unstable", unstable: 2 },
  ])("calls moduli $moduli $stability", ({ moduli, stability, unstable }) => {
    const s = classifyStability(moduli.map((m) => ({ re: 0, im: m })));
    expect(s.stability).toBe(stability);
    expect(s.unstableModes).toBe(unstable);
  });
});

describe("sampleStates", () => {
  it("draws rows of the recorded states, plus noise", () => {
    const hidden = tensor(
      Array.from({ length: 2 * 3 * 2 }, (_, i) => i),
      [2, 3, 2],
    );
    const s = sampleStates(hidden, 10, rng);
    expect(s.shape).toEqual([10, 2]);
    for (let i = 0; i < 10; i++) expect((s.data[i * 2 + 1] as number) - (s.data[i * 2] as number)).toBe(1);
    const noisy = sampleStates(hidden, 10, rng, 0.1);
    expect(Array.from(noisy.data).some((v) => !Number.isInteger(v))).toBe(true);
  });
});
