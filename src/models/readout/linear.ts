/**
 * The linear readout `y = h W_out + b_out`, with an optional row mask (which hidden units feed the
 * readout, e.g. only excitatory units under Dale's law) and an optional sign constraint.
 */
import { type Rng, type Tensor, abs, add, mul, tensor, zeros } from "../../core/index.ts";
import { dense } from "../dense.ts";
import { type InitSpec, initWeight } from "../init/spec.ts";
import { positiveInt } from "../validate.ts";

/** Options of {@link linearReadout}. */
export interface LinearReadoutConfig {
  readonly nIn: number;
  readonly nOut: number;
  /** Weight initialiser (default `"pytorch"`: `U(±1/sqrt(nIn))`, like `nn.Linear`). */
  readonly init?: InitSpec;
  /** Include the bias `b_out` (default true). */
  readonly bias?: boolean;
  /** 0/1 per input unit: units with 0 do not reach the readout. */
  readonly inputMask?: readonly number[];
  /** Use `|W_out|` (non-negative weights), as PsychRNN does under Dale's law (default false). */
  readonly positive?: boolean;
}

/** Readout parameters: `w` `[nIn, nOut]` (PyTorch's `fc.weight` transposed) and `b` `[nOut]`. */
export type LinearReadoutParams = { readonly w: Tensor; readonly b?: Tensor };

/** A stateless map from hidden activity `[..., nIn]` to outputs `[..., nOut]`. */
export interface Readout<
  P extends LinearReadoutParams | Record<string, never> = LinearReadoutParams,
  C = unknown,
> {
  readonly name: string;
  readonly config: C;
  readonly nIn: number;
  readonly nOut: number;
  init(rng: Rng): P;
  apply(params: P, h: Tensor): Tensor;
  /**
   * The weights `apply` multiplies by and the bias it adds, `apply(p, h) = h w + b` (differentiable
   * functions of `params`), for a readout that is this linear map: a cell can then fold it into
   * its fused kernel (see `Cell.sequenceReadout`).
   */
  linear?(params: P): { readonly w: Tensor; readonly b?: Tensor };
}

/**
 * `y = h (M ⊙ W) + b`, where `M` zeroes masked input rows and `W` is `|W|` when `positive`.
 * @example const fc = linearReadout({ nIn: 128, nOut: 3 }); fc.apply(fc.init(rng), hs) // [T, B, 3]
 */
export function linearReadout(
  options: LinearReadoutConfig,
): Readout<
  LinearReadoutParams,
  Required<Omit<LinearReadoutConfig, "inputMask">> & Pick<LinearReadoutConfig, "inputMask">
> {
  const where = "linearReadout";
  const config = {
    nIn: positiveInt(where, "nIn", options.nIn),
    nOut: positiveInt(where, "nOut", options.nOut),
    init: options.init ?? "pytorch",
    bias: options.bias ?? true,
    positive: options.positive ?? false,
    ...(options.inputMask ? { inputMask: options.inputMask } : {}),
  };
  const rowMask = config.inputMask && tensor(config.inputMask, [config.nIn, 1]);
  const linear = (params: LinearReadoutParams): { w: Tensor; b?: Tensor } => {
    let w = config.positive ? abs(params.w) : params.w;
    if (rowMask) w = mul(w, rowMask);
    return params.b ? { w, b: params.b } : { w };
  };
  return {
    name: where,
    config,
    nIn: config.nIn,
    nOut: config.nOut,
    init(rng) {
      const w = initWeight(rng, [config.nIn, config.nOut], config.init, {
        where,
        option: "init",
        fanIn: config.nIn,
      });
      if (!config.bias) return { w };
      const b =
        config.init === "pytorch"
          ? initWeight(rng, [config.nOut], "pytorch", { where, option: "init", fanIn: config.nIn })
          : zeros([config.nOut]);
      return { w, b };
    },
    linear,
    apply(params, h) {
      const { w, b } = linear(params);
      const y = dense(h, w);
      return b ? add(y, b) : y;
    },
  };
}
