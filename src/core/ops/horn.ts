/**
 * The fused HORN layer: a whole sequence of driven damped oscillators (forward over T steps and
 * its BPTT) in one kernel call, with the values and gradients of the HORN cell stepped under
 * `scan` (equations in `HornForwardArgs` of kernels/backend.ts). Float32 runs on the kernel
 * backend; float64 runs the plain-TypeScript reference kernel in float64, so the gradient checks
 * exercise this primitive's own derivative.
 */
import { apply } from "../autodiff.ts";
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Rule } from "../rule.ts";
import { Tensor } from "../tensor.ts";
import type { HornBackwardArgs, HornForwardArgs } from "../../kernels/backend.ts";
import { getBackend } from "../../kernels/index.ts";
import type { FloatArray } from "../../kernels/js/gemm.ts";
import { hornBackwardRef, hornForwardRef } from "../../kernels/js/horn.ts";
import { broadcastTo } from "./layout.ts";
import { expectShape, sameDtype } from "./operands.ts";
import { spares } from "./spares.ts";

export interface HornAttrs {
  readonly gain: number;
  readonly dt: number;
}

/** The primitive's inputs in order. */
const OPERANDS = ["u", "wIh", "bIh", "wHh", "bHh", "alpha", "omega", "gamma", "v", "x0", "y0"] as const;

function kernelArgs<A extends FloatArray>(inputs: readonly Tensor[], a: HornAttrs): HornForwardArgs<A> {
  const d = Object.fromEntries(OPERANDS.map((k, i) => [k, inputs[i]!.data])) as Record<
    (typeof OPERANDS)[number],
    A
  >;
  const [T, B, I] = inputs[0]!.shape as [number, number, number];
  return { T, B, I, H: inputs[9]!.shape[1] as number, gain: a.gain, dt: a.dt, ...d };
}

const float64 = (inputs: readonly Tensor[]) => inputs[0]!.dtype === "float64";

/**
 * tanh(I) arrays whose one reader, the derivative, is done with them (see {@link spares}): the
 * drive is an output no caller receives ({@link hornLayer} keeps only the states).
 */
const driveSpares = spares();

/** A kept array of `n` floats for the forward's drive, if there is one. */
function spareDrive(n: number): { driveInto?: Float32Array } {
  const driveInto = driveSpares.take(n);
  return driveInto ? { driveInto } : {};
}

export const hornRules = {
  hornLayer: {
    name: "hornLayer",
    forward: (inputs, attrs: HornAttrs) => {
      const a = kernelArgs(inputs, attrs);
      const r = float64(inputs)
        ? hornForwardRef(a as HornForwardArgs<Float64Array>)
        : getBackend().hornForward({ ...(a as HornForwardArgs), ...spareDrive(a.T * a.B * a.H) });
      const shape = [a.T, a.B, a.H];
      // tanh(I) rides along as the third output for the derivative; callers ignore it.
      return [new Tensor(shape, r.xs), new Tensor(shape, r.ys), new Tensor(shape, r.drive)];
    },
    vjp: (cts, inputs, [xs, ys, drive], attrs: HornAttrs, needs) => {
      const [dXs, dYs] = cts;
      if (!dXs && !dYs) return inputs.map(() => null);
      const b = {
        ...kernelArgs(inputs, attrs),
        xs: xs!.data,
        ys: ys!.data,
        drive: drive!.data,
        dXs: dXs ? dXs.data : null,
        dYs: dYs ? dYs.data : null,
        skipDu: !needs[0],
      };
      let r;
      if (float64(inputs)) r = hornBackwardRef(b as HornBackwardArgs<Float64Array>);
      else {
        r = getBackend().hornBackward(b as HornBackwardArgs);
        driveSpares.keep(b.drive as Float32Array);
      }
      const grads = [r.dU, r.dWIh, r.dBIh, r.dWHh, r.dBHh, r.dAlpha, r.dOmega, r.dGamma, r.dV, r.dx0, r.dy0];
      return inputs.map((t, i) => (needs[i] && grads[i] ? new Tensor(t.shape, grads[i]) : null));
    },
  } satisfies Rule<HornAttrs>,
};

