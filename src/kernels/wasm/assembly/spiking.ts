// The fused spiking chain (synapse → LIF → synapse → leaky readout), forward and BPTT, for the
// batch rows [b0, b1) only: rows are independent through time, so threads take disjoint row shards.
// Equations: see spiking.ts in the JS reference. Pointers are byte offsets.
//
// States are f64 and neuron-major ([N, Rp], Rp = the shard's rows rounded up to even) in the
// shard's scratch, and the inner loops run over row pairs as f64x2 lanes: every lane operation is
// the scalar reference's operation in the same order, so the values are the reference's bit for
// bit. A padding row (odd shards) has no inputs and no cotangents, and nothing of it is written out.
//
// The backward pass reads a tape of the forward (the pre-reset potential v1 and the spike, f32,
// [T, N, Rp]; with the readout's maximum over time, also that maximum, its count of ties and the
// readout itself): the forward's own when the caller kept it, else it runs the forward again for its
// rows into a tape in its own scratch: the same code on the same inputs, so either tape holds exactly
// what the forward computed.
//
// The readout is none, every step's U, or its maximum over time (READOUT_*). The maximum is the
// generic max's over the float32 values of U: a later step replaces it only when greater (or NaN);
// its gradient goes in equal shares, rounded to float32, to every step equal to it.
import { zeroBytes } from "./bulk";

function f32At(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + ((<usize>i) << 2));
}
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
function setF64(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
function setF32(p: usize, i: i32, v: f64): void {
  store<f32>(p + ((<usize>i) << 2), <f32>v);
}
function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}
/** The f64 pair at element i of an f64 array. */
function pairAt(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 3));
}
function setPair(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 3), v);
}
/** Elements i and i + 1 of an f32 array, as f64 lanes. */
function f32PairAt(p: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p + ((<usize>i) << 2)));
}
function setF32Pair(p: usize, i: i32, v: v128): void {
  v128.store64_lane(p + ((<usize>i) << 2), f32x4.demote_f64x2_zero(v), 0);
}
/** Lanes from two f32 values at `at0` and `at1` (element indices); lane 1 is 0 when `two` is false. */
function gatherF32(p: usize, at0: i32, at1: i32, two: bool): v128 {
  const lo = f64x2.splat(f32At(p, at0));
  return f64x2.replace_lane(lo, 1, two ? f32At(p, at1) : 0);
}

/** σ'(x) with scale k: 0 sigmoid, 1 fast sigmoid, 2 arctan, 3 triangle, 4 Gaussian. */
function surrogate(kind: i32, x: f64, k: f64): f64 {
  if (kind == 1) {
    const d = k * Math.abs(x) + 1;
    return 1 / (d * d);
  }
  if (kind == 0) {
    const s = 1 / (1 + Math.exp(-k * x));
    return k * s * (1 - s);
  }
  if (kind == 2) {
    const y = (Math.PI * k * x) / 2;
    return k / 2 / (1 + y * y);
  }
  if (kind == 3) return k * Math.max(0, 1 - k * Math.abs(x));
  return (k / Math.sqrt(2 * Math.PI)) * Math.exp(-(k * x * (k * x)) / 2);
}

/** {@link surrogate} on both lanes: the fast sigmoid (the usual one) in f64x2, the others lane by lane. */
function surrogatePair(kind: i32, x: v128, k: f64): v128 {
  if (kind == 1) {
    const d = f64x2.add(f64x2.mul(f64x2.splat(k), f64x2.abs(x)), f64x2.splat(1));
    return f64x2.div(f64x2.splat(1), f64x2.mul(d, d));
  }
  const lo = f64x2.splat(surrogate(kind, f64x2.extract_lane(x, 0), k));
  return f64x2.replace_lane(lo, 1, surrogate(kind, f64x2.extract_lane(x, 1), k));
}

/** No readout (the tape for a backward pass from the hidden states alone). */
const READOUT_NONE = 0;
/** The readout U at every step, [T, B, O]. */
const READOUT_EVERY = 1;
/** The readout's maximum over time, [B, O]. */
const READOUT_MAX = 2;

/** `rows` rounded up to even: the row stride of the states. */
function padded(rows: i32): i32 {
  return (rows + 1) & ~1;
}

