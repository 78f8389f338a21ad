import { describe, expect, it } from "vitest";
import { randomF32 } from "../../kernels/test-util.ts";
import { fromData } from "../tensor.ts";
import { sliceAxis } from "./layout.ts";

describe("sliceAxis", () => {
  // Block lengths on both sides of the switch from a copy loop to typed-array views, in both dtypes.
  it.each([1, 31, 63, 64, 65, 128, 1100])("copies blocks of %i elements exactly", (len) => {
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
