// The fused spiking chain (synapse → LIF → synapse → leaky readout), forward and BPTT, for the
// batch rows [b0, b1) only: rows are independent through time, so threads take disjoint row shards.
// Equations: see spiking.ts in the JS reference. Pointers are byte offsets.
//
// States are f64 and row-major ([rows, Np] for the neurons, [rows, Op] for the readouts, Np and Op
// the counts rounded up to even) in the shard's scratch, and the inner loops run over neuron pairs
// (readout pairs) as f64x2 lanes: every lane operation is the scalar reference's operation in the
// same order, so the values are the reference's bit for bit. Each row's whole step runs at once
// (its input events, its neurons, its readout; backward: its readout adjoints, its neurons, its
// events into dW₁), so its states stay in the cache. An input event adds a row of W₁ (f64) as
// Np / 2 vector additions, and the weight gradients sum over the rows in the reference's order. A
// padding neuron or readout (odd N or O) is computed but never read into a real one and never
// written out: a padding neuron has W₁ = 0 and no share in the readout's sums, and the sums over
// neurons and readouts run over the real ones only.
//
// The backward pass reads a tape of the forward (the pre-reset potential v1 and the spike, f32,
// [T, rows, Np]; with the readout's maximum over time, also that maximum, its count of ties and the
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
function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}
/** Bytes of n f64 values. */
function f64Bytes(n: i32): usize {
  return (<usize>n) << 3;
}
/** Bytes of n f32 values. */
function f32Bytes(n: i32): usize {
  return (<usize>n) << 2;
}
/** Two f32 values at p, as f64 lanes. */
function f32PairAt(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}
/** Stores both lanes at p as f32. */
function setF32Pair(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}
/** Lanes from the f32 values at p and p + 4, or lane 0 in both when `two` is false (nothing read at p + 4). */
function gatherF32(p: usize, two: bool): v128 {
  return two ? f32PairAt(p) : f64x2.splat(<f64>load<f32>(p));
}
/** Stores lane 0 at p as f32, and lane 1 at p + 4 when `two`. */
function scatterF32(p: usize, v: v128, two: bool): void {
  if (two) setF32Pair(p, v);
  else store<f32>(p, <f32>f64x2.extract_lane(v, 0));
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

/**
 * {@link surrogate} of the kinds other than the fast sigmoid on both lanes, lane by lane. The
 * backward's neuron loop takes these from a row computed before it: a call inside that loop would
 * make V8 keep all of the loop's values on the stack.
 */
function otherSurrogatePair(kind: i32, x: v128, k: f64): v128 {
  const lo = f64x2.splat(surrogate(kind, f64x2.extract_lane(x, 0), k));
  return f64x2.replace_lane(lo, 1, surrogate(kind, f64x2.extract_lane(x, 1), k));
}

/**
 * The forward or backward call in progress, for `Inlined.forwardSteps` and `backwardSteps` (globals:
 * each thread's instance has its own), so that their specialised call sites pass only what differs.
 */
class Shard {
  static T: i32 = 0;
  static B: i32 = 0;
  static b0: i32 = 0;
  static R: i32 = 0;
  static N: i32 = 0;
  static Np: i32 = 0;
  static O: i32 = 0;
  static Op: i32 = 0;
  static start: usize = 0;
  static index: usize = 0;
  static value: usize = 0;
  static g1: usize = 0;
  static V: usize = 0;
  static g2: usize = 0;
  static U: usize = 0;
  static M: usize = 0;
  static C: usize = 0;
  static masks: usize = 0;
  static w1d: usize = 0;
  static negW2: usize = 0;
  static tape: usize = 0;
  static synDecay: f64 = 0;
  static cv: f64 = 0;
  static ci: f64 = 0;
  static c0: f64 = 0;
  static vTh: f64 = 0;
  static vReset: f64 = 0;
  static outDecay: f64 = 0;
  // The backward's
  static scale: f64 = 0;
  static aU: usize = 0;
  static aG2: usize = 0;
  static aV: usize = 0;
  static aG1: usize = 0;
  static shares: usize = 0;
  static sumW1: usize = 0;
  static sumW2: usize = 0;
  static w2T: usize = 0;
  static sgRow: usize = 0;
  static live: usize = 0;
  static tapeV1: usize = 0;
  static tapeS: usize = 0;
  static tapeU: usize = 0;
  static tapeM: usize = 0;
}

/**
 * Inner-loop pieces as static methods marked `@inline`, which AssemblyScript inlines at every call
 * (a call in a loop makes V8 keep the loop's values on the stack).
 */
class Inlined {
  /**
   * dst ← dst + x·src over `bytes` of f64 pairs (an input event's term): each element the
   * reference's d + x·s. A spike (x = 1) adds src itself: 1·s is s exactly, and the multiply is
   * most of the work.
   */
  @inline static addScaled(dst: usize, src: usize, x: f32, bytes: usize): void {
    if (x == 1) {
      for (let o: usize = 0; o < bytes; o += 16) {
        v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
      }
      return;
    }
    const xv = f64x2.splat(<f64>x);
    for (let o: usize = 0; o < bytes; o += 16) {
      v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(xv, v128.load(src + o))));
    }
  }

  /** The fast sigmoid's σ'(x) = 1 / (k|x| + 1)² on both lanes (kind 1 of `surrogate`). */
  @inline static fastSigmoid(x: v128, k: f64): v128 {
    const d = f64x2.add(f64x2.mul(f64x2.splat(k), f64x2.abs(x)), f64x2.splat(1));
    return f64x2.div(f64x2.splat(1), f64x2.mul(d, d));
  }
  /**
   * The forward's steps (see `spikingForward`; its scratch at `scratch`), with its flags as
   * arguments, constant where the caller inlines it for a common case: `hard` reset, `taped`,
   * `states` (s and v written), `pairOut` (the readout in one f64 pair, O ≤ 2, its W₂ rows added in
   * the neurons' loop as each pair's spikes come).
   */
  @inline static forwardSteps(
    s: usize,
    v: usize,
    out: usize,
    readout: i32,
    hard: bool,
    taped: bool,
    states: bool,
    pairOut: bool,
  ): void {
    const T = Shard.T;
    const B = Shard.B;
    const b0 = Shard.b0;
    const R = Shard.R;
    const N = Shard.N;
    const Np = Shard.Np;
    const O = Shard.O;
    const Op = Shard.Op;
    const start = Shard.start;
    const index = Shard.index;
    const value = Shard.value;
    const w1d = Shard.w1d;
    const negW2 = Shard.negW2;
    const tape = Shard.tape;
    const synDecay = Shard.synDecay;
    const cv = Shard.cv;
    const ci = Shard.ci;
    const c0 = Shard.c0;
    const vTh = Shard.vTh;
    const vReset = Shard.vReset;
    const outDecay = Shard.outDecay;
    const nBytes = f64Bytes(Np);
    const oBytes = f64Bytes(Op);
    const g1 = Shard.g1;
    const V = Shard.V;
    const g2 = Shard.g2;
    const U = Shard.U;
    const M = Shard.M;
    const C = Shard.C;
    const masks = Shard.masks;
    const tapeS = tape + f32Bytes(T * R * Np);
    const tapeU = tapeS + f32Bytes(T * R * Np) + f64Bytes(2 * R * Op);
    const a = f64x2.splat(synDecay);
    const cvv = f64x2.splat(cv);
    const civ = f64x2.splat(ci);
    const c0v = f64x2.splat(c0);
    const th = f64x2.splat(vTh);
    const resetv = f64x2.splat(vReset);
    const one = f64x2.splat(1);
    const k = f64x2.splat(outDecay);
    const k1 = f64x2.splat(1 - outDecay);
    for (let t = 0; t < T; t++) {
      const row0 = t * B + b0;
      for (let r = 0; r < R; r++) {
        const pg1 = g1 + f64Bytes(r * Np);
        const pV = V + f64Bytes(r * Np);
        const end = i32At(start, row0 + r + 1);
        for (let e = i32At(start, row0 + r); e < end; e++) {
          Inlined.addScaled(
            pg1,
            w1d + f64Bytes(i32At(index, e) * Np),
            load<f32>(value + f32Bytes(e)),
            nBytes,
          );
        }
        const pv1 = tape + f32Bytes((t * R + r) * Np);
        const ps = tapeS + f32Bytes((t * R + r) * Np);
        const outAt = (row0 + r) * N;
        const pg2 = g2 + f64Bytes(r * Op);
        // With pairOut, g2's pair adds W₂'s rows (negated, see below) here, in order of j.
        let g = pairOut ? v128.load(pg2) : one;
        for (let j = 0; j < Np; j += 2) {
          const o = f64Bytes(j);
          const gj = v128.load(pg1 + o);
          const pre = f64x2.add(f64x2.add(f64x2.mul(cvv, v128.load(pV + o)), f64x2.mul(civ, gj)), c0v);
          const spike = f64x2.ge(pre, th);
          const post = v128.bitselect(hard ? resetv : f64x2.sub(pre, th), pre, spike);
          v128.store(pV + o, post);
          v128.store(pg1 + o, f64x2.mul(a, gj));
          if (pairOut) {
            const w = negW2 + f64Bytes(j * 2);
            g = f64x2.sub(g, v128.and(v128.load(w), i64x2.shuffle(spike, spike, 0, 0)));
            g = f64x2.sub(g, v128.and(v128.load(w, 16), i64x2.shuffle(spike, spike, 1, 1)));
          } else v128.store(masks + o, spike);
          const s01 = v128.and(one, spike);
          if (taped) {
            setF32Pair(pv1 + f32Bytes(j), pre);
            setF32Pair(ps + f32Bytes(j), s01);
          }
          if (states) {
            scatterF32(s + f32Bytes(outAt + j), s01, j + 1 < N);
            scatterF32(v + f32Bytes(outAt + j), post, j + 1 < N);
          }
        }
        if (readout == READOUT_NONE) continue; // the tape needs only g1 and V
        const pU = U + f64Bytes(r * Op);
        const pM = M + f64Bytes(r * Op);
        const pC = C + f64Bytes(r * Op);
        for (let q = 0; q < Op; q += 2) {
          const o = f64Bytes(q);
          if (!pairOut) {
            // g2 adds W₂'s row j where neuron j spiked, in order of j: g − (−w) is g + w exactly,
            // and g − (+0), where the neuron did not spike, is g (also −0, which g + 0 would not
            // leave).
            g = v128.load(pg2 + o);
            let pw = negW2 + o;
            for (let j = 0; j < N; j++, pw += oBytes) {
              g = f64x2.sub(g, v128.and(v128.load(pw), v128.load64_splat(masks + f64Bytes(j))));
            }
          }
          const x = f64x2.add(f64x2.mul(k, v128.load(pU + o)), f64x2.mul(k1, g));
          v128.store(pU + o, x);
          v128.store(pg2 + o, f64x2.mul(a, g));
          if (readout == READOUT_EVERY) {
            if (out) scatterF32(out + f32Bytes((row0 + r) * O + q), x, q + 1 < O);
            continue;
          }
          // The maximum over the float32 values: replaced when greater or NaN, ties counted.
          const x32 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
          const m = v128.load(pM + o);
          const replace = v128.or(f64x2.gt(x32, m), f64x2.ne(x32, x32));
          v128.store(pM + o, v128.bitselect(x32, m, replace));
          const ties = f64x2.add(v128.load(pC + o), v128.and(one, f64x2.eq(x32, m)));
          v128.store(pC + o, v128.bitselect(one, ties, replace));
          if (taped) setF32Pair(tapeU + f32Bytes((t * R + r) * Op + q), x);
        }
      }
    }
  }
  /**
   * The backward's steps (see `spikingBackward`; its layout in `Shard`), with its flags as
   * arguments, constant where the caller inlines it for a common case; `pairOut`: O = 2, the
   * readouts' loop in the neurons' loop unrolled.
   */
  @inline static backwardSteps(
    kind: i32,
    hard: bool,
    detach: bool,
    max: bool,
    pairOut: bool,
    dU: usize,
    dS: usize,
    dV: usize,
  ): void {
    const nBytes = f64Bytes(Shard.Np);
    const R = Shard.R;
    const N = Shard.N;
    const Np = Shard.Np;
    const O = Shard.O;
    const a = f64x2.splat(Shard.synDecay);
    const k = f64x2.splat(Shard.outDecay);
    const k1 = f64x2.splat(1 - Shard.outDecay);
    const cvv = f64x2.splat(Shard.cv);
    const civ = f64x2.splat(Shard.ci);
    const th = f64x2.splat(Shard.vTh);
    const one = f64x2.splat(1);
    const zero = f64x2.splat(0);
    for (let t = Shard.T - 1; t >= 0; t--) {
      const row0 = t * Shard.B + Shard.b0;
      for (let r = 0; r < R; r++) {
        if (t > load<i32>(Shard.live + f32Bytes(r))) continue;
        const ro = f64Bytes(r * Shard.Op);
        for (let q = 0; q < Shard.Op; q += 2) {
          const o = ro + f64Bytes(q);
          let du = zero;
          if (max) {
            if (dU) {
              const u = f32PairAt(Shard.tapeU + f32Bytes((t * R + r) * Shard.Op + q));
              du = v128.and(v128.load(Shard.shares + o), f64x2.eq(u, v128.load(Shard.tapeM + o)));
            }
          } else if (dU) du = gatherF32(dU + f32Bytes((row0 + r) * O + q), q + 1 < O);
          const au = f64x2.add(du, f64x2.mul(k, v128.load(Shard.aU + o)));
          v128.store(Shard.aU + o, au);
          v128.store(Shard.aG2 + o, f64x2.add(f64x2.mul(k1, au), f64x2.mul(a, v128.load(Shard.aG2 + o))));
        }
        const pg2 = Shard.aG2 + ro;
        // With pairOut (O = 2), both readouts' adjoints as splats, read once for the row.
        const g0 = v128.load64_splat(pg2);
        const g1 = v128.load64_splat(pg2, 8);
        const pV = Shard.aV + f64Bytes(r * Np);
        const pG1 = Shard.aG1 + f64Bytes(r * Np);
        const pv1 = Shard.tapeV1 + f32Bytes((t * R + r) * Np);
        const ps = Shard.tapeS + f32Bytes((t * R + r) * Np);
        const outAt = (row0 + r) * N;
        if (kind != 1) {
          for (let j = 0; j < Np; j += 2) {
            const x = f64x2.sub(f32PairAt(pv1 + f32Bytes(j)), th);
            v128.store(Shard.sgRow + f64Bytes(j), otherSurrogatePair(kind, x, Shard.scale));
          }
        }
        for (let j = 0; j < Np; j += 2) {
          const o = f64Bytes(j);
          const two = j + 1 < N;
          const spike = f32PairAt(ps + f32Bytes(j));
          const spiked = f64x2.ne(spike, zero);
          const pre = f32PairAt(pv1 + f32Bytes(j));
          let ds = dS ? gatherF32(dS + f32Bytes(outAt + j), two) : zero;
          let pw = Shard.w2T + o;
          let pd = Shard.sumW2 + o;
          // dW2 sums g where the neuron spiked, over the rows in order; a neuron without a spike
          // adds +0, which leaves any sum but −0 as it is (and a sum from +0 is never −0).
          if (pairOut) {
            ds = f64x2.add(ds, f64x2.mul(g0, v128.load(pw)));
            v128.store(pd, f64x2.add(v128.load(pd), v128.and(g0, spiked)));
            ds = f64x2.add(ds, f64x2.mul(g1, v128.load(pw + nBytes)));
            v128.store(pd + nBytes, f64x2.add(v128.load(pd + nBytes), v128.and(g1, spiked)));
          } else {
            for (let q = 0; q < O; q++, pw += nBytes, pd += nBytes) {
              const g = v128.load64_splat(pg2 + f64Bytes(q));
              ds = f64x2.add(ds, f64x2.mul(g, v128.load(pw)));
              v128.store(pd, f64x2.add(v128.load(pd), v128.and(g, spiked)));
            }
          }
          let av = v128.load(pV + o);
          if (dV) av = f64x2.add(av, gatherF32(dV + f32Bytes(outAt + j), two));
          if (!detach) {
            const d = hard ? f64x2.sub(f64x2.splat(Shard.vReset), pre) : f64x2.neg(th);
            ds = f64x2.add(ds, f64x2.mul(d, av));
          }
          const keep = hard ? f64x2.sub(one, spike) : one;
          const sg =
            kind == 1 ? Inlined.fastSigmoid(f64x2.sub(pre, th), Shard.scale) : v128.load(Shard.sgRow + o);
          const dv1 = f64x2.add(f64x2.mul(ds, sg), f64x2.mul(av, keep));
          v128.store(pV + o, f64x2.mul(cvv, dv1));
          v128.store(pG1 + o, f64x2.add(f64x2.mul(civ, dv1), f64x2.mul(a, v128.load(pG1 + o))));
        }
        const end = i32At(Shard.start, row0 + r + 1);
        for (let e = i32At(Shard.start, row0 + r); e < end; e++) {
          Inlined.addScaled(
            Shard.sumW1 + f64Bytes(i32At(Shard.index, e) * Np),
            pG1,
            load<f32>(Shard.value + f32Bytes(e)),
            nBytes,
          );
        }
      }
    }
  }
}