/** The weights of a HORN layer: `wIh` `[I, H]`, `bIh` `[H]`, `wHh` `[H, H]`, `bHh` `[H]`. */
export interface HornLayerParams {
  readonly wIh: Tensor;
  readonly bIh: Tensor;
  readonly wHh: Tensor;
  readonly bHh: Tensor;
}

/** The oscillator constants, each a scalar `[]` or per unit `[H]` (trainable or not). */
export interface HornConstants {
  readonly alpha: Tensor;
  readonly omega: Tensor;
  readonly gamma: Tensor;
  readonly v: Tensor;
}

/** Options of {@link hornLayer}. */
export interface HornLayerOptions {
  /** Gain on the recurrent input (default 1). */
  readonly gain?: number;
  /** Integration step (default 1). */
  readonly dt?: number;
}

/**
 * A HORN layer over a whole sequence in one fused kernel call, forward and BPTT:
 * ```
 * I  = u_t W_ih + b_ih + gain (y W_hh + b_hh) + v ⊙ x
 * y' = y + dt (α ⊙ tanh(I) − ω² ⊙ x − 2γ ⊙ y)
 * x' = x + dt y'
 * ```
 * @param u `[T, B, I]` inputs
 * @param state0 initial position `x` and velocity `y`, `[B, H]` each
 * @returns the positions `xs` and velocities `ys`, `[T, B, H]` each
 */
export function hornLayer(
  u: Tensor,
  params: HornLayerParams,
  constants: HornConstants,
  state0: { readonly x: Tensor; readonly y: Tensor },
  options: HornLayerOptions = {},
): { xs: Tensor; ys: Tensor } {
  const where = "hornLayer";
  const gain = options.gain ?? 1;
  const dt = options.dt ?? 1;
  if (!Number.isFinite(gain)) throw new ValueError(`${where}: gain must be a finite number, got ${gain}`);
  if (!(dt > 0 && Number.isFinite(dt)))
    throw new ValueError(`${where}: dt must be a finite number > 0, got ${dt}`);
  if (u.rank !== 3 || u.shape[0] === 0)
    throw new ShapeError(`${where}: u must be [T, B, I] with T ≥ 1, got ${fmtShape(u.shape)}`);
  const [, B, I] = u.shape as [number, number, number];
  const H = params.wHh.shape[0] as number;
  expectShape(where, "wHh", params.wHh, [H, H], `[H, H] = ${fmtShape([H, H])}`);
  expectShape(where, "wIh", params.wIh, [I, H], `[I, H] = ${fmtShape([I, H])}`);
  expectShape(where, "bIh", params.bIh, [H], `[H] = ${fmtShape([H])}`);
  expectShape(where, "bHh", params.bHh, [H], `[H] = ${fmtShape([H])}`);
  expectShape(where, "state0.x", state0.x, [B, H], `[B, H] = ${fmtShape([B, H])}`);
  expectShape(where, "state0.y", state0.y, [B, H], `[B, H] = ${fmtShape([B, H])}`);
  const perUnit = (name: keyof HornConstants) => {
    const c = constants[name];
    if (!(c.rank === 0 || (c.rank === 1 && (c.shape[0] === H || c.shape[0] === 1))))
      throw new ShapeError(
        `${where}: ${name} must be a scalar [] or per unit [${H}], got ${fmtShape(c.shape)}`,
      );
    return broadcastTo(c, [H]);
  };
  const operands = sameDtype([
    u,
    params.wIh,
    params.bIh,
    params.wHh,
    params.bHh,
    perUnit("alpha"),
    perUnit("omega"),
    perUnit("gamma"),
    perUnit("v"),
    state0.x,
    state0.y,
  ]);
  const [xs, ys] = apply(hornRules.hornLayer, operands, { gain, dt });
  return { xs: xs as Tensor, ys: ys as Tensor };
}
