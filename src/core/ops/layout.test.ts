import { describe, expect, it } from "vitest";
import { randomF32 } from "../../kernels/test-util.ts";
import { valueAndGrad } from "../autodiff.ts";
import { type Tensor, fromData } from "../tensor.ts";
import { add, mul } from "./elementwise.ts";
import { sliceAxis } from "./layout.ts";
import { sum } from "./reduce.ts";

describe("sliceAxis", () => {
  // Block lengths on both sides of the switch from a copy loop to typed-array views, in both dtypes.
  it.each([1, 31, 63, 64, 65, 128, 1023, 1024, 1100])("copies blocks of %i elements exactly", (len) => {
    const [rows, cols, start] = [5, 3 * len, len];
    const src = randomF32(rows * cols, len);
    for (const data of [src, Float64Array.from(src, (v) => v / 3)]) {
      const x = fromData(data, [rows, cols]);
      const got = sliceAxis(x, -1, start, start + len);
      const want: number[] = [];
      for (let r = 0; r < rows; r++) for (let j = start; j < start + len; j++) want.push(data[r * cols + j]!);
      expect(got.shape).toEqual([rows, len]);
      expect(got.data.constructor).toBe(data.constructor);
      expect(Array.from(got.data)).toEqual(want);
    }
  });
});

describe("sliceAxis's derivative", () => {
  // Overlapping slices of one tensor add their cotangents into one sum, in both dtypes.
  it.each([1, 64, 128, 1100])("adds blocks of %i elements into the input's cotangent", (len) => {
    const [rows, cols] = [4, 3 * len];
    const src = randomF32(rows * cols, len + 1);
    const w = randomF32(rows * 2 * len, len + 2);
    for (const [data, cast] of [
      [src, Float32Array.from(w)],
      [Float64Array.from(src), Float64Array.from(w)],
    ] as const) {
      const weights = fromData(cast, [rows, 2 * len]);
      const f = (p: { x: Tensor }) => {
        const a = sliceAxis(p.x, -1, 0, 2 * len);
        const b = sliceAxis(p.x, -1, len, 3 * len);
        return sum(add(mul(a, weights), mul(b, weights)));
      };
      const { grads } = valueAndGrad(f)({ x: fromData(data, [rows, cols]) });
      const r = cast instanceof Float32Array ? Math.fround : (v: number) => v;
      const want: number[] = [];
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const fromA = j < 2 * len ? cast[i * 2 * len + j]! : 0;
          const fromB = j >= len ? cast[i * 2 * len + j - len]! : 0;
          want.push(r(r(0 + fromB) + fromA));
        }
      }
      expect(grads.x.data.constructor).toBe(data.constructor);
      expect(Array.from(grads.x.data)).toEqual(want);
    }
  });
});
