// The fused recurrence over T steps, forward and BPTT, for the batch rows [b0, b1) only: rows are
// independent through time, so threads take disjoint row shards and never synchronise per step.
// Equations: see recurrence.ts in the JS reference. Pointers are byte offsets.
import { kernel4x8, MR, NR } from "./microkernel";
import { packA } from "./pack";
import { backwardPointwise, forwardPointwise } from "./pointwise";

/**
 * Rows [b0, b1) of out += rows of A [B, H] times the packed [H, H] matrix `wp` (NR-col slivers).
 * `scratch` receives the rows packed into MR-row slivers, followed by a 32-float edge tile.
 */
function rowsTimesPacked(a: usize, wp: usize, out: usize, H: i32, b0: i32, b1: i32, scratch: usize): void {
  const ld = (<usize>H) << 2;
  const rows = b1 - b0;
  packA(a, false, H, 0, H, b0, rows, scratch);
  const tile = scratch + ((<usize>(((rows + MR - 1) / MR) * MR * H)) << 2);
  for (let j = 0; j < H; j += NR) {
    const sliver = wp + ((<usize>(j * H)) << 2);
    const col = out + ((<usize>j) << 2);
    for (let i = 0; i < rows; i += MR) {
      kernel4x8(
        scratch + ((<usize>(i * H)) << 2),
        sliver,
        H,
        col + <usize>(b0 + i) * ld,
        ld,
        min(MR, rows - i),
        min(NR, H - j),
        tile,
        1,
      );
    }
  }
}

/** Scratch bytes a thread needs for `rows` batch rows of a recurrence with H units. */
export function recurrenceScratchBytes(rows: i32, H: i32): i32 {
  return (((rows + MR - 1) / MR) * MR * H + MR * NR) << 2;
}

/**
 * Forward for rows [b0, b1). `hBase` holds [h0; h_0; …; h_{T-1}] ((T+1) x B x H floats: h0 is
 * written by the caller, the states by this function); `pre` [T, B, H] receives pre_t; `wp` is
 * wRec packed by packB; `scratch` holds recurrenceScratchBytes(b1 - b0, H) private bytes.
 */
export function recurrenceForward(
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  drive: usize,
  wp: usize,
  hBase: usize,
  pre: usize,
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
    const z = pre + <usize>t * stepBytes;
    memory.copy(z + p0, drive + <usize>t * stepBytes + p0, p1 - p0);
    rowsTimesPacked(hPrev, wp, z, H, b0, b1, scratch);
    forwardPointwise(hPrev, z, h, p0, p1, alpha, kind, order);
  }
}

/**
 * BPTT for rows [b0, b1): writes dDrive [T, B, H] and dh0 [B, H] rows; `wtp` is wRecᵀ packed by
 * packB; `g` is a [B, H] scratch buffer (shared, each thread uses its own rows). dWRec is left to
 * one GEMM over all steps afterwards.
 */
export function recurrenceBackward(
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  dHs: usize,
  pre: usize,
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
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  // Ping-pong between g and dh0 so that the last gradient lands in dh0: after T swaps the
  // current buffer is the one we started from when T is even.
  let cur = T % 2 == 0 ? dh0 : g;
  let next = T % 2 == 0 ? g : dh0;
  memory.copy(cur + p0, dHs + <usize>(T - 1) * stepBytes + p0, p1 - p0);
  for (let t = T - 1; t >= 0; t--) {
    const preT = pre + <usize>t * stepBytes;
    const u = dDrive + <usize>t * stepBytes;
    const dHsPrev = t > 0 ? dHs + <usize>(t - 1) * stepBytes : 0;
    backwardPointwise(cur, preT, dHsPrev, u, next, p0, p1, alpha, kind, order);
    rowsTimesPacked(u, wtp, next, H, b0, b1, scratch);
    const swap = cur;
    cur = next;
    next = swap;
  }
}