/**
 * Bytes of the forward's scratch: f64 g1, V, spike masks [N, Rp], g2, U, the running maximum of U
 * and its count of ties [O, Rp], then −W₂ as f64 pairs.
 */
function stateBytes(rows: i32, N: i32, O: i32): i32 {
  return weightPairsOffset(rows, N, O) + N * O * 16;
}

/** Where −W₂ [N, O] starts in the forward's scratch, each weight as an f64 pair (both lanes). */
function weightPairsOffset(rows: i32, N: i32, O: i32): i32 {
  return (3 * N + 4 * O) * padded(rows) * 8;
}

/** Scratch bytes of a forward shard of `rows` batch rows. */
export function spikingForwardScratchBytes(rows: i32, N: i32, O: i32): i32 {
  return stateBytes(rows, N, O);
}

/**
 * Bytes of a shard's tape: v1, then the spikes (f32) [T, N, Rp]; for the readout's maximum, then
 * that maximum and its count (f64) [O, Rp] and the readout U (f32) [T, O, Rp].
 */
export function spikingTapeBytes(T: i32, rows: i32, N: i32, O: i32, readout: i32): i32 {
  const hidden = T * N * padded(rows) * 8;
  return readout == READOUT_MAX ? hidden + (16 + 4 * T) * O * padded(rows) : hidden;
}

/** Where a backward shard's dW1 [nIn, N] and dW2 [N, O] (f64) start in its scratch: after the adjoints. */
export function spikingGradientsOffset(rows: i32, N: i32, O: i32): i32 {
  return (2 * N + 3 * O) * padded(rows) * 8;
}

/**
 * Scratch bytes of a backward shard: the adjoint states (and the maximum's shares of its gradient),
 * its dW1 and dW2, then when the forward's tape is given (`kept`) W₂ as f64 pairs, else the
 * recomputed forward's scratch and tape.
 */
export function spikingBackwardScratchBytes(
  T: i32,
  rows: i32,
  nIn: i32,
  N: i32,
  O: i32,
  readout: i32,
  kept: i32,
): i32 {
  const own = spikingGradientsOffset(rows, N, O) + (nIn * N + N * O) * 8;
  return kept ? own + N * O * 16 : own + stateBytes(rows, N, O) + spikingTapeBytes(T, rows, N, O, readout);
}

/**
 * Forward for rows [b0, b1). Events: `start` [T·B + 1] i32, `index` i32 and `value` f32 list the
 * non-zero inputs of each (t, b). Writes the readout (`readout`, see READOUT_*) to `out` unless it is
 * 0: U [T, B, O] or its maximum over time [B, O]; s and v [T, B, N] (f32) unless `s` is 0; the tape
 * (see `spikingTapeBytes`) unless `tape` is 0.
 */
