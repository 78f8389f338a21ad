// Row-shard building blocks of the fused sequence kernels: products of a shard's batch rows with a
// weight matrix (packed for the microkernel, or direct loops when an inner size is small), bias
// fills, and the per-step accumulation of a weight gradient over the shard's rows.
import { MR, NR, sliverColumn } from "./microkernel";
import { packA } from "./pack";
import { copyBytes } from "./bulk";
import { axpyUpTo4, dot } from "./thin";

/**
 * Inner sizes up to this take direct loops instead of the packed microkernel (input projections
 * of a few inputs, readouts to a few outputs): a tile would mostly multiply padding.
 */
export const FEW: i32 = 8;

/**
 * Rows [b0, b1) of out [B, N] ← beta out + the same rows of A [B, K] times the packed [K, N] matrix
 * `wp` (NR-column slivers of K rows); with beta = 0, out is not read. `scratch` receives the rows
 * packed into MR-row slivers, followed by a 32-float edge tile.
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
  beta: f32 = 1,
): void {
  const ld = (<usize>N) << 2;
  const rows = b1 - b0;
  packA(a, false, K, 0, K, b0, rows, scratch);
  const tile = scratch + ((<usize>(((rows + MR - 1) / MR) * MR * K)) << 2);
  const c = out + <usize>b0 * ld;
  for (let j = 0; j < N; j += NR) {
    sliverColumn(
      scratch,
      wp + ((<usize>(j * K)) << 2),
      K,
      c + ((<usize>j) << 2),
      ld,
      rows,
      min(NR, N - j),
      tile,
      beta,
    );
  }
}

/**
 * Rows [b0, b1) of out [B, N] += the same rows of A [B, K] times W [K, N] (row-major), K small:
 * each output row is read and written once per four rows of W.
 */
