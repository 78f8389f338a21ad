/**
 * The fused recurrence primitive: a whole leaky/vanilla RNN sequence (forward over T steps and its
 * BPTT) in one kernel call, with the same values and gradients as the generic {@link scan} path.
 * The input projection and a linear readout can be folded into the same call ({@link rnnLayer}).
 *
 * rate order:    h_t = (1 - α) h_{t-1} + α f(h_{t-1} W + d_t)
 * current order: h_t = f((1 - α) h_{t-1} + α (h_{t-1} W + d_t))
 */
import { apply } from "../autodiff.ts";
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Rule } from "../rule.ts";
import { scan } from "../scan.ts";
import { Tensor } from "../tensor.ts";
import {
  type Activation,
  type UpdateOrder,
  ACTIVATIONS,
  UPDATE_ORDERS,
  derivativeFromStates,
} from "../../kernels/backend.ts";
import { getBackend } from "../../kernels/index.ts";
import type { FloatArray } from "../../kernels/js/gemm.ts";
import { type LayerBackwardInputs, layerBackwardRef, layerForwardRef } from "../../kernels/js/layer.ts";
import { add, mul, relu, sigmoid, softplus, tanh } from "./elementwise.ts";
import { broadcastTo } from "./layout.ts";
import { matmul } from "./matmul.ts";
import { expectShape } from "./operands.ts";
import { spares } from "./spares.ts";

export interface RecurrenceOptions {
  /** Leak `α = dt / tau` in (0, 1]; 1 (default) is the vanilla RNN. */
  readonly alpha?: number;
  /** The nonlinearity f (default relu). */
  readonly activation?: Activation;
  /** Where the leak sits (default "rate"). */
  readonly order?: UpdateOrder;
  /** Use the fused primitive (default true); false composes generic ops under {@link scan}. */
  readonly fused?: boolean;
}

export interface RecurrenceAttrs {
  readonly alpha: number;
  readonly activation: Activation;
  readonly order: UpdateOrder;
  /** Which optional inputs follow `[wRec, h0]`, in this order: `drive`; `x, wIn, b`; `wOut, bOut`. */
  readonly has: { readonly drive: boolean; readonly input: boolean; readonly readout: boolean };
  /**
   * No caller receives the states (`rnnLayer`'s `states: false`): like the pre-activations, they
   * are the primitive's own, read last by its vjp, and their array is reused after it.
   */
  readonly ownStates: boolean;
}

/** The primitive's inputs, by name (see {@link RecurrenceAttrs.has} for their order). */
interface Operands {
  readonly wRec: Tensor;
  readonly h0: Tensor;
  readonly drive?: Tensor;
  readonly x?: Tensor;
  readonly wIn?: Tensor;
  readonly b?: Tensor;
  readonly wOut?: Tensor;
  readonly bOut?: Tensor;
}

/** The names of the primitive's inputs in order. */
function operandNames(has: RecurrenceAttrs["has"]): Array<keyof Operands> {
  return [
    "wRec",
    "h0",
    ...(has.drive ? (["drive"] as const) : []),
    ...(has.input ? (["x", "wIn", "b"] as const) : []),
    ...(has.readout ? (["wOut", "bOut"] as const) : []),
  ];
}

function named(inputs: readonly Tensor[], has: RecurrenceAttrs["has"]): Operands {
  return Object.fromEntries(operandNames(has).map((k, i) => [k, inputs[i]])) as unknown as Operands;
}

/** The kernel arguments of a call, from its operands (all of one dtype, `A`'s). */
function kernelArgs<A extends FloatArray = Float32Array>(
  p: Operands,
  [T, B, H]: readonly number[],
  a: RecurrenceAttrs,
) {
  const f32 = (t: Tensor) => t.data as A;
  const { x, wIn, b, wOut, bOut } = p;
  return {
    T: T as number,
    B: B as number,
    H: H as number,
    drive: p.drive ? f32(p.drive) : null,
    wRec: f32(p.wRec),
    h0: f32(p.h0),
    alpha: a.alpha,
    activation: a.activation,
    order: a.order,
    ...(x && wIn && b ? { input: { I: x.shape[2] as number, x: f32(x), wIn: f32(wIn), b: f32(b) } } : {}),
    ...(wOut && bOut ? { readout: { O: wOut.shape[1] as number, wOut: f32(wOut), bOut: f32(bOut) } } : {}),
  };
}

const float64 = (p: Operands) => p.wRec.dtype === "float64";