export function spikingForward(
  T: i32,
  B: i32,
  N: i32,
  O: i32,
  b0: i32,
  b1: i32,
  start: usize,
  index: usize,
  value: usize,
  w1: usize,
  w2: usize,
  readout: i32,
  out: usize,
  s: usize,
  v: usize,
  tape: usize,
  synDecay: f64,
  cv: f64,
  ci: f64,
  c0: f64,
  vTh: f64,
  vReset: f64,
  v0: f64,
  hard: i32,
  outDecay: f64,
  scratch: usize,
): void {
  const R = b1 - b0;
  const Rp = padded(R);
  const rowBytes = (<usize>Rp) << 3;
  const g1 = scratch;
  const V = g1 + ((<usize>(N * Rp)) << 3);
  const spiked = V + ((<usize>(N * Rp)) << 3);
  const g2 = spiked + ((<usize>(N * Rp)) << 3);
  const U = g2 + ((<usize>(O * Rp)) << 3);
  const M = U + ((<usize>(O * Rp)) << 3);
  const C = M + ((<usize>(O * Rp)) << 3);
  const negW2 = scratch + <usize>weightPairsOffset(R, N, O);
  const tapeS = tape + ((<usize>(T * N * Rp)) << 2);
  const tapeU = tapeS + ((<usize>(T * N * Rp)) << 2) + ((<usize>(O * Rp)) << 4);
  for (let i = 0; i < N * O; i++) v128.store(negW2 + ((<usize>i) << 4), f64x2.splat(-f32At(w2, i)));
  // g1 and g2 hold the decayed synaptic currents a·g of the step before: the decay of step t is
  // folded into step t − 1's loops (at t = 0 both are 0, as a·0 would be).
  zeroBytes(g1, (<usize>(N * Rp)) << 3);
  for (let i = 0; i < N * Rp; i++) setF64(V, i, v0);
  zeroBytes(g2, (<usize>(2 * O * Rp)) << 3);
  for (let i = 0; i < O * Rp; i++) setF64(M, i, -Infinity);
  zeroBytes(C, (<usize>(O * Rp)) << 3);
  const a = f64x2.splat(synDecay);
  const cvv = f64x2.splat(cv);
  const civ = f64x2.splat(ci);
  const c0v = f64x2.splat(c0);
  const th = f64x2.splat(vTh);
  const resetv = f64x2.splat(vReset);
  const hardMask = i64x2.splat(hard ? -1 : 0);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  const k = f64x2.splat(outDecay);
  const k1 = f64x2.splat(1 - outDecay);
  for (let t = 0; t < T; t++) {
    const row0 = t * B;
    for (let r = 0; r < R; r++) {
      const end = i32At(start, row0 + b0 + r + 1);
      for (let e = i32At(start, row0 + b0 + r); e < end; e++) {
        const w = w1 + ((<usize>(i32At(index, e) * N)) << 2);
        const xv = f32At(value, e);
        let at = g1 + ((<usize>r) << 3);
        // A spike (x = 1) adds the weight itself: 1·w is w exactly, and the multiply is most of the work.
        if (xv == 1) {
          for (let j = 0; j < N; j++, at += rowBytes) store<f64>(at, load<f64>(at) + f32At(w, j));
        } else {
          for (let j = 0; j < N; j++, at += rowBytes) store<f64>(at, load<f64>(at) + xv * f32At(w, j));
        }
      }
    }
    for (let j = 0; j < N; j++) {
      const h = j * Rp;
      const at1 = (t * N + j) * Rp;
      for (let r = 0; r < Rp; r += 2) {
        const g = pairAt(g1, h + r);
        const pre = f64x2.add(f64x2.add(f64x2.mul(cvv, pairAt(V, h + r)), f64x2.mul(civ, g)), c0v);
        const spike = f64x2.ge(pre, th);
        const post = v128.bitselect(v128.bitselect(resetv, f64x2.sub(pre, th), hardMask), pre, spike);
        setPair(V, h + r, post);
        setPair(g1, h + r, f64x2.mul(a, g));
        setPair(spiked, h + r, spike);
        if (tape) {
          setF32Pair(tape, at1 + r, pre);
          setF32Pair(tapeS, at1 + r, v128.bitselect(one, zero, spike));
        }
        if (s) {
          const at = (row0 + b0 + r) * N + j;
          setF32(s, at, f64x2.extract_lane(v128.bitselect(one, zero, spike), 0));
          setF32(v, at, f64x2.extract_lane(post, 0));
          if (r + 1 < R) {
            setF32(s, at + N, f64x2.extract_lane(v128.bitselect(one, zero, spike), 1));
            setF32(v, at + N, f64x2.extract_lane(post, 1));
          }
        }
      }
    }
    if (readout == READOUT_NONE) continue; // the tape needs only g1 and V
    for (let q = 0; q < O; q++) {
      for (let r = 0; r < Rp; r += 2) {
        const i = q * Rp + r;
        // g2 adds W₂'s row j where neuron j spiked, in order of j: g − (−w) is g + w exactly, and
        // g − (+0), where the neuron did not spike, is g (also −0, which g + 0 would not leave).
        let g = pairAt(g2, i);
        for (let j = 0; j < N; j++) {
          const negW = v128.load(negW2 + ((<usize>(j * O + q)) << 4));
          g = f64x2.sub(g, v128.and(negW, pairAt(spiked, j * Rp + r)));
        }
        const x = f64x2.add(f64x2.mul(k, pairAt(U, i)), f64x2.mul(k1, g));
        setPair(U, i, x);
        setPair(g2, i, f64x2.mul(a, g));
        if (readout == READOUT_EVERY) {
          if (!out) continue;
          const at = (row0 + b0 + r) * O + q;
          setF32(out, at, f64x2.extract_lane(x, 0));
          if (r + 1 < R) setF32(out, at + O, f64x2.extract_lane(x, 1));
          continue;
        }
        // The maximum over the float32 values: replaced when greater or NaN, ties counted.
        const x32 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
        const m = pairAt(M, i);
        const replace = v128.or(f64x2.gt(x32, m), f64x2.ne(x32, x32));
        setPair(M, i, v128.bitselect(x32, m, replace));
        const ties = f64x2.add(pairAt(C, i), v128.and(one, f64x2.eq(x32, m)));
        setPair(C, i, v128.bitselect(one, ties, replace));
        if (tape) setF32Pair(tapeU, t * O * Rp + i, x);
      }
    }
  }
  if (readout != READOUT_MAX) return;
  if (tape) memory.copy(tapeS + ((<usize>(T * N * Rp)) << 2), M, (<usize>(O * Rp)) << 4);
  if (!out) return;
  for (let q = 0; q < O; q++) {
    for (let r = 0; r < R; r++) setF32(out, (b0 + r) * O + q, f64At(M, q * Rp + r));
  }
}

