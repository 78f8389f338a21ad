import { describe, expect, it } from "vitest";
import { quantile, rungCutoff, rungEpochs, stopsAtRung } from "./successiveHalving.ts";

describe("successive halving", () => {
  it("puts rungs at minEpochs · reduction^k below the last epoch", () => {
    expect(rungEpochs(1, 3, 20)).toEqual([1, 3, 9]);
    expect(rungEpochs(2, 2, 8)).toEqual([2, 4]);
    expect(rungEpochs(5, 2, 5)).toEqual([]);
  });

  it("interpolates quantiles between order statistics as numpy.percentile does", () => {
    // numpy.percentile([3, 1, 2, 4], [75, 50, 0, 100]) == [3.25, 2.5, 1, 4]
    expect([0.75, 0.5, 0, 1].map((q) => quantile([3, 1, 2, 4], q))).toEqual([3.25, 2.5, 1, 4]);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it("keeps the best 1/reduction: above the upper quantile when maximising, below the lower when minimising", () => {
    const recorded = [0.5, 0.6, 0.7, 0.8, 0.9];
    expect(rungCutoff(recorded, 2, "max")).toBeCloseTo(0.7, 12);
    expect(rungCutoff(recorded, 4, "max")).toBeCloseTo(0.8, 12);
    expect(rungCutoff(recorded, 4, "min")).toBeCloseTo(0.6, 12);
    expect([0.79, 0.8, 0.81].map((v) => stopsAtRung(v, 0.8, "max"))).toEqual([true, false, false]);
    expect([0.59, 0.6, 0.61].map((v) => stopsAtRung(v, 0.6, "min"))).toEqual([false, false, true]);
    expect(stopsAtRung(null, 0.6, "min")).toBe(true);
  });
});
