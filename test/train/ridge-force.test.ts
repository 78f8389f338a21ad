import { describe, expect, it } from "vitest";
import { ForceTrainer, Rng, RidgeTrainer, Tensor, randomNormal, tensor } from "../../src/index.ts";

/** Solves A x = b by Gauss–Jordan elimination with partial pivoting (a different algorithm from Cholesky). */
function gaussJordan(A: number[][], B: number[][]): number[][] {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...B[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]!;
    M[c] = M[c]!.map((v) => v / piv);
    for (let r = 0; r < n; r++) if (r !== c) M[r] = M[r]!.map((v, j) => v - M[r]![c]! * M[c]![j]!);
  }
  return M.map((row) => row.slice(n));
}

function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

describe("RidgeTrainer", () => {
  const rng = Rng.fromSeed(4);
  const X = randomNormal(rng, [50, 3], 1, 0.5, "float64");
  const Y = randomNormal(rng, [50, 2], 1, 0, "float64");
  const alpha = 0.7;

  it("matches the closed-form penalised solution with a constant feature", () => {
    const { weights, bias } = new RidgeTrainer({ alpha, bias: "penalized" }).accumulate(X, Y).solve();
    const Xa = rows(X).map((r) => [...r, 1]);
    const XtX = Xa[0]!.map((_, a) =>
      Xa[0]!.map((_, b) => Xa.reduce((s, r) => s + r[a]! * r[b]!, 0) + (a === b ? alpha : 0)),
    );
    const XtY = Xa[0]!.map((_, a) =>
      [0, 1].map((o) => Xa.reduce((s, r, i) => s + r[a]! * rows(Y)[i]![o]!, 0)),
    );
    const ref = gaussJordan(XtX, XtY);
    rows(weights).forEach((r, a) => r.forEach((v, o) => expect(v).toBeCloseTo(ref[a]![o]!, 10)));
    expect(bias.data[0]).toBeCloseTo(ref[3]![0]!, 10);
  });

  it("centres the data and leaves the intercept unpenalised by default", () => {
    const { weights, bias } = new RidgeTrainer({ alpha }).accumulate(X, Y).solve();
    const mx = [0, 1, 2].map((a) => rows(X).reduce((s, r) => s + r[a]!, 0) / 50);
    const my = [0, 1].map((o) => rows(Y).reduce((s, r) => s + r[o]!, 0) / 50);
    const Xc = rows(X).map((r) => r.map((v, a) => v - mx[a]!));
    const Yc = rows(Y).map((r) => r.map((v, o) => v - my[o]!));
    const XtX = [0, 1, 2].map((a) =>
      [0, 1, 2].map((b) => Xc.reduce((s, r) => s + r[a]! * r[b]!, 0) + (a === b ? alpha : 0)),
    );
    const XtY = [0, 1, 2].map((a) => [0, 1].map((o) => Xc.reduce((s, r, i) => s + r[a]! * Yc[i]![o]!, 0)));
    const ref = gaussJordan(XtX, XtY);
    rows(weights).forEach((r, a) => r.forEach((v, o) => expect(v).toBeCloseTo(ref[a]![o]!, 10)));
    const b0 = my[0]! - mx.reduce((s, m, a) => s + m * ref[a]![0]!, 0);
    expect(bias.data[0]).toBeCloseTo(b0, 10);
  });

  it("gives the same answer accumulated in chunks as all at once", () => {
    const whole = new RidgeTrainer({ alpha: 1e-6 }).accumulate(X, Y).solve();
    const chunked = new RidgeTrainer({ alpha: 1e-6 });
    for (let i = 0; i < 50; i += 10) {
      chunked.accumulate(
        new Tensor([10, 3], X.data.slice(i * 3, (i + 10) * 3)),
        new Tensor([10, 2], Y.data.slice(i * 2, (i + 10) * 2)),
      );
    }
    const c = chunked.solve();
    expect(chunked.count).toBe(50);
    Array.from(c.weights.data).forEach((v, i) => expect(v).toBeCloseTo(whole.weights.data[i]!, 10));
  });

  it("recovers exact weights from noiseless data", () => {
    const W = tensor([[1.5], [-2], [0.25]], undefined, "float64");
    const Yexact = new Tensor(
      [50, 1],
      Float64Array.from(rows(X).map((r) => r[0]! * 1.5 - 2 * r[1]! + 0.25 * r[2]! + 3)),
    );
    const fit = new RidgeTrainer({ alpha: 1e-10 }).accumulate(X, Yexact).solve();
    Array.from(fit.weights.data).forEach((v, i) => expect(v).toBeCloseTo(W.data[i]!, 7));
    expect(fit.bias.data[0]).toBeCloseTo(3, 7);
  });

  it("explains bad input", () => {
    expect(() => new RidgeTrainer({ alpha: -1 })).toThrow(
      "RidgeTrainer: alpha must be a finite number >= 0, got -1",
    );
    expect(() => new RidgeTrainer({ alpha: 1 }).solve()).toThrow("RidgeTrainer.solve: no data accumulated");
    expect(() => new RidgeTrainer({ alpha: 1 }).accumulate(X, tensor([[1]]))).toThrow(
      "RidgeTrainer.accumulate: X and Y must have the same number of rows, got [50, 3] and [1, 1]",
    );
    const collinear = new Tensor([3, 2], Float64Array.from([1, 2, 2, 4, 3, 6]));
    expect(() =>
      new RidgeTrainer({ alpha: 0, bias: "none" }).accumulate(collinear, tensor([[1], [2], [3]])).solve(),
    ).toThrow(/RidgeTrainer.solve: the matrix must be positive definite.*Add a ridge penalty/);
    expect(() => new RidgeTrainer({ alpha: 1 }).accumulate(tensor([[NaN]]), tensor([[1]]))).toThrow(
      "RidgeTrainer.accumulate: X must be finite, got NaN at flat index 0",
    );
  });
});

describe("ForceTrainer", () => {
  it("learns a linear readout online and its error shrinks", () => {
    const rng = Rng.fromSeed(8);
    const wTrue = [0.5, -1, 2, 0.1];
    const force = new ForceTrainer({ nFeatures: 4, nOutputs: 1, alpha: 1e-4 });
    const errors: number[] = [];
    for (let t = 0; t < 200; t++) {
      const r = Array.from({ length: 4 }, () => rng.normal());
      const y = r.reduce((s, v, i) => s + v * wTrue[i]!, 0);
      errors.push(Math.abs(force.step(r, [y])[0]!));
    }
    expect(errors[0]).toBeGreaterThan(0.1);
    expect(Math.max(...errors.slice(-20))).toBeLessThan(1e-3);
    Array.from(force.weights).forEach((v, i) => expect(v).toBeCloseTo(wTrue[i]!, 3));
  });

  it("matches the RLS recursion by hand for one step", () => {
    const force = new ForceTrainer({ nFeatures: 2, nOutputs: 1, alpha: 2 });
    // P = I/2, r = [1, 1]: Pr = [0.5, 0.5], rPr = 1, k = [0.25, 0.25], e = 0 - 1 = -1 → W = [0.25, 0.25]
    expect(force.step([1, 1], [1])[0]).toBe(-1);
    expect(Array.from(force.weights)).toEqual([0.25, 0.25]);
  });

  it("rejects mismatched sizes", () => {
    expect(() => new ForceTrainer({ nFeatures: 2, nOutputs: 1 }).step([1], [1])).toThrow(
      "ForceTrainer.step: need r of length 2 and target of length 1, got 1 and 1",
    );
  });
});