/**
 * BPTT for rows [b0, b1), reading the forward's tape at `tape` (the forward kept it), or if that is
 * 0 after running their forward again into the scratch's tape. dU is the cotangent of the readout
 * (`readout`: U [T, B, O], or its maximum over time [B, O]), dS and dV [T, B, N]; all f32, a zero
 * pointer means none. The shard's dW1 [nIn, N] and dW2 [N, O] (f64) start at
 * `spikingGradientsOffset` in its scratch; the caller adds the shards' parts.
 */
export function spikingBackward(
  T: i32,
  B: i32,
  nIn: i32,
  N: i32,
  O: i32,
  b0: i32,
  b1: i32,
  start: usize,
  index: usize,
  value: usize,
  w1: usize,
  w2: usize,
  readout: i32,
  dU: usize,
  dS: usize,
  dV: usize,
  synDecay: f64,
  cv: f64,
  ci: f64,
  c0: f64,
  vTh: f64,
  vReset: f64,
  v0: f64,
  hard: i32,
  detach: i32,
  outDecay: f64,
  kind: i32,
  scale: f64,
  tape: usize,
  scratch: usize,
): void {
  const R = b1 - b0;
  const Rp = padded(R);
  const rowBytes = (<usize>Rp) << 3;
  const aU = scratch;
  const aG2 = aU + ((<usize>(O * Rp)) << 3);
  const aV = aG2 + ((<usize>(O * Rp)) << 3);
  const aG1 = aV + ((<usize>(N * Rp)) << 3);
  const shares = aG1 + ((<usize>(N * Rp)) << 3);
  const dW1 = scratch + <usize>spikingGradientsOffset(R, N, O);
  const dW2 = dW1 + ((<usize>(nIn * N)) << 3);
  const states = dW2 + ((<usize>(N * O)) << 3);
  const tapeV1 = tape ? tape : states + <usize>stateBytes(R, N, O);
  const tapeS = tapeV1 + ((<usize>(T * N * Rp)) << 2);
  const M = tapeS + ((<usize>(T * N * Rp)) << 2);
  const C = M + ((<usize>(O * Rp)) << 3);
  const tapeU = C + ((<usize>(O * Rp)) << 3);
  const max = readout == READOUT_MAX;
  // W₂ as f64 pairs, first in the scratch, or over the forward's −W₂ when it runs here.
  const w2Pairs = tape ? states : states + <usize>weightPairsOffset(R, N, O);
  if (!tape)
    spikingForward(
      T,
      B,
      N,
      O,
      b0,
      b1,
      start,
      index,
      value,
      w1,
      w2,
      max ? READOUT_MAX : READOUT_NONE,
      0,
      0,
      0,
      tapeV1,
      synDecay,
      cv,
      ci,
      c0,
      vTh,
      vReset,
      v0,
      hard,
      outDecay,
      states,
    );
  for (let i = 0; i < N * O; i++) v128.store(w2Pairs + ((<usize>i) << 4), f64x2.splat(f32At(w2, i)));
  zeroBytes(scratch, <usize>(spikingGradientsOffset(R, N, O) + (nIn * N + N * O) * 8));
  const a = f64x2.splat(synDecay);
  const k = f64x2.splat(outDecay);
  const k1 = f64x2.splat(1 - outDecay);
  const cvv = f64x2.splat(cv);
  const civ = f64x2.splat(ci);
  const th = f64x2.splat(vTh);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  if (max && dU) {
    // Each step equal to the maximum gets its share g / ties, rounded to float32 (the generic max's
    // cotangent is a float32 array).
    for (let q = 0; q < O; q++) {
      for (let r = 0; r < Rp; r += 2) {
        const at = (b0 + r) * O + q;
        const share = f64x2.div(gatherF32(dU, at, at + O, r + 1 < R), pairAt(C, q * Rp + r));
        setPair(shares, q * Rp + r, f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(share)));
      }
    }
  }
  for (let t = T - 1; t >= 0; t--) {
    const row0 = t * B;
    for (let q = 0; q < O; q++) {
      for (let r = 0; r < Rp; r += 2) {
        const i = q * Rp + r;
        const at = (row0 + b0 + r) * O + q;
        let du = zero;
        if (max) {
          if (dU) du = v128.and(pairAt(shares, i), f64x2.eq(f32PairAt(tapeU, t * O * Rp + i), pairAt(M, i)));
        } else if (dU) du = gatherF32(dU, at, at + O, r + 1 < R);
        const au = f64x2.add(du, f64x2.mul(k, pairAt(aU, i)));
        setPair(aU, i, au);
        setPair(aG2, i, f64x2.add(f64x2.mul(k1, au), f64x2.mul(a, pairAt(aG2, i))));
      }
    }
    // Rows outside, neurons inside: consecutive iterations add to different dW2 entries, so the
    // sums' chains of dependent additions interleave instead of waiting on each other.
    for (let r = 0; r < Rp; r += 2) {
      const two = r + 1 < R;
      for (let j = 0; j < N; j++) {
        const tape = (t * N + j) * Rp;
        const at = (row0 + b0 + r) * N + j;
        const spike = f32PairAt(tapeS, tape + r);
        const pre = f32PairAt(tapeV1, tape + r);
        let ds = dS ? gatherF32(dS, at, at + N, two) : zero;
        const spiked = f64x2.ne(spike, zero);
        for (let q = 0; q < O; q++) {
          const w = j * O + q;
          const g = pairAt(aG2, q * Rp + r);
          ds = f64x2.add(ds, f64x2.mul(g, v128.load(w2Pairs + ((<usize>w) << 4))));
          // dW2 sums g where the neuron spiked, over the rows in order (lane 0 before lane 1); a
          // lane without a spike adds +0, which leaves any sum but -0 as it is.
          const gs = v128.and(g, spiked);
          setF64(dW2, w, f64At(dW2, w) + f64x2.extract_lane(gs, 0) + f64x2.extract_lane(gs, 1));
        }
        let av = pairAt(aV, j * Rp + r);
        if (dV) av = f64x2.add(av, gatherF32(dV, at, at + N, two));
        if (!detach) {
          const d = hard ? f64x2.sub(f64x2.splat(vReset), pre) : f64x2.neg(th);
          ds = f64x2.add(ds, f64x2.mul(d, av));
        }
        const keep = hard ? f64x2.sub(one, spike) : one;
        const dv1 = f64x2.add(
          f64x2.mul(ds, surrogatePair(kind, f64x2.sub(pre, th), scale)),
          f64x2.mul(av, keep),
        );
        setPair(aV, j * Rp + r, f64x2.mul(cvv, dv1));
        setPair(aG1, j * Rp + r, f64x2.add(f64x2.mul(civ, dv1), f64x2.mul(a, pairAt(aG1, j * Rp + r))));
      }
    }
    for (let r = 0; r < R; r++) {
      const end = i32At(start, row0 + b0 + r + 1);
      for (let e = i32At(start, row0 + b0 + r); e < end; e++) {
        const d = dW1 + ((<usize>(i32At(index, e) * N)) << 3);
        const xv = f32At(value, e);
        let at = aG1 + ((<usize>r) << 3);
        if (xv == 1) {
          for (let j = 0; j < N; j++, at += rowBytes) setF64(d, j, f64At(d, j) + load<f64>(at));
        } else {
          for (let j = 0; j < N; j++, at += rowBytes) setF64(d, j, f64At(d, j) + xv * load<f64>(at));
        }
      }
    }
  }
}
