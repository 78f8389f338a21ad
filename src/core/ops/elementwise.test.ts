import { describe, expect, it } from "vitest";
import { randomF32 } from "../../kernels/test-util.ts";
import { Tensor } from "../tensor.ts";
import { addRowSums } from "./elementwise.ts";

/** The reference: each column summed in float64 one row at a time, rounded to the dtype, then added. */
function rowByRow(g: Float32Array | Float64Array, acc: Float32Array | Float64Array): void {
  const m = acc.length;
  const sums = new Float64Array(m);
  for (let r = 0; r < g.length; r += m) for (let j = 0; j < m; j++) sums[j] = sums[j]! + g[r + j]!;
  for (let j = 0; j < m; j++)
    acc[j] = acc[j]! + (acc instanceof Float32Array ? Math.fround(sums[j]!) : sums[j]!);
}

describe("addRowSums", () => {
  // Row counts around the four-row passes (a remainder of 0 to 3 rows), wide values so that the
  // order of the float64 sums shows in the rounded result.
  it.each([1, 2, 3, 4, 5, 7, 8, 16, 17, 103])(
    "adds %i rows' column sums bit for bit as row by row",
    (rows) => {
      for (const m of [1, 3, 384]) {
        const src = randomF32(rows * m, rows + m).map((v, i) => v * 10 ** ((i % 7) - 3));
        const acc = randomF32(m, 7);
        const want = acc.slice();
        rowByRow(src, want);
        addRowSums(new Tensor([rows, m], src), acc);
        expect(Array.from(acc)).toEqual(Array.from(want));
        const src64 = Float64Array.from(src, (v, i) => v + i * 1e-9);
        const acc64 = Float64Array.from(randomF32(m, 9));
        const want64 = acc64.slice();
        rowByRow(src64, want64);
        addRowSums(new Tensor([rows, m], src64), acc64);
        expect(Array.from(acc64)).toEqual(Array.from(want64));
      }
    },
  );
});
