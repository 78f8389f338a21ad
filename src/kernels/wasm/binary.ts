/** Elementwise arithmetic on a {@link Machine}: both operands copied in, the result copied out. */
import { ARITHMETIC_OPS, type ArithmeticOp } from "../backend.ts";
import type { Machine } from "./machine.ts";

/** `KernelBackend.binaryArray` on the calling thread (arguments already validated; see unary.ts for why). */
export function binaryArrayOn(
  m: Machine,
  op: ArithmeticOp,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): void {
  const { arena } = m;
  arena.reset();
  const [pa, pb] = [arena.put(a), arena.put(b)];
  m.exports.binaryArray(pa, pb, pa, a.length, b.length, ARITHMETIC_OPS.indexOf(op));
  out.set(arena.view(pa, a.length));
}