/** No readout (the tape for a backward pass from the hidden states alone). */
const READOUT_NONE = 0;
/** The readout U at every step, [T, B, O]. */
const READOUT_EVERY = 1;
/** The readout's maximum over time, [B, O]. */
const READOUT_MAX = 2;

/** n rounded up to even: the stride of the neurons' (readouts') states, whole f64x2 pairs. */
function even(n: i32): i32 {
  return (n + 1) & ~1;
}

/** Sets the call's sizes, events and constants in {@link Shard}. */
function setShard(
  T: i32,
  B: i32,
  b0: i32,
  R: i32,
  N: i32,
  O: i32,
  start: usize,
  index: usize,
  value: usize,
  synDecay: f64,
  cv: f64,
  ci: f64,
  c0: f64,
  vTh: f64,
  vReset: f64,
  outDecay: f64,
): void {
  Shard.T = T;
  Shard.B = B;
  Shard.b0 = b0;
  Shard.R = R;
  Shard.N = N;
  Shard.Np = even(N);
  Shard.O = O;
  Shard.Op = even(O);
  Shard.start = start;
  Shard.index = index;
  Shard.value = value;
  Shard.synDecay = synDecay;
  Shard.cv = cv;
  Shard.ci = ci;
  Shard.c0 = c0;
  Shard.vTh = vTh;
  Shard.vReset = vReset;
  Shard.outDecay = outDecay;
}

