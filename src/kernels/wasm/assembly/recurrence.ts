// The fused recurrence over T steps, forward and BPTT, for the batch rows [b0, b1) only: rows are
// independent through time, so threads take disjoint row shards and never synchronise per step.
// Equations: see recurrence.ts in the JS reference. Pointers are byte offsets.
import { MR, NR } from "./microkernel";
import { backwardPointwise, forwardPointwise } from "./pointwise";
import { copyBytes, zeroBytes } from "./bulk";
import {
  accumulateSteps,
  fillRows,
  FEW,
  packBytes,
  panelFloats,
  rowsDotFew,
  rowsTimes,
  rowsTimesPacked,
  stepsDepth,
} from "./rows";

/** Scratch bytes a thread needs for `rows` batch rows whose products have inner size up to K. */
export function recurrenceScratchBytes(rows: i32, K: i32): i32 {
  return <i32>packBytes(rows, K);
}

/**
 * Forward for rows [b0, b1). The drive of step t is `drive_t` (0 = none) plus, with an input
 * (`xa` ≠ 0), `xa_t W` where xa [T, B, Ia] is the input with a column of ones appended and `wInP`
 * holds W = [W_in; b] [Ia, H], packed by packB when Ia > FEW, else row-major. `hBase` holds
 * [h0; h_0; …; h_{T-1}] ((T+1) x B x H floats: h0 is written by the caller, the states by this
 * function); `pre` [T, B, H] receives pre_t, or is 0 when the backward takes f' from h_t (the
 * pre-activation is then formed in place in h_t); `wp` is wRec packed by packB. With a readout
 * (`y` ≠ 0), y [T, B, O] receives `bOut + h_t W_out` (`wOutP`: W_out [H, O] packed by packB when
 * O > FEW, else W_outᵀ [O, H] row-major). `scratch` holds
 * recurrenceScratchBytes(b1 - b0, max(H, Ia, O)) private bytes.
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
  // h0 W is +0 everywhere when h0's rows are +0 and W finite: step 0 then adds +0 instead.
  const zeroStart =
    allZeroBits(hBase + p0, p1 - p0) && allFinite(wp, (<usize>(((H + NR - 1) / NR) * NR * H)) << 2);
  for (let t = 0; t < T; t++) {
    const hPrev = hBase + <usize>t * stepBytes;
    const h = hPrev + stepBytes;
    const z = pre ? pre + <usize>t * stepBytes : h;
    if (drive) copyBytes(z + p0, drive + <usize>t * stepBytes + p0, p1 - p0);
    else zeroBytes(z + p0, p1 - p0);
    if (xa) rowsTimes(xa + <usize>t * ((<usize>(B * Ia)) << 2), Ia, wInP, z, H, b0, b1, scratch);
    if (t == 0 && zeroStart) addZero(z + p0, p1 - p0);
    else rowsTimesPacked(hPrev, H, wp, z, H, b0, b1, scratch);
    forwardPointwise(hPrev, z, h, p0, p1, alpha, kind, order);
    if (y) {
      const yt = y + <usize>t * ((<usize>(B * O)) << 2);
      fillRows(yt, bOut, O, (<usize>(b0 * O)) << 2, (<usize>(b1 * O)) << 2);
      if (O <= FEW) rowsDotFew(h, H, wOutP, yt, O, b0, b1);
      else rowsTimesPacked(h, H, wOutP, yt, O, b0, b1, scratch);
    }
  }
}

/** Whether the bytes [p, p + n) are all zero bits (floats +0; n a multiple of 4). */
function allZeroBits(p: usize, n: usize): bool {
  let any = i32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) any = v128.or(any, v128.load(p + o));
  let tail: i32 = 0;
  for (; o < n; o += 4) tail |= load<i32>(p + o);
  return !v128.any_true(any) && tail == 0;
}

/** Whether the n bytes of floats at p are all finite (x - x is 0 for them, NaN for ±∞ and NaN). */
function allFinite(p: usize, n: usize): bool {
  let ok = i32x4.splat(-1);
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) {
    const x = v128.load(p + o);
    ok = v128.and(ok, f32x4.eq(f32x4.sub(x, x), f32x4.splat(0)));
  }
  let tail = true;
  for (; o < n; o += 4) {
    const x = load<f32>(p + o);
    tail = tail && x - x == 0;
  }
  return i32x4.all_true(ok) && tail;
}

/** Floats [p, p + n) ← themselves + 0 (what adding a zero product does: -0 becomes +0). */
function addZero(p: usize, n: usize): void {
  const zero = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(p + o, f32x4.add(v128.load(p + o), zero));
  for (; o < n; o += 4) store<f32>(p + o, load<f32>(p + o) + 0);
}

/**
 * Scratch bytes a thread needs for the backward over `rows` batch rows with K = max(H, Ia, O):
 * the forward's, the three packed operands of the weight-gradient products (blocks of whole steps,
 * see accumulateSteps) and an edge tile.
 */
