import { describe, expect, it } from "vitest";
import { decimateIndices, evenIndices, lossCurve } from "../../src/plot/index.ts";

describe("decimateIndices", () => {
  it("keeps every index of a short series", () => {
    expect(decimateIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
  });

  it("keeps at most maxPoints increasing indices, including each bucket's extremes", () => {
    const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 100));
    values[54_321] = 10;
    values[7] = -10;
    const kept = decimateIndices(values, 2000);
    expect(kept.length).toBeLessThanOrEqual(2000);
    expect(kept.every((k, i) => i === 0 || k > (kept[i - 1] as number))).toBe(true);
    expect(kept).toContain(54_321);
    expect(kept).toContain(7);
  });
});

describe("evenIndices", () => {
  it("spans the first to the last index", () => {
    expect(evenIndices(11, 3)).toEqual([0, 5, 10]);
    expect(evenIndices(2, 5)).toEqual([0, 1]);
    expect(evenIndices(0)).toEqual([]);
  });
});

describe("lossCurve", () => {
  it("embeds at most 2000 points of a long history", () => {
    const history = Array.from({ length: 10_000 }, (_, step) => ({ step, loss: 1 / (step + 1) }));
    const spec = JSON.stringify(lossCurve(history));
    expect(spec.match(/"value":/g)?.length).toBeLessThanOrEqual(2000);
  });

  it("refuses a log scale for losses that are not positive", () => {
    expect(() => lossCurve([{ step: 0, loss: 0 }], { logScale: true })).toThrow(
      "lossCurve: logScale needs every loss > 0, got a loss <= 0. Pass logScale: false",
    );
  });
});
