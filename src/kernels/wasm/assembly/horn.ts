// One HORN layer (driven damped oscillators, symplectic Euler) over T steps, forward and BPTT, for
// the batch rows [b0, b1) only. Equations: `HornForwardArgs` in backend.ts and the JS reference
// horn.ts. Pointers are byte offsets.
import { zeroBytes } from "./bulk";
import { addTo, ld, st } from "./lanes";
import { packBytes, rowsTimes, rowsTimesPacked } from "./rows";
import { Inlined } from "./vmath";

/** Scratch bytes of a forward shard: packing space and the [rows, H] drive of a step. */
export function hornForwardScratchBytes(rows: i32, H: i32, Ia: i32): i32 {
  return <i32>packBytes(rows, max(H, Ia)) + ((rows * H) << 2);
}

/** Scratch bytes of a backward shard: packing space for the rows of dI. */
export function hornBackwardScratchBytes(rows: i32, H: i32): i32 {
  return <i32>packBytes(rows, H);
}

/** Floats of one shard's gradient block: the per-unit sums dα, dω, dγ, dv [4H]. */
export function hornGradFloats(H: i32): i32 {
  return 4 * H;
}

/**
 * Forward for rows [b0, b1). `ua` [T, B, Ia] is the input with a column of ones appended; `wiP`
 * holds [W_ih; b_ih + gain b_hh] [Ia, H] (packed when Ia > FEW, else row-major); `whP` is
 * gain W_hh packed; `consts` holds α, ω, γ, v, [H] each. `xBase`, `yBase` hold [x0; x_0; …] and
 * [y0; y_0; …] ((T+1) x B x H floats; the caller writes x0, y0); `tau` [T, B, H] receives tanh(I_t).
 */
export function hornForward(
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  ua: usize,
  Ia: i32,
  wiP: usize,
  whP: usize,
  consts: usize,
  dt: f32,
  xBase: usize,
  yBase: usize,
  tau: usize,
  scratch: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const rowBytes = (<usize>H) << 2;
  const z = scratch + packBytes(b1 - b0, max(H, Ia)) - <usize>b0 * rowBytes;
  const p0 = <usize>b0 * rowBytes;
  const p1 = <usize>b1 * rowBytes;
  const vdt = f32x4.splat(dt);
  const two = f32x4.splat(2);
  for (let t = 0; t < T; t++) {
    const xPrev = xBase + <usize>t * stepBytes;
    const yPrev = yBase + <usize>t * stepBytes;
    zeroBytes(z + p0, p1 - p0);
    rowsTimes(ua + <usize>t * ((<usize>(B * Ia)) << 2), Ia, wiP, z, H, b0, b1, scratch);
    rowsTimesPacked(yPrev, H, whP, z, H, b0, b1, scratch);
    const tt = tau + <usize>t * stepBytes;
    for (let r = b0; r < b1; r++) {
      const row = <usize>r * rowBytes;
      // tanh(I) of the whole row first, then the updates that read it: a pass of independent
      // tanh chains overlaps well (the same operations, the same results).
      for (let j = 0; j < H;) {
        const full = j + 4 <= H;
        const p = (<usize>j) << 2;
        const v = ld(consts + 3 * rowBytes + p, full);
        const drive = Inlined.tanh(f32x4.add(ld(z + row + p, full), f32x4.mul(v, ld(xPrev + row + p, full))));
        st(tt + row + p, drive, full);
        j += full ? 4 : 1;
      }
      for (let j = 0; j < H;) {
        const full = j + 4 <= H;
        const p = (<usize>j) << 2;
        const x = ld(xPrev + row + p, full);
        const y = ld(yPrev + row + p, full);
        const alpha = ld(consts + p, full);
        const omega = ld(consts + rowBytes + p, full);
        const gamma = ld(consts + 2 * rowBytes + p, full);
        const drive = ld(tt + row + p, full);
        const force = f32x4.sub(
          f32x4.sub(f32x4.mul(alpha, drive), f32x4.mul(f32x4.mul(omega, omega), x)),
          f32x4.mul(f32x4.mul(two, gamma), y),
        );
        const yn = f32x4.add(y, f32x4.mul(vdt, force));
        st(yPrev + stepBytes + row + p, yn, full);
        st(xPrev + stepBytes + row + p, f32x4.add(x, f32x4.mul(vdt, yn)), full);
        j += full ? 4 : 1;
      }
    }
  }
}

