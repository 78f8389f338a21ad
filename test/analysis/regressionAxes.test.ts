import { describe, expect, it } from "vitest";
import { Rng, fromData, type Tensor } from "../../src/core/index.ts";
import { regressionAxes } from "../../src/analysis/index.ts";

const H = 30;
const T = 8;
const B = 400;

/** Gram–Schmidt of the rows of `vs`, in order. */
function orthonormalise(vs: readonly Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vs) {
    const a = Float64Array.from(v);
    for (const q of out) {
      const d = a.reduce((s, c, i) => s + c * (q[i] as number), 0);
      a.forEach((c, i) => (a[i] = c - d * (q[i] as number)));
    }
    const n = Math.hypot(...a);
    out.push(a.map((c) => c / n));
  }
  return out;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((s, c, i) => s + c * (b[i] as number), 0);

/**
 * r[t, b] = offset + choice_b (t+1)/T u₁ + coherence_b sin(π (t+1)/T) u₂ + context_b u₃ + noise:
 * three known, non-orthogonal task directions in 30 units.
 */
function population(rng: Rng) {
  const u = [0, 1, 2].map(() => rng.fillNormal(new Float64Array(H)));
  const offset = rng.fillNormal(new Float64Array(H));
  const choice = Array.from({ length: B }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const coherence = Array.from({ length: B }, () => rng.uniform() - 0.5);
  const context = Array.from({ length: B }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const x = new Float64Array(T * B * H);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const g = [
        ((choice[b] as number) * (t + 1)) / T,
        (coherence[b] as number) * Math.sin((Math.PI * (t + 1)) / T),
        context[b] as number,
      ];
      for (let i = 0; i < H; i++) {
        let v = (offset[i] as number) + 0.3 * rng.normal();
        for (let k = 0; k < 3; k++) v += (g[k] as number) * (u[k]?.[i] as number);
        x[(t * B + b) * H + i] = v;
      }
    }
  return { r: fromData(x, [T, B, H]) as Tensor, u, choice, coherence, context };
}

describe("regressionAxes", () => {
  const rng = Rng.fromSeed(11);
  const { r, u, choice, coherence, context } = population(rng);

  it("recovers known task directions, orthogonalised in the given order", () => {
    const tdr = regressionAxes(r, { choice, coherence, context }, { zscore: false });
    expect(tdr.names).toEqual(["choice", "coherence", "context"]);
    const truth = orthonormalise(u);
    const axes = [0, 1, 2].map((v) => tdr.axes.data.subarray(v * H, (v + 1) * H));
    axes.forEach((a, v) => expect(dot(a, truth[v] as Float64Array)).toBeGreaterThan(0.99));
    for (let v = 0; v < 3; v++)
      for (let w = 0; w < 3; w++) expect(dot(axes[v]!, axes[w]!)).toBeCloseTo(v === w ? 1 : 0, 10);
    // The choice coefficients grow with t and peak at the last step; coherence's peak is mid-trial.
    expect(tdr.peakSteps[0]).toBe(T - 1);
    expect([3, 4]).toContain(tdr.peakSteps[1]);
  });

  it("separates the trials by choice on the choice axis, z-scored or not", () => {
    for (const zscore of [true, false]) {
      const tdr = regressionAxes(r, { choice, coherence }, { zscore, components: 6 });
      const last = tdr.project(fromData(r.data.slice((T - 1) * B * H), [B, H]));
      expect(last.shape).toEqual([B, 2]);
      const agree = choice.filter((c, b) => Math.sign(last.data[b * 2] as number) === c).length;
      expect(agree / B).toBeGreaterThan(0.98);
      expect(tdr.project(r).shape).toEqual([T, B, 2]);
    }
  });

  it("names collinear regressors and wrong lengths", () => {
    expect(() => regressionAxes(r, { choice, again: choice.map((c) => 2 * c) })).toThrow(
      /must be linearly independent over the trials/,
    );
    expect(() => regressionAxes(r, { choice: choice.slice(1) })).toThrow(
      /regressor choice must have one value per trial \(B = 400\), got 399/,
    );
  });
});
