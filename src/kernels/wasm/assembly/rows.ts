// Row-shard building blocks of the fused sequence kernels: products of a shard's batch rows with a
// weight matrix (packed for the microkernel, or direct loops when an inner size is small), bias
// fills, and the per-step accumulation of a weight gradient over the shard's rows.
import { MR, NR, madd, sliverColumn } from "./microkernel";
import { ld, st } from "./lanes";
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

/** Rows of B one pass of {@link fewRowsTransposed} takes: their lines stay in L1 across the column blocks. */
const FEW_ROWS_DEPTH: i32 = 64;

/**
 * Columns [n0, n1) of C [M, N] ← Aᵀ B for A [K, M] and B [K, N] row-major with few rows M in C
 * (a weight gradient over many batch rows for few inputs): B read in place, in passes over
 * FEW_ROWS_DEPTH of its rows (no packing, which would copy all of B for a product of a few rows),
 * each over groups of four rows of C and eight, then four, then single columns. Every float of C
 * is the madd chain over k from zero of the microkernel (carried through C between passes),
 * whatever the group or the column range, so any split of the columns gives the same C.
 */
export function fewRowsTransposed(
  a: usize,
  M: i32,
  b: usize,
  N: i32,
  K: i32,
  c: usize,
  n0: i32,
  n1: i32,
): void {
  const lda = (<usize>M) << 2;
  const ldb = (<usize>N) << 2;
  for (let k0 = 0; k0 < K; k0 += FEW_ROWS_DEPTH) {
    const kc = min(FEW_ROWS_DEPTH, K - k0);
    const ak = a + <usize>k0 * lda;
    const bk = b + <usize>k0 * ldb;
    for (let i = 0; i < M; i += MR) {
      const rows = min(MR, M - i);
      const ai = ak + ((<usize>i) << 2);
      const ci = c + <usize>i * ldb;
      let j = n0;
      for (; j + 8 <= n1; j += 8)
        fewRowsTile(ai, lda, rows, bk + ((<usize>j) << 2), ldb, kc, ci + ((<usize>j) << 2), 8, k0);
      for (; j + 4 <= n1; j += 4)
        fewRowsTile(ai, lda, rows, bk + ((<usize>j) << 2), ldb, kc, ci + ((<usize>j) << 2), 4, k0);
      for (; j < n1; j++)
        fewRowsTile(ai, lda, rows, bk + ((<usize>j) << 2), ldb, kc, ci + ((<usize>j) << 2), 1, k0);
    }
  }
}

/**
 * C[0:rows, 0:width] ← (k0 = 0 ? 0 : C) + Σ_k A[k, 0:rows]ᵀ B[k, 0:width] over kc rows, for
 * rows ≤ 4 and width 8, 4 or 1 (a lane splat to all four, as `ld` does); A and B have row strides
 * lda and ldb bytes, C has ldb.
 */
function fewRowsTile(
  a: usize,
  lda: usize,
  rows: i32,
  b: usize,
  ldb: usize,
  kc: i32,
  c: usize,
  width: i32,
  k0: i32,
): void {
  const full = width != 1;
  // Rows past `rows` read row 0 of A and C again; their sums are never stored.
  const o1: usize = rows > 1 ? 4 : 0;
  const o2: usize = rows > 2 ? 8 : 0;
  const o3: usize = rows > 3 ? 12 : 0;
  const r1 = rows > 1 ? ldb : 0;
  const r2 = rows > 2 ? 2 * ldb : 0;
  const r3 = rows > 3 ? 3 * ldb : 0;
  const zero = f32x4.splat(0);
  const first = k0 == 0;
  let c00 = first ? zero : ld(c, full);
  let c10 = first ? zero : ld(c + r1, full);
  let c20 = first ? zero : ld(c + r2, full);
  let c30 = first ? zero : ld(c + r3, full);
  const wide = width == 8;
  let c01 = first || !wide ? zero : v128.load(c, 16);
  let c11 = first || !wide ? zero : v128.load(c + r1, 16);
  let c21 = first || !wide ? zero : v128.load(c + r2, 16);
  let c31 = first || !wide ? zero : v128.load(c + r3, 16);
  for (let k = 0; k < kc; k++, a += lda, b += ldb) {
    const b0 = ld(b, full);
    const b1 = wide ? v128.load(b, 16) : b0;
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a + o1);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a + o2);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a + o3);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
  }
  st(c, c00, full);
  if (wide) v128.store(c, c01, 16);
  if (rows > 1) {
    st(c + r1, c10, full);
    if (wide) v128.store(c + r1, c11, 16);
  }
  if (rows > 2) {
    st(c + r2, c20, full);
    if (wide) v128.store(c + r2, c21, 16);
  }
  if (rows > 3) {
    st(c + r3, c30, full);
    if (wide) v128.store(c + r3, c31, 16);
  }
}
