/** tanh and sigmoid over whole arrays on a {@link Machine}: copied in, mapped in place, copied out. */
import { ACTIVATIONS, type ArrayActivation } from "../backend.ts";
import type { Machine } from "./machine.ts";

/**
 * `KernelBackend.activateArray` on the machine's calling thread (arguments already validated):
 * the arrays of a user's cell are a few thousand floats, far below what a worker's wake-up pays for.
 */
export function activateArrayOn(m: Machine, kind: ArrayActivation, x: Float32Array, out: Float32Array): void {
  const n = x.length;
  const { arena } = m;
  arena.reset();
  // Padded to whole vectors: the kernel maps every lane of the last one.
  const p = arena.floats((n + 3) & ~3);
  arena.view(p, n).set(x);
  m.exports.activateArray(p, p, n, ACTIVATIONS.indexOf(kind));
  out.set(arena.view(p, n));
}
