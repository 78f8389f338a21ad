/**
 * The leaky (continuous-time) RNN cell, `tau dh/dt = -h + f(x W_in + h W_rec + b)`, Euler-discretised
 * with `alpha = dt / tau`, in the two orders the seeds use. Dale's law, connectivity masks, no
 * autapses, recurrent noise and a trainable initial state are options.
 */
import {
  ValueError,
  type Rng,
  type Tensor,
  add,
  broadcastTo,
  mul,
  randomNormal,
  rnnLayer,
  reshape,
  sliceAxis,
  stack,
  zeros,
} from "../../core/index.ts";
import type { UpdateOrder } from "../../kernels/backend.ts";
import { type Activation, ACTIVATIONS, activationFns } from "../activation.ts";
import { type Cell, type RunOptions, type RunResult, checkRecord, stepStreams } from "../cell.ts";
import { dense } from "../dense.ts";
import { type InitSpec, initWeight } from "../init/spec.ts";
import { inRange, mask, nonNegative, oneOf, positive, positiveInt } from "../validate.ts";
import { connectivityMask, daleSigns, signConstrained } from "./dale.ts";

// Where the leak sits: `"rate"` (S3, PsychRNN) or `"current"` (S2, BrainPy); the kernels' type.
export type { UpdateOrder };

/** Options of {@link leakyRNN}. */
export interface LeakyRNNOptions {
  readonly nIn: number;
  readonly nHidden: number;
  /** Time constant (ms); with `dtMs`, `alpha = dtMs / tauMs`. Default 100. */
  readonly tauMs?: number;
  /** Step (ms); omitted means `alpha = 1` (no leak, the vanilla RNN). Must not exceed `tauMs`. */
  readonly dtMs?: number;
  /** The nonlinearity f (default `"relu"`). */
  readonly activation?: Activation;
  /** Update order (default `"rate"`). */
  readonly order?: UpdateOrder;
  /** Recurrent noise σ_rec (default 0); active only when `apply`/`runCell` get an `rng`. */
  readonly sigmaRec?: number;
  /** Dale's law: the fraction of excitatory units (e.g. 0.8); omitted means unconstrained. */
  readonly excitatoryFraction?: number;
  /** `[nIn, nHidden]` 0/1 input connectivity (layout `[in, out]`). */
  readonly inputMask?: readonly (readonly number[])[];
  /** `[nHidden, nHidden]` 0/1 recurrent connectivity, row = presynaptic unit. */
  readonly recurrentMask?: readonly (readonly number[])[];
  /** Allow self-connections (default true). */
  readonly autapses?: boolean;
  /** Learn the initial state `h0` `[nHidden]`, shared by the batch (default false: zeros). */
  readonly trainableH0?: boolean;
  /** Input weight initialiser (default `"pytorch"`, `nn.Linear`'s `U(±1/sqrt(nIn))`). */
  readonly inputInit?: InitSpec;
  /** Recurrent weight initialiser (default `"pytorch"`; `"spectral"` with radius 1 under Dale's law). */
  readonly recurrentInit?: InitSpec;
  /** Bias initialiser (default `"pytorch"`: `U(±1/sqrt(nIn)) + U(±1/sqrt(nHidden))`, as input2h + h2h). */
  readonly biasInit?: "pytorch" | "zeros";
}

/** The config a leaky RNN keeps: every option resolved, plus `alpha`. */
export type LeakyRNNConfig = Required<
  Omit<LeakyRNNOptions, "dtMs" | "excitatoryFraction" | "inputMask" | "recurrentMask">
> &
  Pick<LeakyRNNOptions, "dtMs" | "excitatoryFraction" | "inputMask" | "recurrentMask"> & {
    readonly alpha: number;
  };

/** Parameters: `wIn` `[nIn, H]`, `wRec` `[H, H]` (layout `[in, out]`), `b` `[H]`, optional `h0` `[H]`. */
export type LeakyRNNParams = {
  readonly wIn: Tensor;
  readonly wRec: Tensor;
  readonly b: Tensor;
  readonly h0?: Tensor;
};

/** State: `h` `[B, H]`. */
export type LeakyRNNState = { readonly h: Tensor };

