/** Helpers for the kernel tests: seeded random arrays and element-wise comparison. */
import { Rng } from "../base/random.ts";
import type { KernelBackend } from "./backend.ts";
import { jsBackend } from "./js/backend.ts";
import { createWasmBackend } from "./wasm/backend.ts";

/** `n` float32 values uniform in [-scale, scale), reproducible from `seed`. */
export function randomF32(n: number, seed: number, scale = 1): Float32Array {
  const rng = Rng.fromSeed(seed);
  return Float32Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1));
}

/** The largest |a_i - b_i| / (1 + |b_i|): absolute near zero, relative for large values. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxRelDiff: lengths differ, ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!));
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/**
 * Every backend the tests compare, with the relaxed-SIMD builds where supported; the pool ones
 * split even tiny calls so the tests reach the workers.
 */
export function backendsUnderTest(): KernelBackend[] {
  return [
    jsBackend,
    ...[false, true].flatMap((relaxedSimd) => [
      createWasmBackend({ threads: 1, relaxedSimd }),
      createWasmBackend({ threads: 2, minParallelFlops: 0, relaxedSimd }),
    ]),
  ].filter((b, i, all) => all.findIndex((o) => o.name === b.name && o.threads === b.threads) === i);
}
