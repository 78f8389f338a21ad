// The per-step pointwise parts of the recurrence, over one contiguous byte range [p0, p1) of a
// [B, H] step (a shard's rows), four lanes at a time; a scalar loop takes the last few elements.
import {
  activate,
  derivative,
  derivativeOfOutput,
  IDENTITY,
  RELU,
  SIGMOID,
  SOFTPLUS,
  TANH,
} from "./activation";
import { sigmoid4, softplus4, tanh4 } from "./vmath";

const RATE = 0;

/**
 * f(x) per lane. relu is pmax(0, x), which gives 0 for NaN like the reference's `x > 0 ? x : 0`.
 * Small enough for the optimizer to inline into the loops, so relu costs no call per vector.
 */
function activate4(x: v128, kind: i32): v128 {
  if (kind == RELU) return f32x4.pmax(f32x4.splat(0), x);
  return activateSmooth4(x, kind);
}

/** f(x) per lane for the activations other than relu. */
function activateSmooth4(x: v128, kind: i32): v128 {
  if (kind == TANH) return tanh4(x);
  if (kind == SIGMOID) return sigmoid4(x);
  if (kind == IDENTITY) return x;
  return softplus4(x);
}

/** f'(x) per lane from the output y = f(x) (not for softplus). */
function derivativeOfOutput4(y: v128, kind: i32): v128 {
  const one = f32x4.splat(1);
  if (kind == RELU) return v128.and(f32x4.gt(y, f32x4.splat(0)), one);
  if (kind == TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (kind == SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  return one;
}

/** f'(x) per lane: softplus' is the sigmoid, the others follow from f(x). */
function derivative4(x: v128, kind: i32): v128 {
  return kind == SOFTPLUS ? sigmoid4(x) : derivativeOfOutput4(activate4(x, kind), kind);
}

/**
 * Forward epilogue. On entry z holds h_{t-1} W + d_t. Rate order: h = (1-α) hPrev + α f(z),
 * z kept as pre. Current order: z ← (1-α) hPrev + α z (the pre-activation), h = f(z).
 */
export function forwardPointwise(
  hPrev: usize,
  z: usize,
  h: usize,
  p0: usize,
  p1: usize,
  alpha: f32,
  kind: i32,
  order: i32,
): void {
  const leak: f32 = 1 - alpha;
  // The relu rate-order loop on its own (W1's and W2's), its tests on kind and order folded away.
  let p =
    kind == RELU && order == RATE
      ? Loops.forwardVectors(hPrev, z, h, p0, p1, alpha, RELU, RATE)
      : Loops.forwardVectors(hPrev, z, h, p0, p1, alpha, kind, order);
  for (; p < p1; p += 4) {
    const hp = load<f32>(hPrev + p);
    const x = load<f32>(z + p);
    if (order == RATE) {
      store<f32>(h + p, leak * hp + alpha * activate(x, kind));
    } else {
      const q = leak * hp + alpha * x;
      store<f32>(z + p, q);
      store<f32>(h + p, activate(q, kind));
    }
  }
}

/**
 * Backward pointwise step: with g = dL/dh_t and d = f'(pre_t), taken from `src` = pre_t, or from
 * `src` = h_t = f(pre_t) when `fromOutput` (the current order, or alpha = 1), writes u = α g d
 * (dL/dz_t, the drive gradient) and sets `next` (dL/dh_{t-1} before the recurrent product) to `dHsPrev`
 * (dL/dh_{t-1} from the readout; 0 = none, at t = 0) plus the leak term: (1-α) g in rate
 * order, (1-α) g d in current order.
 */
export function backwardPointwise(
  g: usize,
  src: usize,
  fromOutput: bool,
  dHsPrev: usize,
  u: usize,
  next: usize,
  p0: usize,
  p1: usize,
  alpha: f32,
  kind: i32,
  order: i32,
): void {
  const leak: f32 = 1 - alpha;
  // The relu rate-order loops on their own (W1's from the pre-activations, W2's from the states),
  // their tests folded away.
  const relu = kind == RELU && order == RATE;
  let p =
    relu && fromOutput
      ? Loops.backwardVectors(g, src, true, dHsPrev, u, next, p0, p1, alpha, RELU, RATE)
      : relu
        ? Loops.backwardVectors(g, src, false, dHsPrev, u, next, p0, p1, alpha, RELU, RATE)
        : Loops.backwardVectors(g, src, fromOutput, dHsPrev, u, next, p0, p1, alpha, kind, order);
  for (; p < p1; p += 4) {
    const gp = load<f32>(g + p);
    const s = load<f32>(src + p);
    const d = fromOutput ? derivativeOfOutput(s, kind) : derivative(s, kind);
    store<f32>(u + p, alpha * gp * d);
    const carried = leak * (order == RATE ? gp : gp * d);
    store<f32>(next + p, dHsPrev ? load<f32>(dHsPrev + p) + carried : carried);
  }
}

/**
 * The pointwise vector loops, inlined into their callers (`@inline` static methods): called with
 * constant kind and order, the loop carries no tests on them.
 */
class Loops {
  /** forwardPointwise's vector loop over [p0, p1): where it stopped (the scalar tail's start). */
  @inline static forwardVectors(
    hPrev: usize,
    z: usize,
    h: usize,
    p0: usize,
    p1: usize,
    alpha: f32,
    kind: i32,
    order: i32,
  ): usize {
    const va = f32x4.splat(alpha);
    const vl = f32x4.splat(1 - alpha);
    let p = p0;
    for (; p + 16 <= p1; p += 16) {
      const hp = v128.load(hPrev + p);
      let x = v128.load(z + p);
      if (order != RATE) {
        x = f32x4.add(f32x4.mul(vl, hp), f32x4.mul(va, x));
        v128.store(z + p, x);
      }
      const y = activate4(x, kind);
      v128.store(h + p, order == RATE ? f32x4.add(f32x4.mul(vl, hp), f32x4.mul(va, y)) : y);
    }
    return p;
  }

  /** backwardPointwise's vector loop over [p0, p1): where it stopped (the scalar tail's start). */
  @inline static backwardVectors(
    g: usize,
    src: usize,
    fromOutput: bool,
    dHsPrev: usize,
    u: usize,
    next: usize,
    p0: usize,
    p1: usize,
    alpha: f32,
    kind: i32,
    order: i32,
  ): usize {
    const va = f32x4.splat(alpha);
    const vl = f32x4.splat(1 - alpha);
    let p = p0;
    for (; p + 16 <= p1; p += 16) {
      const gp = v128.load(g + p);
      const s = v128.load(src + p);
      const gd = f32x4.mul(gp, fromOutput ? derivativeOfOutput4(s, kind) : derivative4(s, kind));
      v128.store(u + p, f32x4.mul(va, gd));
      const carried = f32x4.mul(vl, order == RATE ? gp : gd);
      v128.store(next + p, dHsPrev ? f32x4.add(v128.load(dHsPrev + p), carried) : carried);
    }
    return p;
  }
}
