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
import { Tensor, allocateToOverwrite } from "../tensor.ts";
import type { HornBackwardArgs, HornForwardArgs } from "../../kernels/backend.ts";
import { getBackend } from "../../kernels/index.ts";
import type { FloatArray } from "../../kernels/js/gemm.ts";
import { hornBackwardRef, hornForwardRef } from "../../kernels/js/horn.ts";
import { readoutBackward, readoutForward } from "./gated.ts";
import { broadcastTo } from "./layout.ts";
import { expectShape, sameDtype } from "./operands.ts";
import { spares } from "./spares.ts";

export interface HornAttrs {
  readonly gain: number;
  readonly dt: number;
  /**
   * Outputs the last step's position and velocity alone, `[B, H]` each (the classifier's loss
   * reads no other): the whole sequences ride along as outputs for the derivative only, in kept
   * arrays, and the derivative hands the kernel the last step's cotangents alone.
   */
  readonly final: boolean;
  /**
   * Under `final`, inputs of a folded linear readout of the last position after the initial
   * states: 0 (none), 1 (`wOut`) or 2 (`wOut`, `bOut`). With one, the first output is the logits
   * `x_{T-1} W_out (+ b_out)` `[B, O]` and the last states ride along for the derivative only
   * (see {@link hornLayerReadout}).
   */
  readonly readout: 0 | 1 | 2;
}

/** Where a folded readout's inputs start: after u, the 4 weights, the 4 constants, x0 and y0. */
const READOUT_AT = 11;

/**
 * The kernel arguments from the primitive's inputs, in order: u, wIh, bIh, wHh, bHh, alpha, omega,
 * gamma, v, x0, y0 (a literal, not built from a key list: every step makes two).
 */
function kernelArgs<A extends FloatArray>(inputs: readonly Tensor[], a: HornAttrs): HornForwardArgs<A> {
  const d = (i: number) => inputs[i]!.data as A;
  const [T, B, I] = inputs[0]!.shape as [number, number, number];
  return {
    T,
    B,
    I,
    H: inputs[9]!.shape[1] as number,
    gain: a.gain,
    dt: a.dt,
    u: d(0),
    wIh: d(1),
    bIh: d(2),
    wHh: d(3),
    bHh: d(4),
    alpha: d(5),
    omega: d(6),
    gamma: d(7),
    v: d(8),
    x0: d(9),
    y0: d(10),
  };
}

const float64 = (inputs: readonly Tensor[]) => inputs[0]!.dtype === "float64";

/**
 * `[T, B, H]` arrays whose one reader, the derivative, is done with them (see {@link spares}):
 * tanh(I), an output no caller receives ({@link hornLayer} keeps only the states), and under
 * `final` the state sequences too.
 */
const sequenceSpares = spares(3);

/**
 * `[B, H]` arrays no caller receives under a folded readout (see {@link spares}): the last states
 * and the readout's gradient with respect to the last position.
 */
const lastSpares = spares(3);

