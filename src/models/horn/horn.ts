/**
 * The HORN layer (harmonic oscillator recurrent network; Effenberger et al., PNAS 2025): each unit
 * is a driven damped oscillator `x'' + 2γ x' + ω² x = α tanh(I)`, integrated by symplectic Euler.
 */
import {
  type Tensor,
  add,
  full,
  hornLayer,
  hornLayerFinal,
  hornLayerReadout,
  mul,
  sub,
  tanh,
  tensor,
  zeros,
} from "../../core/index.ts";
import { ValueError } from "../../base/errors.ts";
import { type Cell, type RunOptions, handsOutNoSteps, runCell } from "../cell.ts";
import { fusedRunResult } from "../fusedRun.ts";
import { dense } from "../dense.ts";
import { type InitSpec, initWeight } from "../init/spec.ts";
import { nonNegative, oneOf, positive, positiveInt, scalarOrPerUnit } from "../validate.ts";

/** The oscillator constants that may be per-unit and trainable. */
export type HORNConstant = "alpha" | "omega" | "gamma" | "v";

const CONSTANTS: readonly HORNConstant[] = ["alpha", "omega", "gamma", "v"];

/** Options of {@link horn}. */
export interface HORNOptions {
  readonly nIn: number;
  readonly nHidden: number;
  /** Integration step h (default 1). */
  readonly h?: number;
  /** Excitability α, scalar or per unit (default 0.04; S0 uses 0.2). */
  readonly alpha?: number | readonly number[];
  /** Natural frequency ω (radians per step), scalar or per unit (default 2π/28). */
  readonly omega?: number | readonly number[];
  /** Damping γ, scalar or per unit (default 0.01). */
  readonly gamma?: number | readonly number[];
  /** Amplitude feedback v (default 0). */
  readonly v?: number | readonly number[];
  /** Gain g on the recurrent input: 1 (brainmass, default) or `"inverseSqrtN"` (1/sqrt(n), the paper's code). */
  readonly recurrentGain?: number | "inverseSqrtN";
  /** Which of alpha, omega, gamma, v are parameters (learned) rather than constants (default none). */
  readonly trainable?: readonly HORNConstant[];
  /** Input weight initialiser (default brainmass's Kaiming normal, truncated, scale 2). */
  readonly inputInit?: InitSpec;
  /** Recurrent weight initialiser (default as inputInit). */
  readonly recurrentInit?: InitSpec;
}

/** Resolved HORN config. */
export type HORNConfig = Required<HORNOptions>;

/** Parameters: `wIh` `[nIn, H]`, `bIh` `[H]`, `wHh` `[H, H]`, `bHh` `[H]`, plus trainable constants. */
export type HORNParams = {
  readonly wIh: Tensor;
  readonly bIh: Tensor;
  readonly wHh: Tensor;
  readonly bHh: Tensor;
  readonly alpha?: Tensor;
  readonly omega?: Tensor;
  readonly gamma?: Tensor;
  readonly v?: Tensor;
};

/** State: position `x` and velocity `y`, both `[B, H]`, starting at zero. */
export type HORNState = { readonly x: Tensor; readonly y: Tensor };

/** Per-unit ω and γ drawn uniformly in `[lo, hi]` times the base (the heterogeneous HORN). */
export function heterogeneousOscillators(
  rng: { uniformIn(lo: number, hi: number): number },
  n: number,
  options: { omega?: number; gamma?: number; lo?: number; hi?: number } = {},
): { omega: number[]; gamma: number[] } {
  const { omega = (2 * Math.PI) / 28, gamma = 0.01, lo = 0.5, hi = 2 } = options;
  const draw = (base: number) => Array.from({ length: n }, () => base * rng.uniformIn(lo, hi));
  return { omega: draw(omega), gamma: draw(gamma) };
}

/** Resolves and checks HORN options. */
export function hornConfig(where: string, o: HORNOptions): HORNConfig {
  const nHidden = positiveInt(where, "nHidden", o.nHidden);
  const finite = (w: string, name: string, v: number) => {
    if (!Number.isFinite(v)) throw new ValueError(`${w}: ${name} must be a finite number, got ${v}`);
    return v;
  };
  const gain = o.recurrentGain ?? 1;
  if (typeof gain === "string") oneOf(where, "recurrentGain", gain, ["inverseSqrtN"] as const);
  else finite(where, "recurrentGain", gain);
  const trainable = o.trainable ?? [];
  trainable.forEach((t) => oneOf(where, "trainable", t, CONSTANTS));
  const init = o.inputInit ?? "kaimingNormalTruncated";
  return {
    nIn: positiveInt(where, "nIn", o.nIn),
    nHidden,
    h: positive(where, "h", o.h ?? 1),
    alpha: scalarOrPerUnit(where, "alpha", o.alpha ?? 0.04, nHidden, finite),
    omega: scalarOrPerUnit(where, "omega", o.omega ?? (2 * Math.PI) / 28, nHidden, nonNegative),
    gamma: scalarOrPerUnit(where, "gamma", o.gamma ?? 0.01, nHidden, nonNegative),
    v: scalarOrPerUnit(where, "v", o.v ?? 0, nHidden, finite),
    recurrentGain: gain,
    trainable,
    inputInit: init,
    recurrentInit: o.recurrentInit ?? init,
  };
}

