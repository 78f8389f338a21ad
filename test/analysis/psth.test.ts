import { describe, expect, it } from "vitest";
import { Rng, fromData, type Tensor } from "../../src/core/index.ts";
import { conditionAverages, selectivity } from "../../src/analysis/index.ts";

/**
 * Three units over T = 4 steps and B trials with condition c ∈ {0, 1} (alternating):
 * unit 0 fires 2 + c (prefers c = 1), unit 1 fires 3 − 2c (prefers c = 0), unit 2 fires 1 (untuned),
 * plus Gaussian noise of sd `noise`.
 */
function tuned(rng: Rng, B: number, noise: number): { r: Tensor; c: number[] } {
  const c = Array.from({ length: B }, (_, b) => b % 2);
  const x = new Float64Array(4 * B * 3);
  for (let t = 0; t < 4; t++)
    for (let b = 0; b < B; b++) {
      const cb = c[b] as number;
      [2 + cb, 3 - 2 * cb, 1].forEach((v, i) => (x[(t * B + b) * 3 + i] = v + noise * rng.normal()));
    }
  return { r: fromData(x, [4, B, 3]), c };
}

describe("conditionAverages", () => {
  it("averages the trials of each label at each step, over the steps each trial runs", () => {
    const { r, c } = tuned(Rng.fromSeed(0), 6, 0);
    const groups = conditionAverages(r, c, [4, 4, 4, 4, 2, 2], [1, 0]);
    expect(groups.map((g) => [g.label, g.trials])).toEqual([
      [1, 3],
      [0, 3],
    ]);
    expect(Array.from(groups[0]!.mean.data.subarray(0, 3))).toEqual([3, 1, 1]);
    expect(Array.from(groups[1]!.mean.data.subarray(9, 12))).toEqual([2, 3, 1]);
    // With trial-dependent values, the short trials leave the late means.
    const x = new Float64Array([1, 10, 2, 20, 3, 30]); // [T = 3, B = 2, H = 1]
    const [g] = conditionAverages(fromData(x, [3, 2, 1]), ["a", "a"], [3, 1]);
    expect(Array.from(g!.mean.data)).toEqual([5.5, 2, 3]);
  });

  it("is NaN where no trial of the label runs, and checks the labels' length", () => {
    const [g] = conditionAverages(fromData(new Float64Array(4), [2, 2, 1]), ["a", "b"], [1, 2], ["a"]);
    expect(Number.isNaN(g!.mean.data[1])).toBe(true);
    expect(() => conditionAverages(fromData(new Float64Array(4), [2, 2, 1]), ["a"])).toThrow(
      /labels must have one entry per trial \(B = 2\), got 1/,
    );
  });
});

describe("selectivity", () => {
  it("recovers the sign and size of known tuning as d′ and as a normalised difference", () => {
    const { r, c } = tuned(Rng.fromSeed(1), 4000, 0.5);
    // Averaging 4 steps of independent noise leaves sd 0.25: d′ = Δμ / 0.25.
    const d = selectivity(r, c, 1, 0);
    expect(d[0]).toBeCloseTo(1 / 0.25, 0);
    expect(d[1]).toBeCloseTo(-2 / 0.25, 0);
    expect(Math.abs(d[2] as number)).toBeLessThan(0.15);
    const n = selectivity(r, c, 1, 0, { measure: "normalized", window: [1, 3] });
    expect(n[0]).toBeCloseTo(1 / 5, 1);
    expect(n[1]).toBeCloseTo(-2 / 4, 1);
    expect(Math.abs(n[2] as number)).toBeLessThan(0.02);
  });

  it("names a missing label and a bad window", () => {
    const { r, c } = tuned(Rng.fromSeed(2), 4, 0);
    expect(() => selectivity(r, c, 2, 0)).toThrow(/no trial has the label 2/);
    expect(() => selectivity(r, c, 1, 0, { window: [3, 3] })).toThrow(
      /window must be integers 0 <= start < end <= T = 4, got \[3, 3\]/,
    );
  });
});
