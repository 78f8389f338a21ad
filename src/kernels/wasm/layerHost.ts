/**
 * What the fused sequence kernels' host code shares: packing weights for the microkernel, inputs
 * with a column of ones (so a bias is one more weight row), the fixed batch shards, and the sum of
 * the shards' weight gradients in shard order.
 */
import { reductionShards, splitRange } from "./executor.ts";
import { gemmOn } from "./gemm.ts";
import { FEW, MR, NR, type Machine } from "./machine.ts";

/** Smallest shard worth cutting, in batch rows: each shard streams the recurrent weights every step. */
const GRAIN = 16;

/**
 * Packs a [K, N] matrix (or, with `transpose`, the transpose of a [N, K] one), scaled by `scale`,
 * into the NR-column slivers the microkernel reads.
 */
export function packed(
  m: Machine,
  w: Float32Array,
  K: number,
  N: number,
  transpose: boolean,
  scale = 1,
): number {
  const src = m.arena.put(w);
  const wp = m.arena.floats(Math.ceil(N / NR) * NR * K);
  m.exports.packB(src, +transpose, transpose ? K : N, 0, K, 0, N, scale, wp);
  return wp;
}

/** The [K, N] weights for a product with K inner rows: packed when K > FEW, else row-major as is. */
export function weightsFor(m: Machine, w: Float32Array, K: number, N: number): number {
  return K <= FEW ? m.arena.put(w) : packed(m, w, K, N, false);
}

/** x [rows, I] with a column of ones appended, [rows, I + 1], copied into the arena (at `p` when given). */
export function withOnes(
  m: Machine,
  x: Float32Array,
  rows: number,
  I: number,
  p = m.arena.floats(rows * (I + 1)),
): number {
  const xa = m.arena.view(p, rows * (I + 1));
  for (let r = 0, i = 0, o = 0; r < rows; r++) {
    for (let k = 0; k < I; k++) xa[o++] = x[i++]!;
    xa[o++] = 1;
  }
  return p;
}

/** The transpose [cols, rows] of a row-major [rows, cols] matrix. */
export function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

/** The transpose of a row-major [rows, cols] matrix, copied into the arena: its offset. */
export function putTransposed(m: Machine, w: Float32Array, rows: number, cols: number): number {
  return m.arena.put(transposed(w, rows, cols));
}

/** [W; b]: the weights [K, N] with the bias row [N] appended. */
export function withBias(w: Float32Array, b: Float32Array): Float32Array {
  const wb = new Float32Array(w.length + b.length);
  wb.set(w);
  wb.set(b, w.length);
  return wb;
}

/**
 * The batch-row shards of a call over B rows, each with `scratchBytes(rows)` private bytes: a
 * fixed split of the batch (see `reductionShards`), so the weight gradients sum the same partial
 * sums in the same order whatever the thread count. Inner boundaries fall on whole tiles of rows.
 */
export function batchShards(
  m: Machine,
  B: number,
  scratchBytes: (rows: number) => number,
): Array<{ b0: number; b1: number; scratch: number }> {
  return splitRange(B, reductionShards(B, GRAIN, 2 * MR), MR).map(([b0, b1]) => ({
    b0,
    b1,
    scratch: m.arena.alloc(scratchBytes(b1 - b0)),
  }));
}

/**
 * [s0; s_0 … s_{T-1}] ((T+1)·B·H floats, at `base` when given): the initial state `s0` [B, H]
 * then, when given, the states [T, B, H], the layout the kernels read state t−1 from.
 */
export function stateBase(
  m: Machine,
  T: number,
  s0: Float32Array,
  states?: Float32Array,
  base = m.arena.floats((T + 1) * s0.length),
): number {
  m.arena.view(base, s0.length).set(s0);
  if (states) m.arena.view(base + 4 * s0.length, T * s0.length).set(states);
  return base;
}

/** {@link shardSum}'s kept sums, per machine: a fresh array per call costs a browser dearly. */
const sums = new WeakMap<Machine, Float32Array>();

/**
 * Every shard's gradient block of `floats` floats, added in shard order to zeros (in the arena,
 * by the SIMD kernel): a view of an array kept for the machine, which the next call overwrites, so
 * callers copy out what they keep.
 */
export function shardSum(m: Machine, blocks: readonly number[], floats: number): Float32Array {
  let kept = sums.get(m);
  if (!kept || kept.length < floats) sums.set(m, (kept = new Float32Array(floats)));
  const total = m.arena.floats(floats);
  m.arena.view(total, floats).fill(0);
  for (const block of blocks) m.exports.addInto(total, block, floats);
  const sum = kept.subarray(0, floats);
  sum.set(m.arena.view(total, floats));
  return sum;
}

/** A fresh `[M, N]` array ← alpha op(A) op(B) for arena operands `a`, `b`. */
export function product(
  m: Machine,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  a: number,
  b: number,
  alpha = 1,
): Float32Array {
  const c = m.arena.floats(M * N);
  gemmOn(m, tA, tB, M, N, K, alpha, a, b, 0, c);
  return m.arena.view(c, M * N).slice();
}

/** A copy of `view` (of the arena) in `into` when given (which must be as long), else in a new array. */
export function copyOut(view: Float32Array, into: Float32Array | undefined): Float32Array {
  if (!into) return view.slice();
  into.set(view);
  return into;
}
