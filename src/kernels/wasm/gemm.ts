/** GEMM on a {@link Machine}: operands already in its memory, split over its threads. */
import { splitRange } from "./executor.ts";
import { MR, NR, type Machine } from "./machine.ts";

/**
 * Smallest GEMM shard worth cutting, in rows (or columns) of C: each shard packs its own copy of
 * the other operand, which costs about 7/grain of its arithmetic.
 */
const GEMM_GRAIN = 64;

/**
 * C ← alpha op(A) op(B) + beta C with `a`, `b`, `c` byte offsets in the machine's memory (shapes
 * as in `KernelBackend.gemm`). Thin products (N < NR or M < MR) take the direct loops, the rest
 * the packed microkernel; either is split over threads along the longer side of C.
 */
export function gemmOn(
  m: Machine,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: number,
  b: number,
  beta: number,
  c: number,
): void {
  const { exports, arena, exec } = m;
  const flops = 2 * M * N * K;
  if (N < NR || M < MR) {
    const thinRows = N >= NR;
    const [thin, wide] = thinRows ? [M, N] : [N, M];
    const ranges = splitRange(wide, m.shards(flops, wide, GEMM_GRAIN), 4);
    const scratch = ranges.map(([r0, r1]) => arena.floats(exports.gemmThinScratchFloats(thin, K, r1 - r0)));
    const common = [+thinRows, +tA, +tB, M, N, K, alpha, a, b, beta, c];
    exec.run(
      "gemmThin",
      ranges.map(([r0, r1], i) => [...common, r0, r1, scratch[i]!]),
    );
    return;
  }
  const byRows = M >= N;
  const size = byRows ? M : N;
  const ranges = splitRange(size, m.shards(flops, size, GEMM_GRAIN), byRows ? MR : NR);
  const scratch = ranges.map(() => arena.alloc(exports.gemmScratchBytes()));
  const common = [+tA, +tB, M, N, K, alpha, a, b, beta, c];
  exec.run(
    "gemm",
    ranges.map(([lo, hi], i) => [...common, ...(byRows ? [lo, hi, 0, N] : [0, M, lo, hi]), scratch[i]!]),
  );
}