/**
 * `[T, B, H]` arrays whose one reader, the derivative, is done with them (see {@link spares}):
 * the pre-activations always ({@link run} hands out only the states and the readout), the states
 * when the caller asked for none ({@link RecurrenceAttrs.ownStates}).
 */
const ownSpares = spares(4);

/** The kept arrays a float32 forward may write its own outputs into, where there are some. */
function sparesFor(n: number, a: RecurrenceAttrs): { preInto?: Float32Array; hsInto?: Float32Array } {
  const pre = derivativeFromStates(a) ? [] : (["preInto"] as const);
  return ownSpares.into([...pre, ...(a.ownStates ? (["hsInto"] as const) : [])], n);
}

/** `[T, B, H]` of a call. */
function dims(p: Operands): [number, number, number] {
  const [B, H] = p.h0.shape as [number, number];
  const T = (p.drive ?? p.x)?.shape[0] as number;
  return [T, B, H];
}

export const recurrenceRules = {
  recurrence: {
    name: "recurrence",
    forward: (inputs, a: RecurrenceAttrs) => {
      const p = named(inputs, a.has);
      const [T, B, H] = dims(p);
      const r = float64(p)
        ? layerForwardRef(kernelArgs<Float64Array>(p, [T, B, H], a))
        : getBackend().recurrenceForward({
            ...kernelArgs(p, [T, B, H], a),
            ...sparesFor(T * B * H, a),
            backwardOnly: { hs: a.ownStates, pre: true },
          });
      // The pre-activations ride along for the derivative; a kernel that takes the derivative
      // from the states returns none, and then this output is empty, shape [0].
      const outs = [new Tensor([T, B, H], r.hs), new Tensor(r.pre.length > 0 ? [T, B, H] : [0], r.pre)];
      if (r.ys && p.wOut) outs.push(new Tensor([T, B, p.wOut.shape[1] as number], r.ys));
      return outs;
    },
    vjp: (cts, inputs, [hs, pre], a: RecurrenceAttrs, needs) => {
      const [dHs, , dYs] = cts;
      if (!dHs && !dYs) return inputs.map(() => null);
      const p = named(inputs, a.has);
      const shape = dims(p);
      const need = Object.fromEntries(operandNames(a.has).map((k, i) => [k, needs[i]]));
      const data = (t: Tensor | null | undefined) => (t ? (t.data as Float32Array) : null);
      const b = {
        ...kernelArgs(p, shape, a),
        hs: (hs as Tensor).data as Float32Array,
        pre: (pre as Tensor).data as Float32Array,
        dHs: data(dHs),
        dYs: data(dYs),
        skip: { dDrive: !need.drive, dX: !need.x, dh0: !need.h0 },
      };
      let r;
      if (float64(p)) r = layerBackwardRef(b as unknown as LayerBackwardInputs<Float64Array>);
      else {
        r = getBackend().recurrenceBackward(b);
        ownSpares.keep(b.pre);
        if (a.ownStates) ownSpares.keep(b.hs);
      }
      const [T, B, H] = shape;
      const grads: Record<keyof Operands, Tensor | null> = {
        wRec: new Tensor([H, H], r.dWRec),
        h0: r.dh0 && new Tensor([B, H], r.dh0),
        drive: r.dDrive && new Tensor([T, B, H], r.dDrive),
        x: r.input?.dX ? new Tensor((p.x as Tensor).shape, r.input.dX) : null,
        wIn: r.input ? new Tensor((p.wIn as Tensor).shape, r.input.dWIn) : null,
        b: r.input ? new Tensor([H], r.input.dB) : null,
        wOut: r.readout ? new Tensor((p.wOut as Tensor).shape, r.readout.dWOut) : null,
        bOut: r.readout ? new Tensor((p.bOut as Tensor).shape, r.readout.dBOut) : null,
      };
      return operandNames(a.has).map((k) => grads[k]);
    },
  } satisfies Rule<RecurrenceAttrs>,
};

const activations: Record<Activation, (x: Tensor) => Tensor> = {
  relu,
  tanh,
  sigmoid,
  softplus,
  identity: (x) => x,
};

/** The same recurrence as composed operations under {@link scan} (the reference path). */
function recurrenceGeneric(drive: Tensor, wRec: Tensor, h0: Tensor, a: RecurrenceAttrs): Tensor {
  const f = activations[a.activation];
  const leak = 1 - a.alpha;
  const [, hs] = scan(
    (h: Tensor, d: Tensor) => {
      const current = add(matmul(h, wRec), d);
      const next =
        a.order === "rate"
          ? add(mul(h, leak), mul(f(current), a.alpha))
          : f(add(mul(h, leak), mul(current, a.alpha)));
      return [next, next] as const;
    },
    h0,
    drive,
  );
  return hs;
}

