import { describe, expect, it } from "vitest";
import { merged } from "./merge.ts";

describe("merged", () => {
  it("is { ...a, ...b }: the same keys in the same order, b's values winning, inputs untouched", () => {
    const a = { groundTruth: 1, coh: 6.4, vpair: [18, 10] };
    const b = { v1: 18, coh: 12.8 };
    const m = merged(a, b);
    expect(m).toEqual({ ...a, ...b });
    expect(Object.keys(m)).toEqual(Object.keys({ ...a, ...b }));
    expect(m.vpair).toBe(a.vpair);
    expect(a).toEqual({ groundTruth: 1, coh: 6.4, vpair: [18, 10] });
    expect(m).not.toBe(a);
  });

  it("copies own enumerable keys only, as spread does", () => {
    const proto = { inherited: 1 };
    const a = Object.create(proto) as { own?: number };
    a.own = 2;
    Object.defineProperty(a, "hidden", { value: 3, enumerable: false });
    expect(merged(a, {})).toEqual({ own: 2 });
  });
});
