/** GEMM on a {@link Machine}: operands already in its memory, split over its threads. */
import { reductionShards, splitRange } from "./executor.ts";
import { MR, NR, type Machine } from "./machine.ts";

/**
 * Smallest GEMM shard worth cutting, in rows (or columns) of C: each shard packs its own copy of
 * the other operand, which costs about 7/grain of its arithmetic.
 */
const GEMM_GRAIN = 64;
/** Split Aᵀ B along K when K is at least this many times the larger side of C. */
const INNER_SPLIT_RATIO = 4;
/** Smallest K range worth a shard of a K split. */
const INNER_GRAIN = 256;

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
  if (tA && !tB && K >= INNER_SPLIT_RATIO * Math.max(M, N)) {
    const parts = splitRange(K, reductionShards(K, INNER_GRAIN, INNER_GRAIN), 1);
    if (parts.length > 1) return gemmSplitInner(m, M, N, alpha, a, b, beta, c, parts, flops);
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

/**
 * C ← alpha Aᵀ B + beta C split along K (A stored [K, M], B [K, N], so a K range is a block of
 * rows of each): every shard packs only its own rows, where a split of C would make each shard
 * pack all of one operand. Shard 0 accumulates into C, the others into buffers added to it in
 * order afterwards; the split depends on K alone, so the sum does not depend on the threads.
 * This is BPTT's weight gradient, K = T·B ≫ M, N.
 */
function gemmSplitInner(
  m: Machine,
  M: number,
  N: number,
  alpha: number,
  a: number,
  b: number,
  beta: number,
  c: number,
  parts: Array<[number, number]>,
  flops: number,
): void {
  const { exports, arena } = m;
  const outs = parts.map((_, i) => (i === 0 ? c : arena.floats(M * N)));
  const scratch = parts.map(() => arena.alloc(exports.gemmScratchBytes()));
  m.run(
    "gemm",
    parts.map(([k0, k1], i) => {
      const [ai, bi] = [a + 4 * k0 * M, b + 4 * k0 * N];
      return [1, 0, M, N, k1 - k0, alpha, ai, bi, i === 0 ? beta : 0, outs[i]!, 0, M, 0, N, scratch[i]!];
    }),
    flops,
  );
  for (const out of outs.slice(1)) exports.addInto(c, out, M * N);
}
