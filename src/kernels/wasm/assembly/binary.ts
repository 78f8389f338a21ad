// Elementwise add, sub, mul and div of float32 arrays, four lanes at a time: the generic path's
// arithmetic on a user's cell. Each lane is one IEEE single-precision operation, as a plain
// TypeScript loop rounds a float64 sum, difference, product or quotient of two floats to float32
// (exact or rounded once: float64 holds more than twice float32's precision), so the results are
// the same bit for bit.

const ADD = 0;
const SUB = 1;
const MUL = 2;

/** The operator and the loop, inlined into their one caller (`@inline` static methods). */
class Arith {
  @inline static op4(a: v128, b: v128, op: i32): v128 {
    if (op == ADD) return f32x4.add(a, b);
    if (op == SUB) return f32x4.sub(a, b);
    if (op == MUL) return f32x4.mul(a, b);
    return f32x4.div(a, b);
  }

  @inline static op1(a: f32, b: f32, op: i32): f32 {
    if (op == ADD) return a + b;
    if (op == SUB) return a - b;
    if (op == MUL) return a * b;
    return a / b;
  }
}

/**
 * out ← a op b elementwise, op numbered add 0, sub 1, mul 2, div 3, for `n` floats of `a` and
 * `out`; `b` has `m` floats (m divides n) and repeats along `a` (m = n: same shapes; m < n: a row
 * applied to every row, the bias pattern). `out` may be `a`. One loop for the four operators: a
 * branch per vector that always goes the same way costs little beside the loads.
 */
export function binaryArray(a: usize, b: usize, out: usize, n: i32, m: i32, op: i32): void {
  const rowBytes = (<usize>m) << 2;
  const vecBytes = (<usize>(m >> 2)) << 4;
  for (let r: usize = 0; r < (<usize>n) << 2; r += rowBytes) {
    let j: usize = 0;
    for (; j < vecBytes; j += 16)
      v128.store(out + r + j, Arith.op4(v128.load(a + r + j), v128.load(b + j), op));
    for (; j < rowBytes; j += 4)
      store<f32>(out + r + j, Arith.op1(load<f32>(a + r + j), load<f32>(b + j), op));
  }
}