export function recurrenceBackwardScratchBytes(rows: i32, H: i32, K: i32): i32 {
  return recurrenceScratchBytes(rows, K) + ((3 * panelFloats(stepsDepth(rows), K) + MR * NR) << 2);
}

/** Floats of one shard's gradient block: dWRec [H, H], then [dW_in; db] [Ia, H], then dW_outᵀ [O, H]. */
export function recurrenceGradFloats(H: i32, Ia: i32, O: i32): i32 {
  return (H + Ia + O) * H;
}

/**
 * BPTT for rows [b0, b1). The cotangent reaching h_t is dHs_t (0 = none) plus, with a readout
 * (`dYs` ≠ 0), dYs_t W_outᵀ (`wOutTP`: W_outᵀ [O, H], packed by packB when O > FEW, else
 * row-major). f' comes from `pre` [T, B, H], or, when `pre` is 0, from the states in `hBase`
 * (laid out as in the forward); `wtp` is wRecᵀ packed by packB; `g` is a [B, H] scratch buffer
 * (shared, each thread uses its own rows). Writes dh0's rows (only partly formed unless
 * `dh0Wanted`), the drive gradient's rows into
 * `dDrive` [T, B, H] (always: dWRec is summed from it after the loop), and this shard's weight
 * gradients into `grads` (recurrenceGradFloats(H, Ia, O) floats, laid out as it says,
 * overwritten), each summed over all steps after the loop as one product (accumulateSteps):
 * dWRec = Σ_t h_{t-1}ᵀ u_t; with an input (`xa` [T, B, Ia] ≠ 0, the input with a column of
 * ones), [dW_in; db] = Σ_t xa_tᵀ u_t; with a readout cotangent, dW_outᵀ = Σ_t dYs_tᵀ h_t.
 * `scratch` holds recurrenceBackwardScratchBytes(b1 - b0, H, max(H, Ia, O)) private bytes.
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
  dh0Wanted: bool,
  g: usize,
  alpha: f32,
  kind: i32,
  order: i32,
  xa: usize,
  Ia: i32,
  grads: usize,
  scratch: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const yStepBytes = (<usize>(B * O)) << 2;
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  const rows = b1 - b0;
  const K = max(H, max(Ia, O));
  const panelBytes = (<usize>panelFloats(stepsDepth(rows), K)) << 2;
  const packs = scratch + <usize>recurrenceScratchBytes(rows, K);
  const tile = packs + 3 * panelBytes;
  const dWRec = grads;
  const dWb = dWRec + ((<usize>(H * H)) << 2);
  const dWOutT = dWb + ((<usize>(Ia * H)) << 2);
  zeroBytes(grads, (<usize>recurrenceGradFloats(H, Ia, O)) << 2);
  // Ping-pong between g and dh0 so that the last gradient lands in dh0: after T swaps the
  // current buffer is the one we started from when T is even.
  let cur = T % 2 == 0 ? dh0 : g;
  let next = T % 2 == 0 ? g : dh0;
  if (dHs) copyBytes(cur + p0, dHs + <usize>(T - 1) * stepBytes + p0, p1 - p0);
  else zeroBytes(cur + p0, p1 - p0);
  if (dYs) rowsTimes(dYs + <usize>(T - 1) * yStepBytes, O, wOutTP, cur, H, b0, b1, scratch);
  for (let t = T - 1; t >= 0; t--) {
    const hPrev = hBase + <usize>t * stepBytes;
    const h = hPrev + stepBytes;
    const src = pre ? pre + <usize>t * stepBytes : h;
    const u = dDrive + <usize>t * stepBytes;
    const dHsPrev = t > 0 && dHs ? dHs + <usize>(t - 1) * stepBytes : 0;
    backwardPointwise(cur, src, !pre, dHsPrev, u, next, p0, p1, alpha, kind, order);
    if (t > 0 && dYs) rowsTimes(dYs + <usize>(t - 1) * yStepBytes, O, wOutTP, next, H, b0, b1, scratch);
    // The last product gives dh0 only: skipped when it is not wanted (`next` then holds its other terms).
    if (t > 0 || dh0Wanted) rowsTimesPacked(u, H, wtp, next, H, b0, b1, scratch);
    const swap = cur;
    cur = next;
    next = swap;
  }
  // [dW_in; db] shares dWRec's packed drive gradient. Step 0's terms of dWRec, h0ᵀ u_0, leave it as
  // it is when h0's rows are +0 and u_0's finite (its sums start at +0 and are never -0).
  const zeroStart = allZeroBits(hBase + p0, p1 - p0) && allFinite(dDrive + p0, p1 - p0);
  accumulateSteps(hBase, H, dDrive, H, T, B, b0, b1, dWRec, packs, tile, xa, Ia, dWb, zeroStart);
  if (dYs) accumulateSteps(dYs, O, hBase + stepBytes, H, T, B, b0, b1, dWOutT, packs, tile);
}