/** A leaky RNN cell; `signs` are Dale's signs per unit (all +1 without Dale's law). */
export type LeakyRNNCell = Cell<LeakyRNNParams, LeakyRNNState, LeakyRNNConfig> & {
  readonly signs: readonly number[] | undefined;
  /** The weights as the dynamics use them (Dale's law and masks applied). */
  effectiveWeights(params: LeakyRNNParams): { wIn: Tensor; wRec: Tensor };
};

/** Resolves and checks the options of a leaky RNN (shared by the vanilla RNN factory). */
export function leakyRNNConfig(where: string, o: LeakyRNNOptions): LeakyRNNConfig {
  const nIn = positiveInt(where, "nIn", o.nIn);
  const nHidden = positiveInt(where, "nHidden", o.nHidden);
  const tauMs = positive(where, "tauMs", o.tauMs ?? 100);
  if (o.dtMs !== undefined) {
    positive(where, "dtMs", o.dtMs);
    if (o.dtMs > tauMs) {
      throw new ValueError(
        `${where}: dtMs must be <= tauMs (alpha = dt / tau in (0, 1]), got dtMs=${o.dtMs} with tauMs=${tauMs}`,
      );
    }
  }
  if (o.excitatoryFraction !== undefined) inRange(where, "excitatoryFraction", o.excitatoryFraction, 0, 1);
  if (o.inputMask) mask(where, "inputMask", o.inputMask, nIn, nHidden);
  if (o.recurrentMask) mask(where, "recurrentMask", o.recurrentMask, nHidden, nHidden);
  return {
    nIn,
    nHidden,
    tauMs,
    alpha: o.dtMs === undefined ? 1 : o.dtMs / tauMs,
    activation: oneOf(where, "activation", o.activation ?? "relu", ACTIVATIONS),
    order: oneOf(where, "order", o.order ?? "rate", ["rate", "current"] as const),
    sigmaRec: nonNegative(where, "sigmaRec", o.sigmaRec ?? 0),
    autapses: o.autapses ?? true,
    trainableH0: o.trainableH0 ?? false,
    inputInit: o.inputInit ?? "pytorch",
    recurrentInit: o.recurrentInit ?? (o.excitatoryFraction === undefined ? "pytorch" : "spectral"),
    biasInit: oneOf(where, "biasInit", o.biasInit ?? "pytorch", ["pytorch", "zeros"] as const),
    ...(o.dtMs === undefined ? {} : { dtMs: o.dtMs }),
    ...(o.excitatoryFraction === undefined ? {} : { excitatoryFraction: o.excitatoryFraction }),
    ...(o.inputMask ? { inputMask: o.inputMask } : {}),
    ...(o.recurrentMask ? { recurrentMask: o.recurrentMask } : {}),
  };
}

/**
 * A leaky (continuous-time) RNN cell.
 *
 * rate order (default): `h' = (1 − α) h + α f(x W_in + h W_rec + b + ξ/α)`
 * current order:        `h' = f((1 − α) h + α (x W_in + h W_rec + b) + ξ)`
 *
 * with `α = dt / tau` and recurrent noise `ξ = sqrt(2α) σ_rec N(0, 1)` (NeuroGym/Yang convention in
 * the current order; in both orders it enters as `sqrt(2/α) σ_rec N(0,1)` added to the input drive,
 * which is what lets the fused kernel take it). Shapes: x `[B, nIn]`, h `[B, H]`.
 *
 * Under Dale's law W_rec is used as `|W_rec| · diag(sign)` (row = presynaptic unit) and W_in as
 * `|W_in|`; masks multiply the effective weights; `autapses: false` zeroes the diagonal.
 * PyTorch's `nn.Linear` weights are `[out, in]`: `wIn = input2h.weight.T`, `wRec = h2h.weight.T`,
 * `b = input2h.bias + h2h.bias`.
 *
 * @example
 * const cell = leakyRNN({ nIn: 3, nHidden: 128, tauMs: 100, dtMs: 20 }); // S3, alpha = 0.2
 */
export function leakyRNN(options: LeakyRNNOptions): LeakyRNNCell {
  return leakyRNNFromConfig("leakyRNN", leakyRNNConfig("leakyRNN", options));
}