/**
 * Scratch bytes of a forward shard of `rows` batch rows: f64 g1, V [rows, Np]; g2, U, the running
 * maximum of U and its count of ties [rows, Op]; a row's spike masks [Np]; W₁ [nIn, Np] and −W₂
 * [Np, Op] as f64.
 */
export function spikingForwardScratchBytes(rows: i32, nIn: i32, N: i32, O: i32): i32 {
  return <i32>f64Bytes(2 * rows * even(N) + 4 * rows * even(O) + even(N) + nIn * even(N) + even(N) * even(O));
}

/**
 * Bytes of a shard's tape: v1, then the spikes (f32) [T, rows, Np]; for the readout's maximum, then
 * that maximum and its count (f64) [rows, Op] and the readout U (f32) [T, rows, Op].
 */
export function spikingTapeBytes(T: i32, rows: i32, N: i32, O: i32, readout: i32): i32 {
  const hidden = <i32>f32Bytes(2 * T * rows * even(N));
  return readout == READOUT_MAX
    ? hidden + <i32>f64Bytes(2 * rows * even(O)) + <i32>f32Bytes(T * rows * even(O))
    : hidden;
}

/** Where a backward shard's dW1 [nIn, N] and dW2 [N, O] (f64) start in its scratch: after the adjoints. */
export function spikingGradientsOffset(rows: i32, N: i32, O: i32): i32 {
  return <i32>f64Bytes(rows * (2 * even(N) + 3 * even(O)));
}

