// Four-lane exp, log1p, tanh, sigmoid and softplus for the recurrence's pointwise steps, after
// Cephes' single-precision routines (range reduction + minimax polynomial, ~2 ulp).
//
// Written for the engine's x64 code: the clamp uses pmin/pmax (one instruction each; wasm's min/max
// take about eight for their NaN and signed-zero rules), ordered so that a NaN input still comes
// out NaN; the rounding to an integer adds and subtracts 1.5·2^23 (round to nearest even, as
// `nearest`, and the integer is then in the sum's low mantissa bits, with no float-to-int
// conversion). None of this changes a result bit.

import { madd } from "./microkernel";

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
/** exp overflows f32 above this and is subnormal below its negation. */
const EXP_MAX: f32 = 88.3762626647949;
const EXP_MIN: f32 = -87.3365447504;

/** 1.5·2^23: v + ROUNDER − ROUNDER is v rounded to the nearest integer (ties to even) for |v| < 2^22. */
const ROUNDER: f32 = 12582912;
/** The bits of ROUNDER: those of v + ROUNDER minus these are round(v) as an integer. */
const ROUNDER_BITS: i32 = 0x4b400000;

/** ln(v) per lane for v > 0 (Cephes logf: v = m 2^e with m in [sqrt(1/2), sqrt(2))). */
function log4(v: v128): v128 {
  const bits = v;
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127)));
  // Mantissa in [1, 2), then folded into [sqrt(1/2), sqrt(2)).
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(1.41421356237));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = v128.bitselect(f32x4.add(e, f32x4.splat(1)), e, big);
  const x = f32x4.sub(m, f32x4.splat(1));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(-1.151461031e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.167699874e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, x), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  return f32x4.add(f32x4.add(x, y), f32x4.mul(e, f32x4.splat(LN2_HI)));
}

/** ln(1 + u) per lane for u ≥ 0, accurate for tiny u: log(v) u / (v - 1) with v = 1 + u rounded. */
function log1p4(u: v128): v128 {
  const v = f32x4.add(u, f32x4.splat(1));
  const dv = f32x4.sub(v, f32x4.splat(1));
  const exact = f32x4.eq(dv, f32x4.splat(0));
  return v128.bitselect(u, f32x4.mul(log4(v), f32x4.div(u, dv)), exact);
}

/**
 * exp, sigmoid and tanh per lane as static methods marked `@inline`, which AssemblyScript inlines
 * at every call: the fused gated and HORN kernels call them in their inner loops, where a call
 * with v128 arguments would spill every live SIMD register of the loop (tanh was about a tenth of a
 * GRU or LSTM training step as a function of its own). Same results as a call.
 */
export class Inlined {
  /** e^x per lane; inputs outside [EXP_MIN, EXP_MAX] are clamped (so +inf stays finite), NaN stays NaN. */
  @inline static exp(x: v128): v128 {
    // pmax(x, lo) is x < lo ? lo : x and pmin(x, hi) is hi < x ? hi : x: a NaN x passes through both.
    x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
    // x log2(e) lies in [-126, 128): well inside ROUNDER's range.
    const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
    const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
    const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
    let p = f32x4.splat(1.98756915e-4);
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
    p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
    const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
    // 2^n built in the exponent bits; n is within [-126, 127] after the clamp.
    const pow2n = i32x4.shl(i32x4.add(shifted, i32x4.splat(127 - ROUNDER_BITS)), 23);
    return f32x4.mul(y, pow2n);
  }

  /** 1 / (1 + e^-x) per lane. */
  @inline static sigmoid(x: v128): v128 {
    const one = f32x4.splat(1);
    return f32x4.div(one, f32x4.add(one, Inlined.exp(f32x4.neg(x))));
  }

  /** tanh(x) per lane: an odd polynomial below |x| = 0.625, else 1 - 2 / (e^{2|x|} + 1) with x's sign. */
  @inline static tanh(x: v128): v128 {
    const ax = f32x4.abs(x);
    const one = f32x4.splat(1);
    const big = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(Inlined.exp(f32x4.add(ax, ax)), one)));
    const z = f32x4.mul(x, x);
    let p = f32x4.splat(-5.70498872745e-3);
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
    p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
    const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
    const signed = v128.or(big, v128.and(x, i32x4.splat(<i32>0x80000000)));
    return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
  }
}