export function rowsTimesFew(a: usize, K: i32, w: usize, out: usize, N: i32, b0: i32, b1: i32): void {
  const ld = (<usize>N) << 2;
  for (let r = b0; r < b1; r++) {
    const ar = a + ((<usize>(r * K)) << 2);
    const o = out + ((<usize>(r * N)) << 2);
    for (let k = 0; k < K; k += 4) {
      axpyUpTo4(ar + ((<usize>k) << 2), min(4, K - k), w + <usize>k * ld, ld, o, N);
    }
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

/** Floats of one packed operand of accumulateSteps over `rows` rows, inner sizes up to K. */
export function panelFloats(rows: i32, K: i32): i32 {
  return ((K + NR - 1) / NR) * NR * rows;
}

/** Depth (summed rows) of one block of {@link accumulateSteps}: a few hundred keeps C's traffic small. */
const STEPS_DEPTH: i32 = 256;

/** Rows one block of {@link accumulateSteps} over a shard of `rows` batch rows sums: whole steps. */
export function stepsDepth(rows: i32): i32 {
  return max(1, STEPS_DEPTH / rows) * rows;
}

/**
 * acc [M, N] += Σ_t A_tᵀ U_t over the batch rows [b0, b1), A_t the t-th [B, M] step of `a` and U_t
 * that of `u` (both [T, B, ·]), and, with `a2` ≠ 0, acc2 [M2, N] += Σ_t A2_tᵀ U_t likewise: a
 * weight gradient's sum over a whole sequence as one product of depth T·rows, packed in blocks of
 * {@link stepsDepth} rows (whole steps, t ascending) into `packs`: Aᵀ's panel (ceil(M/MR)·MR x
 * depth floats), A2ᵀ's, then U's (ceil(N/NR)·NR x depth floats), at most
 * 3 · panelFloats(stepsDepth(rows), max(M, M2, N)) floats; U is packed once for both sums. Unlike
 * one such product per step, each tile of acc is read and written once per block, not once per
 * step of a few rows. `skipFirst` leaves step 0 out of the first sum (not out of acc2's): the
 * caller knows its terms are zeros that would leave acc as it is.
 */
export function accumulateSteps(
  a: usize,
  M: i32,
  u: usize,
  N: i32,
  T: i32,
  B: i32,
  b0: i32,
  b1: i32,
  acc: usize,
  packs: usize,
  tile: usize,
  a2: usize = 0,
  M2: i32 = 0,
  acc2: usize = 0,
  skipFirst: bool = false,
): void {
  const rows = b1 - b0;
  const perBlock = stepsDepth(rows) / rows;
  for (let t0 = 0; t0 < T; t0 += perBlock) {
    const steps = min(perBlock, T - t0);
    const depth = steps * rows;
    const aPack2 = packs + ((<usize>(((M + MR - 1) / MR) * MR * depth)) << 2);
    const bPack = a2 ? aPack2 + ((<usize>(((M2 + MR - 1) / MR) * MR * depth)) << 2) : aPack2;
    for (let s = 0; s < steps; s++) {
      const t = t0 + s;
      packStepColumns(a + ((<usize>(t * B + b0) * M) << 2), M, rows, MR, packs, depth, s * rows);
      if (a2) packStepColumns(a2 + ((<usize>(t * B + b0) * M2) << 2), M2, rows, MR, aPack2, depth, s * rows);
      packStepColumns(u + ((<usize>(t * B + b0) * N) << 2), N, rows, NR, bPack, depth, s * rows);
    }
    const k0 = t0 == 0 && skipFirst ? rows : 0;
    if (k0 < depth) panelTimesPanel(packs, M, bPack, N, depth, acc, tile, k0);
    if (a2) panelTimesPanel(aPack2, M2, bPack, N, depth, acc2, tile, 0);
  }
}

/**
 * acc [M, N] += Aᵀ U from packed panels of `depth` rows, A's in MR-column slivers, U's in NR, less
 * their first k0 rows.
 */
function panelTimesPanel(
  aPack: usize,
  M: i32,
  bPack: usize,
  N: i32,
  depth: i32,
  acc: usize,
  tile: usize,
  k0: i32,
): void {
  const ld = (<usize>N) << 2;
  const aFirst = aPack + ((<usize>(k0 * MR)) << 2);
  for (let j = 0; j < N; j += NR) {
    sliverColumn(
      aFirst,
      bPack + ((<usize>(j * depth + k0 * NR)) << 2),
      depth - k0,
      acc + ((<usize>j) << 2),
      ld,
      M,
      min(NR, N - j),
      tile,
      1,
      (<usize>(MR * depth)) << 2,
    );
  }
}

/**
 * Writes `rows` consecutive rows of X [rows, W] (row-major) into the column slivers of a panel
 * of `depth` rows: sliver g (columns g·width … g·width + width − 1, zero past W) at
 * dst + g·width·depth floats, row k of X at its position k0 + k. With width MR this is the
 * microkernel's packed A of Xᵀ, with width NR its packed B of X (whole slivers move as vectors).
 */
function packStepColumns(x: usize, W: i32, rows: i32, width: i32, dst: usize, depth: i32, k0: i32): void {
  const rowBytes = (<usize>W) << 2;
  const widthBytes = (<usize>width) << 2;
  for (let c = 0; c < W; c += width) {
    let d = dst + ((<usize>(c * depth + k0 * width)) << 2);
    let src = x + ((<usize>c) << 2);
    if (c + width <= W && width == 4) {
      for (let k = 0; k < rows; k++, src += rowBytes, d += widthBytes) v128.store(d, v128.load(src));
      continue;
    }
    if (c + width <= W && width == 8) {
      for (let k = 0; k < rows; k++, src += rowBytes, d += widthBytes) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    const cols = min(width, W - c);
    for (let k = 0; k < rows; k++, src += rowBytes, d += widthBytes) {
      for (let jj = 0; jj < width; jj++) {
        store<f32>(d + ((<usize>jj) << 2), jj < cols ? load<f32>(src + ((<usize>jj) << 2)) : 0);
      }
    }
  }
}
