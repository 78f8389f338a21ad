/**
 * Runs one WASM kernel over several argument lists ("shards") and returns when all are done:
 * sequentially on the calling thread, or spread over a worker pool (see pool.ts).
 */
import type { KernelExports, ThreadedKernel } from "./loader.ts";

/**
 * Runs `kernel` once per shard. Shards may outnumber threads: each thread claims the next
 * unclaimed shard until none is left, so a thread the OS delays (other processes on the cores)
 * holds back at most one shard instead of a fixed half of the work.
 */
export interface Executor {
  /** How many shards it runs at once. */
  readonly threads: number;
  run(kernel: ThreadedKernel, shards: readonly (readonly number[])[]): void;
}

/** Calls a kernel export with a numeric argument list. */
export function callKernel(exports: KernelExports, kernel: ThreadedKernel, args: readonly number[]): void {
  (exports[kernel] as (...args: readonly number[]) => void)(...args);
}

/** Runs every shard on the calling thread, one after the other. */
export function localExecutor(exports: KernelExports): Executor {
  return {
    threads: 1,
    run(kernel, shards) {
      for (const args of shards) callKernel(exports, kernel, args);
    },
  };
}

/**
 * Splits `[0, n)` into at most `parts` contiguous ranges whose inner boundaries are multiples of
 * `multiple` (the microkernel's tile size, so no tile straddles two threads). Empty ranges are dropped.
 */
export function splitRange(n: number, parts: number, multiple: number): Array<[number, number]> {
  const blocks = Math.ceil(n / multiple);
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const end = Math.min(n, Math.round((blocks * (p + 1)) / parts) * multiple);
    if (end > start) ranges.push([start, end]);
    start = Math.max(start, end);
  }
  return ranges;
}

/** Most shards a batch reduction is cut into (see {@link reductionShards}). */
export const MAX_REDUCTION_SHARDS = 4;

/**
 * How many shards a kernel that sums over the batch (BPTT's weight gradients) cuts `B` rows into:
 * a property of the problem alone, never of the thread count, so each sum adds the same partial
 * sums in the same order on 1, 2 or 16 threads and the results are identical bit for bit.
 * Fewer than `2 · minRows` rows stay whole; otherwise `⌊B / grain⌋` shards, at least 2 and at most
 * {@link MAX_REDUCTION_SHARDS}. The shards are run by whatever threads there are.
 */
export function reductionShards(B: number, grain: number, minRows: number): number {
  if (B < 2 * minRows) return 1;
  return Math.min(MAX_REDUCTION_SHARDS, Math.max(2, Math.floor(B / grain)));
}