/**
 * The fused GRU and LSTM layers' gate nonlinearities: {@link Inlined}'s exponential with its
 * polynomials and range reduction in {@link madd} (a fused multiply-add in the relaxed-SIMD build)
 * and one exponential per lane, about half the instructions of {@link Inlined.sigmoid} and
 * {@link Inlined.tanh}. Within 2.5 ulp of the exact values (those within 2.4 and 1.3), so results
 * differ from theirs by float rounding.
 */
export class Gate {
  /** e^u per lane for u ≤ 0 (clamped below at EXP_MIN), NaN stays NaN. */
  @inline static expNonPositive(u: v128): v128 {
    u = f32x4.pmax(u, f32x4.splat(EXP_MIN));
    const shifted = madd(u, f32x4.splat(LOG2E), f32x4.splat(ROUNDER));
    const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
    const r = madd(n, f32x4.splat(-LN2_LO), madd(n, f32x4.splat(-LN2_HI), u));
    let p = madd(f32x4.splat(1.98756915e-4), r, f32x4.splat(1.3981999507e-3));
    p = madd(p, r, f32x4.splat(8.3334519073e-3));
    p = madd(p, r, f32x4.splat(4.1665795894e-2));
    p = madd(p, r, f32x4.splat(1.6666665459e-1));
    p = madd(p, r, f32x4.splat(5.0000001201e-1));
    const y = f32x4.add(madd(p, f32x4.mul(r, r), r), f32x4.splat(1));
    return f32x4.mul(y, i32x4.shl(i32x4.add(shifted, i32x4.splat(127 - ROUNDER_BITS)), 23));
  }

  /** 1 / (1 + e^-x) per lane, as 1 / (1 + e^-|x|) for x ≥ 0 and e^-|x| / (1 + e^-|x|) below. */
  @inline static sigmoid(x: v128): v128 {
    const e = Gate.expNonPositive(v128.or(x, f32x4.splat(-0.0)));
    const one = f32x4.splat(1);
    return f32x4.div(v128.bitselect(e, one, i32x4.shr_s(x, 31)), f32x4.add(e, one));
  }

  /**
   * tanh(x) per lane as −m / (2 + m) with x's sign, m = e^{−2|x|} − 1 (clamped at −2|x| = −20,
   * where tanh is 1 in float): e^r − 1 by its Taylor polynomial to r⁷ on the reduced r in
   * [−ln2/2, ln2/2], then m = 2^n (e^r − 1) + (2^n − 1), accurate near zero, where 1 − e^{−2|x|}
   * would cancel.
   */
  @inline static tanh(x: v128): v128 {
    const t = f32x4.pmax(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)), f32x4.splat(-20));
    const shifted = madd(t, f32x4.splat(LOG2E), f32x4.splat(ROUNDER));
    const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
    const r = madd(n, f32x4.splat(-LN2_LO), madd(n, f32x4.splat(-LN2_HI), t));
    let p = madd(f32x4.splat(1.0 / 5040), r, f32x4.splat(1.0 / 720));
    p = madd(p, r, f32x4.splat(1.0 / 120));
    p = madd(p, r, f32x4.splat(1.0 / 24));
    p = madd(p, r, f32x4.splat(1.0 / 6));
    p = madd(p, r, f32x4.splat(0.5));
    const em = madd(p, f32x4.mul(r, r), r);
    const pow2n = i32x4.shl(i32x4.add(shifted, i32x4.splat(127 - ROUNDER_BITS)), 23);
    const m = madd(pow2n, em, f32x4.sub(pow2n, f32x4.splat(1)));
    const th = f32x4.div(m, f32x4.sub(f32x4.splat(-2), m));
    return v128.or(f32x4.abs(th), v128.and(x, f32x4.splat(-0.0)));
  }
}

/** {@link Inlined.sigmoid} as a function, for callers that need no inlining. */
export function sigmoid4(x: v128): v128 {
  return Inlined.sigmoid(x);
}

/** {@link Inlined.tanh} as a function. */
export function tanh4(x: v128): v128 {
  return Inlined.tanh(x);
}

/** log(1 + e^x) per lane, as max(x, 0) + log1p(e^-|x|) (no overflow, exact tail for large x). */
export function softplus4(x: v128): v128 {
  return f32x4.add(f32x4.pmax(f32x4.splat(0), x), log1p4(Inlined.exp(f32x4.neg(f32x4.abs(x)))));
}
