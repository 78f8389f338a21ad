/** Adam/AdamW on a {@link Machine}: copy the four arrays in, update by element shards, copy back. */
import type { AdamArgs } from "../backend.ts";
import { splitRange } from "./executor.ts";
import type { Machine } from "./machine.ts";

/** Smallest Adam shard worth a thread, in elements. */
const ADAM_GRAIN = 4096;
/** Rough flops per element, to compare with the machine's parallel threshold. */
const ADAM_FLOPS_PER_ELEMENT = 64;

/** `KernelBackend.adamUpdate` on the machine (arguments already validated). */
export function adamOn(m: Machine, a: AdamArgs): void {
  const n = a.param.length;
  const { arena } = m;
  arena.reset();
  const [p, g, mo, v] = [arena.put(a.param), arena.put(a.grad), arena.put(a.m), arena.put(a.v)];
  const stepSize = a.lr / (1 - a.beta1 ** a.step);
  const invSqrtBc2 = 1 / Math.sqrt(1 - a.beta2 ** a.step);
  const decay = 1 - a.lr * a.weightDecay;
  const common = [a.beta1, a.beta2, a.eps, stepSize, invSqrtBc2, decay];
  const ranges = splitRange(n, m.shards(n * ADAM_FLOPS_PER_ELEMENT, n, ADAM_GRAIN), 16);
  m.exec.run(
    "adamUpdate",
    ranges.map(([i0, i1]) => [p, g, mo, v, i0, i1, ...common]),
  );
  a.param.set(arena.view(p, n));
  a.m.set(arena.view(mo, n));
  a.v.set(arena.view(v, n));
}
