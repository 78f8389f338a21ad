/**
 * Reference fused recurrence (forward over T steps and its BPTT) in plain TypeScript. Generic over
 * float32 / float64 so the tests can check it against finite differences in float64.
 */
import { ValueError } from "../../base/errors.ts";
import { type Activation, type UpdateOrder, derivativeFromStates } from "../backend.ts";
import { ACTIVATION_FNS } from "./activation.ts";
import { gemmRef, type FloatArray } from "./gemm.ts";

/** The recurrence inputs with arrays of one float type `A` (see `RecurrenceForwardArgs`). */
export interface RecurrenceInputs<A extends FloatArray> {
  readonly T: number;
  readonly B: number;
  readonly H: number;
  /** `[T, B, H]` */
  readonly drive: A;
  /** `[H, H]`, `[in, out]` */
  readonly wRec: A;
  /** `[B, H]` */
  readonly h0: A;
  readonly alpha: number;
  readonly activation: Activation;
  readonly order: UpdateOrder;
}

/** The forward's outputs, `[T, B, H]` each. */
export interface RecurrenceStates<A extends FloatArray> {
  readonly hs: A;
  readonly pre: A;
}

/** A zeroed array of `n` elements of the same float type as `like`. */
export function allocLike<A extends FloatArray>(like: A, n: number): A {
  return new (like.constructor as new (n: number) => A)(n);
}

function step<A extends FloatArray>(x: A, t: number, size: number): A {
  return x.subarray(t * size, (t + 1) * size) as A;
}

/**
 * Forward: for `t = 0 … T-1`, with `z_t = h_{t-1} wRec + drive_t`,
 * rate order `pre_t = z_t`, `h_t = (1 - alpha) h_{t-1} + alpha f(pre_t)`;
 * current order `pre_t = (1 - alpha) h_{t-1} + alpha z_t`, `h_t = f(pre_t)`.
 */
export function recurrenceForwardRef<A extends FloatArray>(a: RecurrenceInputs<A>): RecurrenceStates<A> {
  const { T, B, H, alpha } = a;
  const { f } = ACTIVATION_FNS[a.activation];
  const BH = B * H;
  const hs = allocLike(a.drive, T * BH);
  const pre = allocLike(a.drive, T * BH);
  let hPrev = a.h0;
  for (let t = 0; t < T; t++) {
    const z = step(pre, t, BH);
    z.set(step(a.drive, t, BH));
    gemmRef(false, false, B, H, H, 1, hPrev, a.wRec, 1, z);
    const h = step(hs, t, BH);
    for (let i = 0; i < BH; i++) {
      if (a.order === "rate") {
        h[i] = (1 - alpha) * hPrev[i]! + alpha * f(z[i]!);
      } else {
        z[i] = (1 - alpha) * hPrev[i]! + alpha * z[i]!;
        h[i] = f(z[i]!);
      }
    }
    hPrev = h;
  }
  return { hs, pre };
}

/** The forward's inputs and states plus `dHs` `[T, B, H]`, the gradient arriving at each `h_t`. */
export interface RecurrenceBackwardInputs<A extends FloatArray>
  extends Omit<RecurrenceInputs<A>, "drive">, RecurrenceStates<A> {
  readonly dHs: A;
}

/**
 * BPTT. With `g_t = dL/dh_t` (total) and `u_t = dL/dz_t = alpha g_t f'(pre_t)` (= dDrive_t):
 * `g_{t-1} = dHs_{t-1} + c_t + u_t wRecᵀ`, where the leak term `c_t` is `(1 - alpha) g_t` (rate
 * order) or `(1 - alpha) g_t f'(pre_t)` (current order); `dh0 = g_{-1}`;
 * `dWRec = Σ_t h_{t-1}ᵀ u_t`, one GEMM over all steps at the end.
 */
export function recurrenceBackwardRef<A extends FloatArray>(
  a: RecurrenceBackwardInputs<A>,
): { dDrive: A; dWRec: A; dh0: A } {
  const { T, B, H, alpha } = a;
  const { df, dfOfOutput } = ACTIVATION_FNS[a.activation];
  // Without pre-activations, f' comes from the states (see derivativeFromStates).
  const fromStates = a.pre.length === 0;
  const slope = fromStates ? (derivativeFromStates(a) ? dfOfOutput : undefined) : df;
  if (!slope)
    throw new ValueError("recurrenceBackward: pre is empty, but f' does not follow from the states here");
  const BH = B * H;
  const dDrive = allocLike(a.hs, T * BH);
  let g = allocLike(a.hs, BH);
  g.set(step(a.dHs, T - 1, BH));
  for (let t = T - 1; t >= 0; t--) {
    const gPrev = allocLike(a.hs, BH);
    if (t > 0) gPrev.set(step(a.dHs, t - 1, BH));
    const src = fromStates ? step(a.hs, t, BH) : step(a.pre, t, BH);
    const u = step(dDrive, t, BH);
    for (let i = 0; i < BH; i++) {
      const d = slope(src[i]!);
      u[i] = alpha * g[i]! * d;
      gPrev[i]! += (1 - alpha) * g[i]! * (a.order === "rate" ? 1 : d);
    }
    gemmRef(false, true, B, H, H, 1, u, a.wRec, 1, gPrev);
    g = gPrev;
  }
  // hsPrev = [h0; h_0 … h_{T-2}] as [T·B, H], so dWRec = hsPrevᵀ dDrive in one GEMM.
  const hsPrev = allocLike(a.hs, T * BH);
  hsPrev.set(a.h0);
  hsPrev.set(a.hs.subarray(0, (T - 1) * BH), BH);
  const dWRec = allocLike(a.hs, H * H);
  gemmRef(true, false, H, H, T * B, 1, hsPrev, dDrive, 0, dWRec);
  return { dDrive, dWRec, dh0: g };
}