export const hornRules = {
  hornLayer: {
    name: "hornLayer",
    forward: (inputs, attrs: HornAttrs) => {
      const a = kernelArgs(inputs, attrs);
      const BH = a.B * a.H;
      // Under `final` the forward returns the last step apart, and the sequences are the
      // derivative's alone (the kernel may leave them in its memory until then).
      // Under a folded readout the last states are the derivative's alone: kept arrays.
      const last = () =>
        (attrs.readout > 0 && !float64(inputs) && lastSpares.take(BH)) ||
        allocateToOverwrite(inputs[0]!.dtype, BH);
      const f = attrs.final ? Object.assign(a, { final: true, xLastInto: last(), yLastInto: last() }) : a;
      const r = float64(inputs)
        ? hornForwardRef(f as HornForwardArgs<Float64Array>)
        : getBackend().hornForward(
            Object.assign(
              f as HornForwardArgs,
              sequenceSpares.into(attrs.final ? ["driveInto", "xsInto", "ysInto"] : ["driveInto"], a.T * BH),
            ),
          );
      const shape = [a.T, a.B, a.H];
      const [xs, ys] = [new Tensor(shape, r.xs), new Tensor(shape, r.ys)];
      // tanh(I) rides along as the third output for the derivative, and under `final` the
      // sequences as the fourth and fifth; callers ignore them.
      const drive = new Tensor(shape, r.drive);
      if (!attrs.final) return [xs, ys, drive];
      const [x, y] = [new Tensor([a.B, a.H], r.xLast!), new Tensor([a.B, a.H], r.yLast!)];
      if (attrs.readout === 0) return [x, y, drive, xs, ys];
      const wOut = inputs[READOUT_AT] as Tensor;
      const logits = readoutForward(x, wOut, inputs[READOUT_AT + 1], a.B);
      return [new Tensor([a.B, wOut.shape[1] as number], logits), y, drive, xs, ys, x];
    },
    vjp: (cts, inputs, outputs, attrs: HornAttrs, needs) => {
      // Under a folded readout no caller receives the last position: its one cotangent is the
      // readout's (and the velocity's output slot holds the last velocity, which nothing reads).
      const x = outputs[5];
      const fromReadout =
        attrs.readout > 0 && cts[0]
          ? readoutBackward(x!, cts[0], inputs[READOUT_AT] as Tensor, x!.shape[0]!, true)
          : null;
      const readoutGrads = attrs.readout > 0 ? [fromReadout?.dW ?? null, fromReadout?.dB ?? null] : [];
      const [dX, dY] = fromReadout
        ? [fromReadout.dHs, null]
        : attrs.readout > 0
          ? [null, null]
          : [cts[0] ? cts[0].data : null, cts[1] ? cts[1].data : null];
      if (!dX && !dY) return inputs.map(() => null);
      const [xs, ys, drive] = attrs.final ? [outputs[3], outputs[4], outputs[2]] : outputs;
      // Under `final` the cotangents are the last step's alone.
      const b = Object.assign(kernelArgs(inputs, attrs), {
        xs: xs!.data,
        ys: ys!.data,
        drive: drive!.data,
        ...(attrs.final ? { dXs: null, dYs: null, dXLast: dX, dYLast: dY } : { dXs: dX, dYs: dY }),
        skipDu: !needs[0],
        skipDConstants: !needs.slice(5, 9).some(Boolean),
        skipDState0: !needs[9] && !needs[10],
      });
      let r;
      if (float64(inputs)) r = hornBackwardRef(b as HornBackwardArgs<Float64Array>);
      else {
        r = getBackend().hornBackward(b as HornBackwardArgs);
        const done = attrs.final ? [b.drive, b.xs, b.ys] : [b.drive];
        for (const d of done) sequenceSpares.keep(d as Float32Array);
        if (fromReadout)
          for (const d of [x!.data, outputs[1]!.data, fromReadout.dHs]) lastSpares.keep(d as Float32Array);
      }
      const grads = [r.dU, r.dWIh, r.dBIh, r.dWHh, r.dBHh, r.dAlpha, r.dOmega, r.dGamma, r.dV, r.dx0, r.dy0];
      grads.push(...readoutGrads);
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
  const [xs, ys] = applyHorn("hornLayer", u, params, constants, state0, options, false);
  return { xs: xs as Tensor, ys: ys as Tensor };
}

/**
 * {@link hornLayer}'s state after the last step alone, `x_T` and `y_T` `[B, H]` (the same values
 * and gradients as the last step of its sequences) for a caller reading no other step, such as
 * a classifier: no sequence is handed out, so the ones its derivative reads live in reused arrays.
 */
export function hornLayerFinal(
  u: Tensor,
  params: HornLayerParams,
  constants: HornConstants,
  state0: { readonly x: Tensor; readonly y: Tensor },
  options: HornLayerOptions = {},
): { x: Tensor; y: Tensor } {
  const [x, y] = applyHorn("hornLayerFinal", u, params, constants, state0, options, true);
  return { x: x as Tensor, y: y as Tensor };
}

/**
 * {@link hornLayerFinal}'s last position through a linear readout, `x_{T-1} w (+ b)` `[B, O]`, in
 * the same call, with the values and gradients of `add(matmul(x, w), b)` bit for bit; the last
 * states stay the derivative's (a classifier's logits, as the GRU's and LSTM's folded readouts).
 */
export function hornLayerReadout(
  u: Tensor,
  params: HornLayerParams,
  constants: HornConstants,
  state0: { readonly x: Tensor; readonly y: Tensor },
  readout: { readonly w: Tensor; readonly b?: Tensor },
  options: HornLayerOptions = {},
): Tensor {
  const H = params.wHh.shape[0] as number;
  const where = "hornLayerReadout";
  const O = readout.w.shape[1] as number;
  expectShape(where, "readout w", readout.w, [H, null], `[H, O] with H = ${H}`);
  if (readout.b) expectShape(where, "readout b", readout.b, [O], `[O] = [${O}]`);
  const folded = readout.b ? [readout.w, readout.b] : [readout.w];
  return applyHorn(where, u, params, constants, state0, options, true, folded)[0] as Tensor;
}

function applyHorn(
  where: string,
  u: Tensor,
  params: HornLayerParams,
  constants: HornConstants,
  state0: { readonly x: Tensor; readonly y: Tensor },
  options: HornLayerOptions,
  final: boolean,
  folded: readonly Tensor[] = [],
): Tensor[] {
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
    ...folded,
  ]);
  return apply(hornRules.hornLayer, operands, { gain, dt, final, readout: folded.length as 0 | 1 | 2 });
}