/** Checked attributes from the options. */
function attrsOf(
  where: string,
  options: RecurrenceOptions,
  has: RecurrenceAttrs["has"],
  ownStates = false,
): RecurrenceAttrs {
  const attrs: RecurrenceAttrs = {
    alpha: options.alpha ?? 1,
    activation: options.activation ?? "relu",
    order: options.order ?? "rate",
    has,
    ownStates,
  };
  if (!(attrs.alpha > 0 && attrs.alpha <= 1)) {
    throw new ValueError(`${where}: alpha must be in (0, 1], got ${attrs.alpha}`);
  }
  if (!ACTIVATIONS.includes(attrs.activation)) {
    throw new ValueError(
      `${where}: activation must be one of ${ACTIVATIONS.join(", ")}, got ${String(attrs.activation)}`,
    );
  }
  if (!UPDATE_ORDERS.includes(attrs.order)) {
    throw new ValueError(
      `${where}: order must be one of ${UPDATE_ORDERS.join(", ")}, got ${String(attrs.order)}`,
    );
  }
  return attrs;
}

/** The `[B, H]` initial state from a `[B, H]` or shared `[H]` one. */
function initialState(where: string, h0: Tensor, B: number, H: number): Tensor {
  if (!(h0.rank === 1 && h0.shape[0] === H) && !(h0.rank === 2 && h0.shape[0] === B && h0.shape[1] === H)) {
    throw new ShapeError(
      `${where}: h0 must be [B, H] = [${B}, ${H}] or [H] = [${H}], got ${fmtShape(h0.shape)}`,
    );
  }
  return broadcastTo(h0, [B, H]);
}

/**
 * Runs the primitive (float32 on the kernel backend, float64 on the reference kernels), or its
 * composition from generic ops for `fused: false` or operands of mixed dtypes.
 */
function run(p: Operands, attrs: RecurrenceAttrs, fused: boolean): { hs: Tensor; ys: Tensor | undefined } {
  const operands = operandNames(attrs.has).map((k) => p[k] as Tensor);
  const [T] = dims(p);
  if (fused && T > 0 && operands.every((t) => t.dtype === p.wRec.dtype)) {
    const outs = apply(recurrenceRules.recurrence, operands, attrs);
    return { hs: outs[0] as Tensor, ys: outs[2] };
  }
  const projected = p.x && p.wIn && p.b ? add(matmul(p.x, p.wIn), p.b) : undefined;
  const drive = projected && p.drive ? add(projected, p.drive) : ((projected ?? p.drive) as Tensor);
  const hs = recurrenceGeneric(drive, p.wRec, p.h0, attrs);
  return { hs, ys: p.wOut && p.bOut ? add(matmul(hs, p.wOut), p.bOut) : undefined };
}

/**
 * Runs a leaky (continuous-time) or vanilla RNN over a whole sequence.
 * @param drive `[T, B, H]` input drive `d_t = x_t W_in + b` for every step
 * @param wRec `[H, H]` recurrent weights, layout `[in, out]`
 * @param h0 `[B, H]` or `[H]` initial state (a `[H]` state is shared by the batch and trainable)
 * @returns `[T, B, H]`: the states h_0 … h_{T-1}
 */
export function recurrence(drive: Tensor, wRec: Tensor, h0: Tensor, options: RecurrenceOptions = {}): Tensor {
  const where = "recurrence";
  const attrs = attrsOf(where, options, { drive: true, input: false, readout: false });
  const [, B, H] = drive.shape;
  if (drive.rank !== 3 || wRec.rank !== 2 || wRec.shape[0] !== H || wRec.shape[1] !== H) {
    throw new ShapeError(
      `recurrence: need drive [T, B, H] and wRec [H, H], got drive ${fmtShape(drive.shape)} and wRec ${fmtShape(wRec.shape)}`,
    );
  }
  const hInit = initialState(where, h0, B as number, H as number);
  return run({ wRec, h0: hInit, drive }, attrs, options.fused !== false).hs;
}

