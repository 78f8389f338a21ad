import { describe, expect, it } from "vitest";
import { ARITHMETIC_OPS } from "./backend.ts";
import { binaryArrayRef } from "./js/binary.ts";
import { backendsUnderTest, randomF32 } from "./test-util.ts";

// 4k + 3 elements, with values spread over many binades, zeros, subnormals, infinities and NaN.
const a = Float32Array.from(randomF32(1027, 3, 4), (v, i) =>
  i % 7 === 0 ? v * 1e30 : i % 11 === 0 ? v * 1e-40 : v,
);
a.set([0, -0, Infinity, -Infinity, NaN, 1e-45, 3.4e38], 0);
const b = Float32Array.from(randomF32(1027, 4, 4), (v, i) => (i % 5 === 0 ? v * 1e-30 : v));
b.set([0, Infinity, 0, -3, 2, -1e-45, 3.4e38], 0);
/** A row of 79 floats (not a multiple of four) repeated along `a`'s 13 rows. */
const row = Float32Array.from(randomF32(79, 5, 4));
const rows = a.subarray(0, 79 * 13);

/** The expected float32 result: float64 arithmetic, rounded once at the store. */
function expected(op: (typeof ARITHMETIC_OPS)[number], x: Float32Array, y: Float32Array): Float32Array {
  return Float32Array.from(x, (v, i) => {
    const w = y[i % y.length]!;
    return op === "add" ? v + w : op === "sub" ? v - w : op === "mul" ? v * w : v / w;
  });
}

/** Bits, with every NaN alike (NaN payloads are not part of the contract). */
const bits = (x: Float32Array) =>
  Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length), (u, i) => (Number.isNaN(x[i]) ? -1 : u));

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("binaryArray on $name", ({ backend }) => {
  it.each(ARITHMETIC_OPS)("gives %s's float32 result bit for bit, same lengths and a repeated row", (op) => {
    const same = new Float32Array(a.length);
    backend.binaryArray(op, a, b, same);
    expect(bits(same)).toEqual(bits(expected(op, a, b)));
    const byRow = new Float32Array(rows.length);
    backend.binaryArray(op, rows, row, byRow);
    expect(bits(byRow)).toEqual(bits(expected(op, rows, row)));
  });

  it("may write into a", () => {
    const x = a.slice();
    backend.binaryArray("mul", x, b, x);
    const want = new Float32Array(a.length);
    binaryArrayRef("mul", a, b, want);
    expect(bits(x)).toEqual(bits(want));
  });

  it("refuses a b whose length does not divide a's", () => {
    expect(() => backend.binaryArray("add", a, new Float32Array(2), new Float32Array(a.length))).toThrow(
      `binaryArray: b's length must divide a's, got 2 and ${a.length}`,
    );
  });
});