/**
 * Bytes of the backward's own sums and weights: dW₁ [nIn, Np], dW₂ᵀ and W₂ᵀ [O, Np], a row's
 * surrogate derivatives [Np] (f64).
 */
function backwardWorkBytes(nIn: i32, N: i32, O: i32): i32 {
  return <i32>f64Bytes((nIn + 2 * O + 1) * even(N));
}

/** Bytes of the rows' last live steps (i32 [rows], see `lastLiveStep`), whole 16-byte blocks. */
function liveBytes(rows: i32): i32 {
  return <i32>f32Bytes((rows + 3) & ~3);
}

/**
 * Scratch bytes of a backward shard: the adjoint states (and the maximum's shares of its gradient),
 * its dW1 and dW2, its working sums and W₂ᵀ, the rows' last live steps, then when the forward's
 * tape is not given (`kept` 0) the recomputed forward's scratch and tape.
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
  const own =
    spikingGradientsOffset(rows, N, O) +
    <i32>f64Bytes(nIn * N + N * O) +
    backwardWorkBytes(nIn, N, O) +
    liveBytes(rows);
  return kept
    ? own
    : own + spikingForwardScratchBytes(rows, nIn, N, O) + spikingTapeBytes(T, rows, N, O, readout);
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
  const Np = even(N);
  const Op = even(O);
  const nBytes = f64Bytes(Np);
  const g1 = scratch;
  const V = g1 + f64Bytes(R * Np);
  const g2 = V + f64Bytes(R * Np);
  const U = g2 + f64Bytes(R * Op);
  const M = U + f64Bytes(R * Op);
  const C = M + f64Bytes(R * Op);
  const masks = C + f64Bytes(R * Op);
  const w1d = masks + nBytes;
  const negW2 = w1d + f64Bytes(nIn * Np);
  const tapeM = tape + f32Bytes(2 * T * R * Np);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < Np; j++) setF64(w1d, i * Np + j, j < N ? f32At(w1, i * N + j) : 0);
  }
  // A padding neuron's row is 0 (see forwardSteps' pairOut).
  for (let j = 0; j < Np; j++) {
    for (let q = 0; q < Op; q++) setF64(negW2, j * Op + q, j < N && q < O ? -f32At(w2, j * O + q) : 0);
  }
  // g1 and g2 hold the decayed synaptic currents a·g of the step before: the decay of step t is
  // folded into step t − 1's loops (at t = 0 both are 0, as a·0 would be).
  zeroBytes(g1, f64Bytes(R * Np));
  for (let i = 0; i < R * Np; i++) setF64(V, i, v0);
  zeroBytes(g2, f64Bytes(2 * R * Op));
  for (let i = 0; i < R * Op; i++) setF64(M, i, -Infinity);
  zeroBytes(C, f64Bytes(R * Op));
  zeroBytes(masks, nBytes);
  Shard.g1 = g1;
  Shard.V = V;
  Shard.g2 = g2;
  Shard.U = U;
  Shard.M = M;
  setShard(T, B, b0, R, N, O, start, index, value, synDecay, cv, ci, c0, vTh, vReset, outDecay);
  Shard.C = C;
  Shard.masks = masks;
  Shard.w1d = w1d;
  Shard.negW2 = negW2;
  Shard.tape = tape;
  // The common cases run as their own loops, the flags constant in each (a branch on a flag in
  // the loop costs V8 a reload from the stack).
  const pairOut = Op == 2 && readout != READOUT_NONE;
  if (tape && !s && readout == READOUT_MAX && pairOut) {
    if (hard) Inlined.forwardSteps(0, 0, 0, READOUT_MAX, true, true, false, true);
    else Inlined.forwardSteps(0, 0, 0, READOUT_MAX, false, true, false, true);
  } else Inlined.forwardSteps(s, v, out, readout, hard != 0, tape != 0, s != 0, pairOut);
  if (readout != READOUT_MAX) return;
  if (tape) memory.copy(tapeM, M, f64Bytes(2 * R * Op));
  if (!out) return;
  for (let r = 0; r < R; r++) {
    for (let q = 0; q < O; q++) store<f32>(out + f32Bytes((b0 + r) * O + q), <f32>f64At(M, r * Op + q));
  }
}

/**
 * The last step of row r (of R in the tape) whose backward step can add to the gradients, for the
 * readout's maximum with no other cotangent: a step after the last one where a readout equals its
 * maximum gets no readout gradient, and with every adjoint state +0 it computes zeros, which leave
 * the sums as they are (a sum from +0 is never −0). Zeros stay zeros only through finite factors:
 * the caller vouches for the constants, W₂ and the inputs, and this checks the pre-reset potentials
 * of those steps (the surrogate and the reset's term read them); a non-finite one gives T − 1, every
 * step. −1: no step (no readout equals its maximum, which is NaN).
 */
