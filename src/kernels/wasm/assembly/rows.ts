// Row-shard building blocks of the fused sequence kernels: products of a shard's batch rows with a
// weight matrix (packed for the microkernel, or direct loops when an inner size is small), bias
// fills, and the per-step accumulation of a weight gradient over the shard's rows.
import { kernel4x8, MR, NR } from "./microkernel";
import { packA, packB } from "./pack";
import { copyBytes } from "./bulk";
import { axpy, dot } from "./thin";

/**
 * Inner sizes up to this take direct loops instead of the packed microkernel (input projections
 * of a few inputs, readouts to a few outputs): a tile would mostly multiply padding.
 */
export const FEW: i32 = 8;

/**
 * Rows [b0, b1) of out [B, N] += the same rows of A [B, K] times the packed [K, N] matrix `wp`
 * (NR-column slivers of K rows). `scratch` receives the rows packed into MR-row slivers, followed
 * by a 32-float edge tile.
 */
export function rowsTimesPacked(
  a: usize,
  K: i32,
  wp: usize,
  out: usize,
  N: i32,
  b0: i32,
  b1: i32,
  scratch: usize,
): void {
  const ld = (<usize>N) << 2;
  const rows = b1 - b0;
  packA(a, false, K, 0, K, b0, rows, scratch);
  const tile = scratch + ((<usize>(((rows + MR - 1) / MR) * MR * K)) << 2);
  for (let j = 0; j < N; j += NR) {
    const sliver = wp + ((<usize>(j * K)) << 2);
    const col = out + ((<usize>j) << 2);
    for (let i = 0; i < rows; i += MR) {
      kernel4x8(
        scratch + ((<usize>(i * K)) << 2),
        sliver,
        K,
        col + <usize>(b0 + i) * ld,
        ld,
        min(MR, rows - i),
        min(NR, N - j),
        tile,
        1,
      );
    }
  }
}

/** Rows [b0, b1) of out [B, N] += the same rows of A [B, K] times W [K, N] (row-major), K small. */
export function rowsTimesFew(a: usize, K: i32, w: usize, out: usize, N: i32, b0: i32, b1: i32): void {
  for (let r = b0; r < b1; r++) {
    const ar = a + ((<usize>(r * K)) << 2);
    const o = out + ((<usize>(r * N)) << 2);
    for (let k = 0; k < K; k++) axpy(load<f32>(ar + ((<usize>k) << 2)), w + ((<usize>(k * N)) << 2), o, N);
  }
}

/** Rows [b0, b1) of out [B, N] += the same rows of A [B, K] times Wᵀ, W [N, K] row-major, N small. */
export function rowsDotFew(a: usize, K: i32, w: usize, out: usize, N: i32, b0: i32, b1: i32): void {
  for (let r = b0; r < b1; r++) {
    const ar = a + ((<usize>(r * K)) << 2);
    const o = out + ((<usize>(r * N)) << 2);
    for (let j = 0; j < N; j++) {
      const p = o + ((<usize>j) << 2);
      store<f32>(p, load<f32>(p) + dot(ar, w + ((<usize>(j * K)) << 2), K));
    }
  }
}

/**
 * Rows [b0, b1) of out [B, N] += the same rows of A [B, K] times W [K, N]: direct loops over W
 * row-major when K ≤ FEW, else the microkernel over W packed by packB.
 */
export function rowsTimes(
  a: usize,
  K: i32,
  w: usize,
  out: usize,
  N: i32,
  b0: i32,
  b1: i32,
  scratch: usize,
): void {
  if (K <= FEW) rowsTimesFew(a, K, w, out, N, b0, b1);
  else rowsTimesPacked(a, K, w, out, N, b0, b1, scratch);
}

/** Bytes [p0, p1) of a [B, N] step (whole rows) ← the row vector `bias` [N] repeated. */
export function fillRows(z: usize, bias: usize, N: i32, p0: usize, p1: usize): void {
  const rowBytes = (<usize>N) << 2;
  for (let p = p0; p < p1; p += rowBytes) {
    copyBytes(z + p, bias, rowBytes);
  }
}

/** Bytes of a [rows, K] operand packed into MR-row slivers plus an edge tile (rowsTimesPacked's scratch). */
export function packBytes(rows: i32, K: i32): usize {
  return <usize>((((rows + MR - 1) / MR) * MR * K + MR * NR) << 2);
}

/** Floats of one packed operand of accumulateOuter over `rows` rows, inner sizes up to K. */
export function panelFloats(rows: i32, K: i32): i32 {
  return ((K + NR - 1) / NR) * NR * rows;
}

/**
 * acc [M, N] += A_rowsᵀ U_rows with A [B, M] and U [B, N], over the batch rows [b0, b1): one
 * step's contribution to a weight gradient, packed (M > FEW) into `aPack` (ceil(M/MR)·MR x rows
 * floats) and `bPack` (ceil(N/NR)·NR x rows floats) for the microkernel, or, for a few rows of
 * weights (M ≤ FEW), as axpy updates.
 */
export function accumulateOuter(
  a: usize,
  M: i32,
  u: usize,
  N: i32,
  b0: i32,
  b1: i32,
  acc: usize,
  aPack: usize,
  bPack: usize,
  tile: usize,
): void {
  const rows = b1 - b0;
  if (M <= FEW) {
    for (let r = b0; r < b1; r++) {
      const ar = a + ((<usize>(r * M)) << 2);
      const ur = u + ((<usize>(r * N)) << 2);
      for (let k = 0; k < M; k++)
        axpy(load<f32>(ar + ((<usize>k) << 2)), ur, acc + ((<usize>(k * N)) << 2), N);
    }
    return;
  }
  packA(a, true, M, b0, rows, 0, M, aPack);
  packB(u, false, N, b0, rows, 0, N, 1, bPack);
  const ld = (<usize>N) << 2;
  for (let j = 0; j < N; j += NR) {
    const sliver = bPack + ((<usize>(j * rows)) << 2);
    for (let i = 0; i < M; i += MR) {
      const c = acc + <usize>i * ld + ((<usize>j) << 2);
      kernel4x8(
        aPack + ((<usize>(i * rows)) << 2),
        sliver,
        rows,
        c,
        ld,
        min(MR, M - i),
        min(NR, N - j),
        tile,
        1,
      );
    }
  }
}
