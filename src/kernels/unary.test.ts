import { describe, expect, it } from "vitest";
import type { ArrayActivation } from "./backend.ts";
import { backendsUnderTest, randomF32 } from "./test-util.ts";

const EXACT: Record<ArrayActivation, (x: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

/**
 * Float32 units in the last place between `got` and the float64 `want`; a result below float32's
 * smallest normal number counts as one unit per that number (the WebAssembly sigmoid gives 0 there).
 */
function ulps(got: number, want: number): number {
  const ulp = Math.abs(want) < 2 ** -126 ? 2 ** -126 : Math.abs(want) * 2 ** -23;
  return Math.abs(got - want) / ulp;
}

// 4k + 3 elements: the last vector is part padding. Values across the whole useful range, the
// small-argument polynomial's range and the far tails.
const x = Float32Array.from([...randomF32(4000, 7, 12), ...randomF32(999, 8, 0.7), -1000, 1000, -100, 100]);

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("activateArray on $name", ({ backend }) => {
  it.each(["tanh", "sigmoid"] as const)("maps every element through %s within 4 ulp", (kind) => {
    const out = new Float32Array(x.length);
    backend.activateArray(kind, x, out);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulps(out[i]!, EXACT[kind](x[i]!)));
    expect(worst).toBeLessThanOrEqual(4);
  });

  it("gives 0 and 1 in the sigmoid's far tails, ±1 in tanh's, and keeps NaN", () => {
    const ends = Float32Array.of(-1000, -200, 1000, Infinity, -Infinity, NaN);
    const s = new Float32Array(ends.length);
    backend.activateArray("sigmoid", ends, s);
    expect(Array.from(s)).toEqual([0, 0, 1, 1, 0, NaN]);
    const t = new Float32Array(ends.length);
    backend.activateArray("tanh", ends, t);
    expect(Array.from(t)).toEqual([-1, -1, 1, 1, -1, NaN]);
  });

  it("may write in place", () => {
    const a = x.slice();
    const out = new Float32Array(x.length);
    backend.activateArray("tanh", x, out);
    backend.activateArray("tanh", a, a);
    expect(a).toEqual(out);
  });

  it("refuses arrays of different lengths", () => {
    expect(() => backend.activateArray("tanh", x, new Float32Array(3))).toThrow(
      `activateArray: out must have x.length = ${x.length} elements, got 3`,
    );
  });
});
