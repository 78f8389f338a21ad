/**
 * Arrays that a fused primitive's forward hands to its derivative and to no one else (the leaky
 * recurrence's pre-activations, the gated cells' gates): once the derivative, run once per node,
 * is done with one, the next forward of the same size writes into it instead of a new array. A
 * fresh array of megabytes costs several times the copy into a kept one (the engine maps and
 * zeroes new pages, then collects them; a browser pays about 3 ms for each fresh 800 KiB array on
 * the test machine, BENCHMARKS.md, "W1 in the playground page"). Such an array is an output no
 * caller receives, so reusing it cannot change a value. A kept array is written anew, so a kernel
 * forgets any copy of its floats it kept (see `forgetResident`).
 */

import { forgetResident } from "../../kernels/index.ts";

/** A few kept arrays, the newest, for one primitive. */
export interface Spares {
  /** A kept array of `n` floats, taken out of the pool, or `undefined` when there is none. */
  take(n: number): Float32Array | undefined;
  /**
   * A kept array of `n` floats for each of `keys` where there is one, as a kernel's `...Into`
   * arguments (a key without one is left out: the kernel allocates).
   */
  into<K extends string>(keys: readonly K[], n: number): Partial<Record<K, Float32Array>>;
  /** Keeps `a` for a later forward: its one reader is done with it. */
  keep(a: Float32Array): void;
}

/** An empty pool keeping at most `max` arrays. */
export function spares(max = 2): Spares {
  const kept: Float32Array[] = [];
  const take = (n: number) => {
    const i = kept.findIndex((s) => s.length === n);
    return i < 0 ? undefined : kept.splice(i, 1)[0];
  };
  return {
    take,
    into(keys, n) {
      const into: Partial<Record<(typeof keys)[number], Float32Array>> = {};
      for (const k of keys) {
        const a = take(n);
        if (a) into[k] = a;
      }
      return into;
    },
    keep(a) {
      if (a.length === 0) return;
      forgetResident(a);
      kept.push(a);
      if (kept.length > max) kept.shift();
    },
  };
}
