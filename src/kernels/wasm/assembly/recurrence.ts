// The fused recurrence over T steps, forward and BPTT, for the batch rows [b0, b1) only: rows are
// independent through time, so threads take disjoint row shards and never synchronise per step.
// Equations: see recurrence.ts in the JS reference. Pointers are byte offsets.
import { kernel4x8, MR, NR } from "./microkernel";
import { packA } from "./pack";
import { backwardPointwise, forwardPointwise } from "./pointwise";

/**
 * Rows [b0, b1) of out [B, N] += the same rows of A [B, K] times the packed [K, N] matrix `wp`
 * (NR-column slivers of K rows). `scratch` receives the rows packed into MR-row slivers, followed
 * by a 32-float edge tile.
 */
function rowsTimesPacked(
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

/** Scratch bytes a thread needs for `rows` batch rows whose products have inner size up to K. */
export function recurrenceScratchBytes(rows: i32, K: i32): i32 {
  return (((rows + MR - 1) / MR) * MR * K + MR * NR) << 2;
}

/** Bytes [p0, p1) of a [B, N] step (whole rows) ← the row vector `bias` [N] repeated. */
function fillRows(z: usize, bias: usize, N: i32, p0: usize, p1: usize): void {
  const rowBytes = (<usize>N) << 2;
  for (let p = p0; p < p1; p += rowBytes) {
    memory.copy(z + p, bias, rowBytes);
  }
}

/**
 * Forward for rows [b0, b1). The drive of step t is `drive_t` (0 = none) plus, with an input
 * (`xa` ≠ 0), `xa_t W` where xa [T, B, Ia] is the input with a column of ones appended and `wInP`
 * packs W = [W_in; b] [Ia, H] (packB). `hBase` holds [h0; h_0; …; h_{T-1}] ((T+1) x B x H floats:
 * h0 is written by the caller, the states by this function); `pre` [T, B, H] receives pre_t, or
 * is 0 when the backward takes f' from h_t (the pre-activation is then formed in place in h_t);
 * `wp` is wRec packed by packB. With a readout (`y` ≠ 0), y [T, B, O] receives
 * `bOut + h_t W_out` (`wOutP` packs W_out [H, O]). `scratch` holds
 * recurrenceScratchBytes(b1 - b0, max(H, Ia)) private bytes.
 */
export function recurrenceForward(
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  drive: usize,
  xa: usize,
  Ia: i32,
  wInP: usize,
  wp: usize,
  hBase: usize,
  pre: usize,
  y: usize,
  O: i32,
  wOutP: usize,
  bOut: usize,
  alpha: f32,
  kind: i32,
  order: i32,
  scratch: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  for (let t = 0; t < T; t++) {
    const hPrev = hBase + <usize>t * stepBytes;
    const h = hPrev + stepBytes;
    const z = pre ? pre + <usize>t * stepBytes : h;
    if (drive) memory.copy(z + p0, drive + <usize>t * stepBytes + p0, p1 - p0);
    else memory.fill(z + p0, 0, p1 - p0);
    if (xa) rowsTimesPacked(xa + <usize>t * ((<usize>(B * Ia)) << 2), Ia, wInP, z, H, b0, b1, scratch);
    rowsTimesPacked(hPrev, H, wp, z, H, b0, b1, scratch);
    forwardPointwise(hPrev, z, h, p0, p1, alpha, kind, order);
    if (y) {
      const yt = y + <usize>t * ((<usize>(B * O)) << 2);
      fillRows(yt, bOut, O, (<usize>(b0 * O)) << 2, (<usize>(b1 * O)) << 2);
      rowsTimesPacked(h, H, wOutP, yt, O, b0, b1, scratch);
    }
  }
}

/**
 * BPTT for rows [b0, b1): writes dDrive [T, B, H] and dh0 [B, H] rows. The cotangent reaching h_t
 * is dHs_t (0 = none) plus, with a readout (`dYs` ≠ 0), dYs_t W_outᵀ (`wOutTP` packs W_outᵀ
 * [O, H]). f' comes from `pre` [T, B, H], or, when `pre` is 0, from the states in `hBase` (laid out
 * as in the forward); `wtp` is wRecᵀ packed by packB; `g` is a [B, H] scratch buffer (shared, each
 * thread uses its own rows). dWRec is left to one GEMM over all steps afterwards.
 */
export function recurrenceBackward(
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  dHs: usize,
  dYs: usize,
  O: i32,
  wOutTP: usize,
  pre: usize,
  hBase: usize,
  wtp: usize,
  dDrive: usize,
  dh0: usize,
  g: usize,
  alpha: f32,
  kind: i32,
  order: i32,
  scratch: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const yStepBytes = (<usize>(B * O)) << 2;
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  // Ping-pong between g and dh0 so that the last gradient lands in dh0: after T swaps the
  // current buffer is the one we started from when T is even.
  let cur = T % 2 == 0 ? dh0 : g;
  let next = T % 2 == 0 ? g : dh0;
  if (dHs) memory.copy(cur + p0, dHs + <usize>(T - 1) * stepBytes + p0, p1 - p0);
  else memory.fill(cur + p0, 0, p1 - p0);
  if (dYs) rowsTimesPacked(dYs + <usize>(T - 1) * yStepBytes, O, wOutTP, cur, H, b0, b1, scratch);
  for (let t = T - 1; t >= 0; t--) {
    const src = pre ? pre + <usize>t * stepBytes : hBase + <usize>(t + 1) * stepBytes;
    const u = dDrive + <usize>t * stepBytes;
    const dHsPrev = t > 0 && dHs ? dHs + <usize>(t - 1) * stepBytes : 0;
    backwardPointwise(cur, src, !pre, dHsPrev, u, next, p0, p1, alpha, kind, order);
    if (t > 0 && dYs) rowsTimesPacked(dYs + <usize>(t - 1) * yStepBytes, O, wOutTP, next, H, b0, b1, scratch);
    rowsTimesPacked(u, H, wtp, next, H, b0, b1, scratch);
    const swap = cur;
    cur = next;
    next = swap;
  }
}
