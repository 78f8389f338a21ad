// Adam/AdamW over flat arrays, four lanes at a time. Equations: AdamArgs in backend.ts.

/**
 * Updates elements [i0, i1) of param, m, v in place from grad. `stepSize = lr / (1 - beta1^s)`,
 * `invSqrtBc2 = 1 / sqrt(1 - beta2^s)`, `decay = 1 - lr weightDecay`.
 */
export function adamUpdate(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  i0: i32,
  i1: i32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  stepSize: f32,
  invSqrtBc2: f32,
  decay: f32,
): void {
  let i = i0;
  const vb1 = f32x4.splat(beta1),
    vc1 = f32x4.splat(1 - beta1);
  const vb2 = f32x4.splat(beta2),
    vc2 = f32x4.splat(1 - beta2);
  const veps = f32x4.splat(eps),
    vstep = f32x4.splat(stepSize);
  const vinv = f32x4.splat(invSqrtBc2),
    vdecay = f32x4.splat(decay);
  for (; i + 4 <= i1; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(grad + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vi), vinv), veps);
    const p = f32x4.mul(v128.load(param + o), vdecay);
    v128.store(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(vstep, mi), denom)));
  }
  for (; i < i1; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(grad + o);
    const mi = beta1 * load<f32>(m + o) + (1 - beta1) * gi;
    const vi = beta2 * load<f32>(v + o) + (1 - beta2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(
      param + o,
      load<f32>(param + o) * decay - (stepSize * mi) / (Mathf.sqrt(vi) * invSqrtBc2 + eps),
    );
  }
}
