// The fused recurrence over T steps, forward and BPTT, for the batch rows [b0, b1) only: rows are
// independent through time, so threads take disjoint row shards and never synchronise per step.
// Equations: see recurrence.ts in the JS reference. Pointers are byte offsets.
import { activate, derivative } from "./activation";
import { kernel4x8, MR, NR } from "./microkernel";

const RATE = 0;

/** Rows [b0, b1) of out += rows of A [B, H] times the packed [H, H] matrix `wp` (NR-col slivers). */
function rowsTimesPacked(a: usize, wp: usize, out: usize, H: i32, b0: i32, b1: i32, tile: usize): void {
  const ld = (<usize>H) << 2;
  for (let j = 0; j < H; j += NR) {
    const sliver = wp + ((<usize>(j * H)) << 2);
    for (let i = b0; i < b1; i += MR) {
      const off = <usize>i * ld;
      kernel4x8(
        a + off,
        ld,
        sliver,
        H,
        out + off + ((<usize>j) << 2),
        ld,
        min(MR, b1 - i),
        min(NR, H - j),
        tile,
      );
    }
  }
}

/**
 * Forward for rows [b0, b1). `hBase` holds [h0; h_0; …; h_{T-1}] ((T+1) x B x H floats: h0 is
 * written by the caller, the states by this function); `pre` [T, B, H] receives pre_t; `wp` is
 * wRec packed by packB; `tile` is 32 private floats.
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
  tile: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  const leak: f32 = 1 - alpha;
  for (let t = 0; t < T; t++) {
    const hPrev = hBase + <usize>t * stepBytes;
    const h = hPrev + stepBytes;
    const z = pre + <usize>t * stepBytes;
    memory.copy(z + p0, drive + <usize>t * stepBytes + p0, p1 - p0);
    rowsTimesPacked(hPrev, wp, z, H, b0, b1, tile);
    for (let p = p0; p < p1; p += 4) {
      const hp = load<f32>(hPrev + p);
      const zp = load<f32>(z + p);
      if (order == RATE) {
        store<f32>(h + p, leak * hp + alpha * activate(zp, kind));
      } else {
        const q = leak * hp + alpha * zp;
        store<f32>(z + p, q);
        store<f32>(h + p, activate(q, kind));
      }
    }
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
  tile: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  const leak: f32 = 1 - alpha;
  // Ping-pong between g and dh0 so that the last gradient lands in dh0: after T swaps the
  // current buffer is the one we started from when T is even.
  let cur = T % 2 == 0 ? dh0 : g;
  let next = T % 2 == 0 ? g : dh0;
  memory.copy(cur + p0, dHs + <usize>(T - 1) * stepBytes + p0, p1 - p0);
  for (let t = T - 1; t >= 0; t--) {
    if (t > 0) memory.copy(next + p0, dHs + <usize>(t - 1) * stepBytes + p0, p1 - p0);
    else memory.fill(next + p0, 0, p1 - p0);
    const preT = pre + <usize>t * stepBytes;
    const u = dDrive + <usize>t * stepBytes;
    for (let p = p0; p < p1; p += 4) {
      const gp = load<f32>(cur + p);
      const d = derivative(load<f32>(preT + p), kind);
      store<f32>(u + p, alpha * gp * d);
      store<f32>(next + p, load<f32>(next + p) + leak * (order == RATE ? gp : gp * d));
    }
    rowsTimesPacked(u, wtp, next, H, b0, b1, tile);
    const swap = cur;
    cur = next;
    next = swap;
  }
}