function lastLiveStep(
  T: i32,
  R: i32,
  r: i32,
  Np: i32,
  O: i32,
  Op: i32,
  tapeV1: usize,
  tapeU: usize,
  M: usize,
): i32 {
  let t = T - 1;
  for (; t >= 0; t--) {
    let hit = false;
    for (let q = 0; q < O; q++) if (f32At(tapeU, (t * R + r) * Op + q) == f64At(M, r * Op + q)) hit = true;
    if (hit) break;
  }
  // x − x is +0 for a finite x and NaN otherwise, and NaN stays in the sum.
  let nan = f32x4.splat(0);
  for (let s = T - 1; s > t; s--) {
    const p = tapeV1 + f32Bytes((s * R + r) * Np);
    let j = 0;
    for (; j + 4 <= Np; j += 4) {
      const x = v128.load(p + f32Bytes(j));
      nan = f32x4.add(nan, f32x4.sub(x, x));
    }
    if (j < Np) {
      const x = v128.load64_zero(p + f32Bytes(j));
      nan = f32x4.add(nan, f32x4.sub(x, x));
    }
  }
  return v128.any_true(f32x4.ne(nan, nan)) ? T - 1 : t;
}

/**
 * BPTT for rows [b0, b1), reading the forward's tape at `tape` (the forward kept it), or if that is
 * 0 after running their forward again into the scratch's tape. dU is the cotangent of the readout
 * (`readout`: U [T, B, O], or its maximum over time [B, O]), dS and dV [T, B, N]; all f32, a zero
 * pointer means none. The shard's dW1 [nIn, N] and dW2 [N, O] (f64) start at
 * `spikingGradientsOffset` in its scratch; the caller adds the shards' parts. `afterMax` 1 skips each
 * row's steps after its last live step (see `lastLiveStep`): only for the readout's maximum with no
 * dS or dV, and finite constants, W₂ and inputs (the caller checks).
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
  afterMax: i32,
  tape: usize,
  scratch: usize,
): void {
  const R = b1 - b0;
  const Np = even(N);
  const Op = even(O);
  const nBytes = f64Bytes(Np);
  const aU = scratch;
  const aG2 = aU + f64Bytes(R * Op);
  const aV = aG2 + f64Bytes(R * Op);
  const aG1 = aV + f64Bytes(R * Np);
  const shares = aG1 + f64Bytes(R * Np);
  const dW1 = scratch + <usize>spikingGradientsOffset(R, N, O);
  const dW2 = dW1 + f64Bytes(nIn * N);
  const sumW1 = dW2 + f64Bytes(N * O);
  const sumW2 = sumW1 + f64Bytes(nIn * Np);
  const w2T = sumW2 + f64Bytes(O * Np);
  const sgRow = w2T + f64Bytes(O * Np);
  const live = sgRow + nBytes;
  const states = live + <usize>liveBytes(R);
  const tapeV1 = tape ? tape : states + <usize>spikingForwardScratchBytes(R, nIn, N, O);
  const tapeS = tapeV1 + f32Bytes(T * R * Np);
  const M = tapeS + f32Bytes(T * R * Np);
  const C = M + f64Bytes(R * Op);
  const tapeU = C + f64Bytes(R * Op);
  const max = readout == READOUT_MAX;
  setShard(T, B, b0, R, N, O, start, index, value, synDecay, cv, ci, c0, vTh, vReset, outDecay);
  if (!tape)
    spikingForward(
      T,
      B,
      nIn,
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
  Shard.tapeV1 = tapeV1;
  Shard.tapeS = tapeS;
  Shard.tapeU = tapeU;
  Shard.tapeM = M;
  zeroBytes(scratch, f64Bytes(R * (2 * Np + 3 * Op)));
  Shard.sumW2 = sumW2;
  Shard.w2T = w2T;
  Shard.sgRow = sgRow;
  zeroBytes(sumW1, f64Bytes((nIn + O) * Np));
  for (let q = 0; q < O; q++) {
    for (let j = 0; j < Np; j++) setF64(w2T, q * Np + j, j < N ? f32At(w2, j * O + q) : 0);
  }
  if (max && dU) {
    // Each step equal to the maximum gets its share g / ties, rounded to float32 (the generic max's
    // cotangent is a float32 array).
    for (let r = 0; r < R; r++) {
      for (let q = 0; q < Op; q += 2) {
        const at = r * Op + q;
        const share = f64x2.div(
          gatherF32(dU + f32Bytes((b0 + r) * O + q), q + 1 < O),
          v128.load(C + f64Bytes(at)),
        );
        v128.store(shares + f64Bytes(at), f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(share)));
      }
    }
  }
  for (let r = 0; r < R; r++) {
    const last = afterMax && max && dU ? lastLiveStep(T, R, r, Np, O, Op, tapeV1, tapeU, M) : T - 1;
    store<i32>(live + f32Bytes(r), last);
  }
  Shard.live = live;
  Shard.scale = scale;
  Shard.aU = aU;
  Shard.aG2 = aG2;
  // The common case (W3's) runs as its own loop, the flags constant (see forwardSteps).
  const common = max && dU && !dS && !dV && kind == 1 && hard && detach && O == 2;
  Shard.aV = aV;
  Shard.aG1 = aG1;
  Shard.shares = shares;
  Shard.sumW1 = sumW1;
  if (common) {
    Inlined.backwardSteps(1, true, true, true, true, dU, 0, 0);
  } else Inlined.backwardSteps(kind, hard != 0, detach != 0, max, false, dU, dS, dV);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < N; j++) setF64(dW1, i * N + j, f64At(sumW1, i * Np + j));
  }
  for (let j = 0; j < N; j++) {
    for (let q = 0; q < O; q++) setF64(dW2, j * O + q, f64At(sumW2, q * Np + j));
  }
}