/** The weights of an {@link rnnLayer}: input projection, recurrence and optional readout. */
export interface RnnLayerParams {
  /** `[I, H]`, layout `[in, out]`. */
  readonly wIn: Tensor;
  /** `[H]` */
  readonly b: Tensor;
  /** `[H, H]`, layout `[in, out]`. */
  readonly wRec: Tensor;
  /** `[H, O]`: a linear readout `y_t = h_t W_out + b_out`, when given (with `bOut`). */
  readonly wOut?: Tensor;
  /** `[O]` */
  readonly bOut?: Tensor;
}

/** Options of {@link rnnLayer}. */
export interface RnnLayerOptions extends RecurrenceOptions {
  /** `[T, B, H]`: extra drive added at every step (recurrent noise, say). */
  readonly drive?: Tensor;
  /**
   * Return the states `hs` (default true). `false` (with a readout) returns only `ys`: the
   * `[T, B, H]` states then stay inside the fused primitive, which reuses their array once its
   * backward pass has read them (a fresh array of that size is expensive in a browser).
   */
  readonly states?: boolean;
}

/**
 * A whole RNN layer over a sequence in one fused kernel call, forward and BPTT: the input
 * projection, the recurrence and an optional linear readout. Same values and gradients as
 * `recurrence(add(matmul(x, wIn), b), wRec, h0)` followed by `add(matmul(hs, wOut), bOut)`, but the
 * `[T, B, H]` drive and the readout's gradient never leave the kernels.
 *
 * `d_t = x_t W_in + b (+ drive_t)`, then the update of {@link recurrence}, then `y_t = h_t W_out + b_out`.
 * @param x `[T, B, I]` inputs
 * @param h0 `[B, H]` or `[H]` initial state
 * @returns `hs` `[T, B, H]` (unless `states: false`) and, with a readout, `ys` `[T, B, O]`
 */
export function rnnLayer(
  x: Tensor,
  params: RnnLayerParams,
  h0: Tensor,
  options?: RnnLayerOptions & { readonly states?: true },
): { hs: Tensor; ys: Tensor | undefined };
/** {@link rnnLayer} whose caller needs only the readout `ys` `[T, B, O]`; `wOut` and `bOut` are required. */
export function rnnLayer(
  x: Tensor,
  params: RnnLayerParams,
  h0: Tensor,
  options: RnnLayerOptions & { readonly states: false },
): { hs: undefined; ys: Tensor };
export function rnnLayer(
  x: Tensor,
  params: RnnLayerParams,
  h0: Tensor,
  options: RnnLayerOptions = {},
): { hs: Tensor | undefined; ys: Tensor | undefined } {
  const where = "rnnLayer";
  const { wIn, b, wRec, wOut, bOut } = params;
  const { drive } = options;
  if ((wOut === undefined) !== (bOut === undefined)) {
    throw new ValueError(
      `${where}: the readout needs both wOut and bOut, got only ${wOut ? "wOut" : "bOut"}`,
    );
  }
  const ownStates = options.states === false;
  if (ownStates && wOut === undefined) {
    throw new ValueError(
      `${where}: states: false needs a readout (wOut and bOut), got none: the layer would return nothing`,
    );
  }
  const attrs = attrsOf(
    where,
    options,
    { drive: drive !== undefined, input: true, readout: wOut !== undefined },
    ownStates,
  );
  expectShape(where, "x", x, [null, null, null], "[T, B, I]");
  const [T, B, I] = x.shape as [number, number, number];
  expectShape(where, "wRec", wRec, [null, null], "[H, H]");
  const H = wRec.shape[0] as number;
  expectShape(where, "wRec", wRec, [H, H], `[H, H] = [${H}, ${H}]`);
  expectShape(where, "wIn", wIn, [I, H], `[I, H] = [${I}, ${H}]`);
  expectShape(where, "b", b, [H], `[H] = [${H}]`);
  if (drive) expectShape(where, "drive", drive, [T, B, H], `[T, B, H] = [${T}, ${B}, ${H}]`);
  if (wOut && bOut) {
    expectShape(where, "wOut", wOut, [H, null], `[H, O] with H = ${H}`);
    expectShape(where, "bOut", bOut, [wOut.shape[1] as number], `[O] = [${wOut.shape[1]}]`);
  }
  const p: Operands = {
    wRec,
    h0: initialState(where, h0, B, H),
    x,
    wIn,
    b,
    ...(drive ? { drive } : {}),
    ...(wOut && bOut ? { wOut, bOut } : {}),
  };
  const { hs, ys } = run(p, attrs, options.fused !== false);
  return { hs: ownStates ? undefined : hs, ys };
}