/**
 * BPTT for rows [b0, b1) (layouts as in the forward). `whTP` is (gain W_hh)ᵀ packed; `dXs`, `dYs`
 * [T, B, H] may be 0 (none); `dXT`, `dYT` [B, H] (or 0) are cotangents of the last step alone, the
 * same as sequences of zeros with them as the last step (and added as such: zeros at the other
 * steps). `gx`, `gy` [B, H] carry dL/dx and dL/dy (each shard its rows; they end as dx0, dy0,
 * but with `skipState0` dy0 is left out: the product at t = 0 feeds nothing else). `dI` [T, B, H] receives the drive gradients, from which the caller forms the
 * weight gradients as products over all T·B rows (Σ_t y_{t-1}ᵀ dI, [dW_ih; db_ih] = Σ_t ua_tᵀ dI)
 * and dU. This shard's per-unit sums dα, dω, dγ, dv go to `grads` (hornGradFloats(H), overwritten).
 */
export function hornBackward(
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  whTP: usize,
  consts: usize,
  dt: f32,
  xBase: usize,
  yBase: usize,
  tau: usize,
  dXs: usize,
  dYs: usize,
  dXT: usize,
  dYT: usize,
  skipState0: i32,
  dI: usize,
  gx: usize,
  gy: usize,
  grads: usize,
  scratch: usize,
): void {
  const stepBytes = (<usize>(B * H)) << 2;
  const rowBytes = (<usize>H) << 2;
  const perUnit = grads;
  zeroBytes(grads, (<usize>hornGradFloats(H)) << 2);
  const p0 = <usize>b0 * rowBytes;
  const p1 = <usize>b1 * rowBytes;
  zeroBytes(gx + p0, p1 - p0);
  zeroBytes(gy + p0, p1 - p0);
  const vdt = f32x4.splat(dt);
  const one = f32x4.splat(1);
  const two = f32x4.splat(2);
  const zero = f32x4.splat(0);
  for (let t = T - 1; t >= 0; t--) {
    // The last-step cotangents at t = T - 1, zeros before (adding 0 as a zero-filled sequence does).
    const xLast = t === T - 1 ? dXT : 0;
    const yLast = t === T - 1 ? dYT : 0;
    const xPrev = xBase + <usize>t * stepBytes;
    const yPrev = yBase + <usize>t * stepBytes;
    const tt = tau + <usize>t * stepBytes;
    const di = dI + <usize>t * stepBytes;
    for (let r = b0; r < b1; r++) {
      const row = <usize>r * rowBytes;
      for (let j = 0; j < H;) {
        const full = j + 4 <= H;
        const p = (<usize>j) << 2;
        let gxv = ld(gx + row + p, full);
        let gyv = ld(gy + row + p, full);
        if (dXs) gxv = f32x4.add(gxv, ld(dXs + <usize>t * stepBytes + row + p, full));
        if (dYs) gyv = f32x4.add(gyv, ld(dYs + <usize>t * stepBytes + row + p, full));
        if (dXT) gxv = f32x4.add(gxv, xLast ? ld(xLast + row + p, full) : zero);
        if (dYT) gyv = f32x4.add(gyv, yLast ? ld(yLast + row + p, full) : zero);
        const alpha = ld(consts + p, full);
        const omega = ld(consts + rowBytes + p, full);
        const gamma = ld(consts + 2 * rowBytes + p, full);
        const v = ld(consts + 3 * rowBytes + p, full);
        const drive = ld(tt + row + p, full);
        const x = ld(xPrev + row + p, full);
        const y = ld(yPrev + row + p, full);
        const G = f32x4.add(gyv, f32x4.mul(vdt, gxv));
        const dGt = f32x4.mul(vdt, G);
        const dIv = f32x4.mul(f32x4.mul(dGt, alpha), f32x4.sub(one, f32x4.mul(drive, drive)));
        st(di + row + p, dIv, full);
        const wx = f32x4.mul(f32x4.mul(omega, omega), dGt);
        st(gx + row + p, f32x4.add(f32x4.sub(gxv, wx), f32x4.mul(v, dIv)), full);
        st(gy + row + p, f32x4.sub(G, f32x4.mul(f32x4.mul(two, gamma), dGt)), full);
        // dα += dt G tanh(I), dω −= 2 dt ω G x_{t-1}, dγ −= 2 dt G y_{t-1}, dv += dI x_{t-1}.
        addTo(perUnit + p, f32x4.mul(dGt, drive), full);
        addTo(perUnit + rowBytes + p, f32x4.neg(f32x4.mul(f32x4.mul(two, omega), f32x4.mul(dGt, x))), full);
        addTo(perUnit + 2 * rowBytes + p, f32x4.neg(f32x4.mul(two, f32x4.mul(dGt, y))), full);
        addTo(perUnit + 3 * rowBytes + p, f32x4.mul(dIv, x), full);
        j += full ? 4 : 1;
      }
    }
    if (t > 0 || !skipState0) rowsTimesPacked(di, H, whTP, gy, H, b0, b1, scratch);
  }
}
