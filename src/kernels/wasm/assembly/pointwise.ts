// The per-step pointwise parts of the recurrence, over one contiguous byte range [p0, p1) of a
// [B, H] step (a shard's rows). relu and identity run four lanes at a time; the activations that
// need exp stay scalar (they are not where the reference workloads spend their time).
import { activate, derivative, IDENTITY, RELU } from "./activation";

const RATE = 0;

/** Whether `kind` has a SIMD path: relu or identity. */
function piecewiseLinear(kind: i32): bool {
  return kind == RELU || kind == IDENTITY;
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
  let p = p0;
  if (piecewiseLinear(kind)) {
    // relu(x) = pmax(0, x): 0 for NaN, as the reference's `x > 0 ? x : 0`; identity: the lanes pass.
    const isRelu = i32x4.splat(kind == RELU ? -1 : 0);
    const zero = f32x4.splat(0);
    const va = f32x4.splat(alpha);
    const vl = f32x4.splat(leak);
    for (; p + 16 <= p1; p += 16) {
      const hp = v128.load(hPrev + p);
      let x = v128.load(z + p);
      if (order != RATE) {
        x = f32x4.add(f32x4.mul(vl, hp), f32x4.mul(va, x));
        v128.store(z + p, x);
      }
      const y = v128.bitselect(f32x4.pmax(zero, x), x, isRelu);
      v128.store(h + p, order == RATE ? f32x4.add(f32x4.mul(vl, hp), f32x4.mul(va, y)) : y);
    }
  }
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
 * Backward pointwise step: with g = dL/dh_t and d = f'(pre_t), writes u = α g d (dL/dz_t, the
 * drive gradient) and adds the leak term to `next` (dL/dh_{t-1} so far): (1-α) g in rate order,
 * (1-α) g d in current order.
 */
export function backwardPointwise(
  g: usize,
  pre: usize,
  u: usize,
  next: usize,
  p0: usize,
  p1: usize,
  alpha: f32,
  kind: i32,
  order: i32,
): void {
  const leak: f32 = 1 - alpha;
  let p = p0;
  if (piecewiseLinear(kind)) {
    const isRelu = i32x4.splat(kind == RELU ? -1 : 0);
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    const va = f32x4.splat(alpha);
    const vl = f32x4.splat(leak);
    for (; p + 16 <= p1; p += 16) {
      const gp = v128.load(g + p);
      const d = v128.bitselect(v128.and(f32x4.gt(v128.load(pre + p), zero), one), one, isRelu);
      const gd = f32x4.mul(gp, d);
      v128.store(u + p, f32x4.mul(va, gd));
      v128.store(next + p, f32x4.add(v128.load(next + p), f32x4.mul(vl, order == RATE ? gp : gd)));
    }
  }
  for (; p < p1; p += 4) {
    const gp = load<f32>(g + p);
    const d = derivative(load<f32>(pre + p), kind);
    store<f32>(u + p, alpha * gp * d);
    store<f32>(next + p, load<f32>(next + p) + leak * (order == RATE ? gp : gp * d));
  }
}