/**
 * The HORN cell, which also reads its last position through a linear readout in its fused call
 * (`finalReadout`, {@link hornLayerReadout}): `readout(runToFinal(...).x)`, the same values and
 * gradients, where `runToFinal` takes the cell's `final`; `undefined` where it would not.
 */
export type HORNCell = Cell<HORNParams, HORNState, HORNConfig> & {
  finalReadout(
    p: HORNParams,
    us: Tensor,
    readout: { readonly w: Tensor; readonly b?: Tensor },
    options: RunOptions<HORNState>,
  ): Tensor | undefined;
};

const asTensor = (v: number | readonly number[]) => (typeof v === "number" ? tensor(v, []) : tensor([...v]));

/**
 * One HORN layer as a cell (symplectic Euler, step h, velocity y = x'):
 * ```
 * I  = x_in W_ih + b_ih + g (y W_hh + b_hh) + v ⊙ x
 * y' = y + h (α ⊙ tanh(I) − ω² ⊙ x − 2γ ⊙ y)
 * x' = x + h y'
 * ```
 * Recurrence acts on the velocity. The output is the position x' `[B, H]`. brainmass's and the
 * paper's `h2h(y)` weights are `W_hh` here (brainstate's Linear is already `[in, out]`; PyTorch's
 * `h2h.weight` is `[out, in]`, so `wHh = h2h.weight.T`). A whole sequence runs in one fused
 * kernel call (`hornLayer`), with the same values and gradients as the steps.
 * @example const layer = horn({ nIn: 2, nHidden: 64, alpha: 0.2 }); // S0
 */
export function horn(options: HORNOptions): HORNCell {
  const config = hornConfig("horn", options);
  const { nIn, nHidden: H, h: dt, trainable } = config;
  const g = config.recurrentGain === "inverseSqrtN" ? 1 / Math.sqrt(H) : config.recurrentGain;
  // Per unit [H] once here, so that the fused layer does not broadcast a scalar on every call.
  const perUnit = (v: number | readonly number[]) => (typeof v === "number" ? full([H], v) : tensor([...v]));
  const fixed = Object.fromEntries(CONSTANTS.map((k) => [k, perUnit(config[k])])) as Record<
    HORNConstant,
    Tensor
  >;
  const constant = (p: HORNParams, k: HORNConstant) => p[k] ?? fixed[k];
  const cell: HORNCell = {
    name: "horn",
    config,
    nIn,
    nOut: H,
    init(rng) {
      const where = "horn";
      const learned = Object.fromEntries(trainable.map((k) => [k, asTensor(config[k])]));
      return {
        wIh: initWeight(rng, [nIn, H], config.inputInit, { where, option: "inputInit" }),
        bIh: zeros([H]),
        wHh: initWeight(rng, [H, H], config.recurrentInit, { where, option: "recurrentInit" }),
        bHh: zeros([H]),
        ...learned,
      };
    },
    initialState: (p, B) => ({ x: zeros([B, H], p.wHh.dtype), y: zeros([B, H], p.wHh.dtype) }),
    step(p, { x, y }, input) {
      const recurrent = mul(add(dense(y, p.wHh), p.bHh), g);
      const drive = add(add(add(dense(input, p.wIh), p.bIh), recurrent), mul(constant(p, "v"), x));
      const omega = constant(p, "omega");
      const force = sub(
        sub(mul(constant(p, "alpha"), tanh(drive)), mul(mul(omega, omega), x)),
        mul(mul(constant(p, "gamma"), 2), y),
      );
      const yNext = add(y, mul(force, dt));
      const xNext = add(x, mul(yNext, dt));
      return { state: { x: xNext, y: yNext }, output: xNext };
    },
    sequence(p, us, options) {
      if (us.shape[0] === 0) return runCell(cell, p, us, { ...options, fused: false });
      const { xs, ys } = hornLayer(us, p, ...layerArgs(p, us, options));
      return fusedRunResult("horn", { x: xs, y: ys }, "x", options.record ?? []);
    },
    final(p, us, options) {
      if (us.shape[0] === 0) return runCell(cell, p, us, { ...options, fused: false }).final;
      return hornLayerFinal(us, p, ...layerArgs(p, us, options));
    },
    finalReadout(p, us, readout, options) {
      if (us.shape[0] === 0 || !handsOutNoSteps(options)) return undefined;
      const [constants, state0, layerOptions] = layerArgs(p, us, options);
      return hornLayerReadout(us, p, constants, state0, readout, layerOptions);
    },
  };
  /** The fused layer's constants, initial state and options for a run over `us`. */
  const layerArgs = (p: HORNParams, us: Tensor, options: RunOptions<HORNState>) => {
    const zero = () => zeros([us.shape[1] as number, H], p.wHh.dtype);
    const constants = {
      alpha: constant(p, "alpha"),
      omega: constant(p, "omega"),
      gamma: constant(p, "gamma"),
      v: constant(p, "v"),
    };
    const state0 = { x: options.state0?.x ?? zero(), y: options.state0?.y ?? zero() };
    return [constants, state0, { gain: g, dt }] as const;
  };
  return cell;
}
