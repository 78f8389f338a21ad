/**
 * Reference HORN layer kernel (forward over T steps and BPTT) in plain TypeScript, generic over
 * float32 / float64 so the tests can check it against finite differences. Equations in
 * `HornForwardArgs` (backend.ts).
 */
import type { HornBackwardArgs, HornBackwardResult, HornForwardArgs, HornForwardResult } from "../backend.ts";
import { gemmRef, type FloatArray } from "./gemm.ts";
import { columnSums } from "./layer.ts";
import { allocLike } from "./recurrence.ts";

function step<A extends FloatArray>(x: A, t: number, size: number): A {
  return x.subarray(t * size, (t + 1) * size) as A;
}

/** Forward: positions, velocities and `tanh(I_t)` for every step. */
export function hornForwardRef<A extends FloatArray>(a: HornForwardArgs<A>): HornForwardResult<A> {
  const { T, B, I, H, dt, gain } = a;
  const BH = B * H;
  const xs = a.xsInto ?? allocLike(a.x0, T * BH);
  const ys = a.ysInto ?? allocLike(a.x0, T * BH);
  const drive = a.driveInto ?? allocLike(a.x0, T * BH);
  let [x, y] = [a.x0, a.y0];
  for (let t = 0; t < T; t++) {
    const cur = allocLike(a.x0, BH);
    gemmRef(false, false, B, H, I, 1, step(a.u, t, B * I), a.wIh, 0, cur);
    const rec = allocLike(a.x0, BH);
    gemmRef(false, false, B, H, H, 1, y, a.wHh, 0, rec);
    const [xn, yn, tau] = [step(xs, t, BH), step(ys, t, BH), step(drive, t, BH)];
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const i = b * H + j;
        const current = cur[i]! + a.bIh[j]! + gain * (rec[i]! + a.bHh[j]!) + a.v[j]! * x[i]!;
        tau[i] = Math.tanh(current);
        const w = a.omega[j]!;
        yn[i] = y[i]! + dt * (a.alpha[j]! * tau[i]! - w * w * x[i]! - 2 * a.gamma[j]! * y[i]!);
        xn[i] = x[i]! + dt * yn[i]!;
      }
    }
    [x, y] = [xn, yn];
  }
  if (!a.final) return { xs, ys, drive };
  const last = (s: A, into: A | undefined) => {
    const out = into ?? allocLike(a.x0, BH);
    out.set(step(s, T - 1, BH));
    return out;
  };
  return { xs, ys, drive, xLast: last(xs, a.xLastInto), yLast: last(ys, a.yLastInto) };
}

/**
 * BPTT. With `gx = dL/dx_t`, `gy = dL/dy_t` (totals), the velocity's total is `G = gy + dt gx`
 * (x_t = x_{t-1} + dt y_t); the drive's gradient `dI = dt α G (1 − tanh²(I))`, and
 * `dL/dx_{t-1} = gx − dt ω² G + v dI`, `dL/dy_{t-1} = (1 − 2 dt γ) G + gain dI W_hhᵀ`.
 * Per unit, summed over batch and time: `dα = Σ dt G tanh(I)`, `dω = −Σ 2 dt ω G x_{t-1}`,
 * `dγ = −Σ 2 dt G y_{t-1}`, `dv = Σ dI x_{t-1}`; `dW_hh = gain Σ y_{t-1}ᵀ dI`,
 * `db_hh = gain Σ dI`, `dW_ih = Σ u_tᵀ dI`, `db_ih = Σ dI`.
 */
export function hornBackwardRef<A extends FloatArray>(a: HornBackwardArgs<A>): HornBackwardResult<A> {
  const { T, B, I, H, dt, gain } = a;
  const BH = B * H;
  const rows = T * B;
  const dI = allocLike(a.x0, T * BH);
  const yPrevAll = allocLike(a.x0, T * BH);
  yPrevAll.set(a.y0);
  yPrevAll.set(a.ys.subarray(0, (T - 1) * BH), BH);
  const [dAlpha, dOmega, dGamma, dV] = [0, 0, 0, 0].map(() => allocLike(a.x0, H)) as [A, A, A, A];
  let [gx, gy] = [allocLike(a.x0, BH), allocLike(a.x0, BH)];
  for (let t = T - 1; t >= 0; t--) {
    if (a.dXs) for (let i = 0; i < BH; i++) gx[i]! += a.dXs[t * BH + i]!;
    if (a.dYs) for (let i = 0; i < BH; i++) gy[i]! += a.dYs[t * BH + i]!;
    // The last step's cotangents, added as a sequence of zeros but for them would be.
    for (const [g, d] of [
      [gx, a.dXLast],
      [gy, a.dYLast],
    ] as const)
      if (d) for (let i = 0; i < BH; i++) g[i]! += t === T - 1 ? d[i]! : 0;
    const xPrev = t > 0 ? step(a.xs, t - 1, BH) : a.x0;
    const yPrev = step(yPrevAll, t, BH);
    const tau = step(a.drive, t, BH);
    const di = step(dI, t, BH);
    const [gxPrev, gyPrev] = [allocLike(a.x0, BH), allocLike(a.x0, BH)];
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const i = b * H + j;
        const G = gy[i]! + dt * gx[i]!;
        const w = a.omega[j]!;
        di[i] = dt * a.alpha[j]! * G * (1 - tau[i]! * tau[i]!);
        gxPrev[i] = gx[i]! - dt * w * w * G + a.v[j]! * di[i]!;
        gyPrev[i] = (1 - 2 * dt * a.gamma[j]!) * G;
        dAlpha[j]! += dt * G * tau[i]!;
        dOmega[j]! -= 2 * dt * w * G * xPrev[i]!;
        dGamma[j]! -= 2 * dt * G * yPrev[i]!;
        dV[j]! += di[i]! * xPrev[i]!;
      }
    }
    gemmRef(false, true, B, H, H, gain, di, a.wHh, 1, gyPrev);
    [gx, gy] = [gxPrev, gyPrev];
  }
  const dWIh = allocLike(a.x0, I * H);
  gemmRef(true, false, I, H, rows, 1, a.u, dI, 0, dWIh);
  const dWHh = allocLike(a.x0, H * H);
  gemmRef(true, false, H, H, rows, gain, yPrevAll, dI, 0, dWHh);
  const dBIh = columnSums(dI, rows, H);
  let dU: A | null = null;
  if (!a.skipDu) {
    dU = allocLike(a.x0, rows * I);
    gemmRef(false, true, rows, I, H, 1, dI, a.wIh, 0, dU);
  }
  return {
    dU,
    dWIh,
    dBIh,
    dWHh,
    dBHh: dBIh.map((d) => gain * d) as A,
    dAlpha,
    dOmega,
    dGamma,
    dV,
    dx0: gx,
    dy0: gy,
  };
}