/** Builds the cell from a resolved config (the vanilla RNN reuses it under its own name). */
export function leakyRNNFromConfig(name: string, config: LeakyRNNConfig): LeakyRNNCell {
  const { nIn, nHidden: H, alpha, activation, order, sigmaRec } = config;
  const signs = config.excitatoryFraction === undefined ? undefined : daleSigns(H, config.excitatoryFraction);
  const recMask = connectivityMask(H, H, config.recurrentMask, config.autapses);
  const inMask = connectivityMask(nIn, H, config.inputMask);
  const f = activationFns[activation];
  const noiseScale = Math.sqrt(2 / alpha) * sigmaRec;

  const effectiveWeights = (p: LeakyRNNParams) => {
    let wRec = signs ? signConstrained(p.wRec, signs) : p.wRec;
    let wIn = signs ? signConstrained(p.wIn, Array<number>(nIn).fill(1)) : p.wIn;
    if (recMask) wRec = mul(wRec, recMask);
    if (inMask) wIn = mul(wIn, inMask);
    return { wIn, wRec };
  };
  const noise = (rng: Rng | undefined, shape: readonly number[]) =>
    rng && noiseScale > 0 ? mul(randomNormal(rng, shape), noiseScale) : undefined;
  const h0Of = (p: LeakyRNNParams, B: number) =>
    p.h0 ? broadcastTo(p.h0, [B, H]) : zeros([B, H], p.wRec.dtype);

  return {
    name,
    config,
    nIn,
    nOut: H,
    signs,
    effectiveWeights,
    init(rng) {
      const ctx = { where: name, fanIn: nIn };
      const wIn = initWeight(rng, [nIn, H], config.inputInit, { ...ctx, option: "inputInit" });
      const wRec = initWeight(rng, [H, H], config.recurrentInit, {
        where: name,
        option: "recurrentInit",
        fanIn: H,
        ...(signs ? { signs } : {}),
      });
      const b =
        config.biasInit === "zeros"
          ? zeros([H])
          : add(
              initWeight(rng, [H], "pytorch", { ...ctx, option: "biasInit" }),
              initWeight(rng, [H], "pytorch", { where: name, option: "biasInit", fanIn: H }),
            );
      return config.trainableH0 ? { wIn, wRec, b, h0: zeros([H]) } : { wIn, wRec, b };
    },
    initialState(params, B) {
      return { h: h0Of(params, B) };
    },
    step(params, state, x, ctx = {}) {
      const { wIn, wRec } = effectiveWeights(params);
      const eta = noise(ctx.rng, state.h.shape);
      const drive = add(dense(x, wIn), params.b);
      const current = add(dense(state.h, wRec), eta ? add(drive, eta) : drive);
      const h =
        order === "rate"
          ? add(mul(state.h, 1 - alpha), mul(f(current), alpha))
          : f(add(mul(state.h, 1 - alpha), mul(current, alpha)));
      return { state: { h }, output: h };
    },
    sequence(
      params: LeakyRNNParams,
      xs: Tensor,
      options: RunOptions<LeakyRNNState>,
    ): RunResult<LeakyRNNState> {
      const [T, B] = xs.shape as [number, number];
      const { wIn, wRec } = effectiveWeights(params);
      const noiseDrive =
        options.rng && noiseScale > 0
          ? stack(stepStreams(options.rng, T).map((s) => noise(s.clone(), [B, H]) as Tensor))
          : undefined;
      const h0 = options.state0?.h ?? params.h0 ?? zeros([B, H], params.wRec.dtype);
      // The input projection runs inside the fused recurrence call.
      const { hs } = rnnLayer(xs, { wIn, b: params.b, wRec }, h0, {
        alpha,
        activation,
        order,
        ...(noiseDrive ? { drive: noiseDrive } : {}),
      });
      const h = reshape(sliceAxis(hs, 0, T - 1, T), [B, H]);
      const record = checkRecord(name, { h }, options.record ?? []);
      return { final: { h }, outputs: hs, traces: record.length > 0 ? { h: hs } : {} };
    },
  };
}
