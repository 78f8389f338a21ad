/**
 * The kernel backend contract: the few hot loops the core calls, as plain arrays and numbers.
 *
 * Every backend (plain TypeScript, WASM SIMD, WASM SIMD on worker threads) implements the same
 * equations and is tested against the same float64 references. All matrices are row-major
 * single precision; shapes are written `[rows, cols]`.
 */

import type {
  SpikingChainConstants,
  SpikingChainForward,
  SpikingChainOutput,
  SpikingChainShape,
} from "./js/spiking.ts";
import type { Numerics } from "./numerics.ts";

/** Pointwise nonlinearity of the fused recurrence. `softplus(x) = log(1 + e^x)`. */
export type Activation = "relu" | "tanh" | "sigmoid" | "identity" | "softplus";

/** The operations of {@link KernelBackend.binaryArray}, in the order the WASM kernels number them. */
export const ARITHMETIC_OPS = ["add", "sub", "mul", "div"] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];

/** The activations {@link KernelBackend.activateArray} applies to whole arrays. */
export type ArrayActivation = Extract<Activation, "tanh" | "sigmoid">;

/** The activations, in the order the WASM kernels number them. */
export const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "identity", "softplus"];

/**
 * Where the leak sits in a leaky (continuous-time) RNN update.
 * - `"rate"`: the rate leaks, `h_t = (1 - alpha) h_{t-1} + alpha f(h_{t-1} W + d_t)`.
 * - `"current"`: the input current leaks, `h_t = f((1 - alpha) h_{t-1} + alpha (h_{t-1} W + d_t))`.
 */
export type UpdateOrder = "rate" | "current";

/** The update orders, in the order the WASM kernels number them. */
export const UPDATE_ORDERS: readonly UpdateOrder[] = ["rate", "current"];

/**
 * An input projection folded into the recurrence's drive: `d_t ← d_t + x_t W_in + b`. Folding it
 * keeps the `[T, B, H]` drive and its gradient inside the kernel call.
 */
export interface RecurrenceInput {
  /** Input features (≥ 1). */
  readonly I: number;
  /** `[T, B, I]` */
  readonly x: Float32Array;
  /** `[I, H]`, layout `[in, out]`. */
  readonly wIn: Float32Array;
  /** `[H]` */
  readonly b: Float32Array;
}

/** A linear readout applied to every state inside the call: `y_t = h_t W_out + b_out`. */
export interface RecurrenceReadout {
  /** Outputs (≥ 1). */
  readonly O: number;
  /** `[H, O]`, layout `[in, out]`. */
  readonly wOut: Float32Array;
  /** `[O]` */
  readonly bOut: Float32Array;
}

/**
 * Whether BPTT can take `f'(pre_t)` from the states alone: `h_t = f(pre_t)` in the current order,
 * and in the rate order when alpha is 1. Not for softplus, whose `f'` from `f` loses precision.
 * Then the forward keeps no pre-activations.
 */
export function derivativeFromStates(a: {
  readonly alpha: number;
  readonly activation: Activation;
  readonly order: UpdateOrder;
}): boolean {
  return a.activation !== "softplus" && (a.order === "current" || a.alpha === 1);
}

/** Inputs of {@link KernelBackend.recurrenceForward}. */
export interface RecurrenceForwardArgs {
  /** Number of time steps (≥ 1). */
  readonly T: number;
  /** Batch size (≥ 1). */
  readonly B: number;
  /** Hidden units (≥ 1). */
  readonly H: number;
  /**
   * `[T, B, H]`: an additive drive for every step (noise, or a projection computed elsewhere), or
   * `null` for none. The total drive is `d_t = drive_t + x_t W_in + b` with an {@link input}.
   */
  readonly drive: Float32Array | null;
  /** `[H, H]`, layout `[in, out]`: the recurrent product is `h @ wRec`. */
  readonly wRec: Float32Array;
  /** `[B, H]`: the initial state `h_{-1}`. */
  readonly h0: Float32Array;
  /** Leak `alpha = dt / tau` in `(0, 1]`; `1` gives the vanilla RNN `h_t = f(h_{t-1} W + d_t)`. */
  readonly alpha: number;
  readonly activation: Activation;
  readonly order: UpdateOrder;
  /** The input projection, when folded in. */
  readonly input?: RecurrenceInput;
  /** The readout, when folded in. */
  readonly readout?: RecurrenceReadout;
  /**
   * `[T, B, H]`: an array the forward may write the pre-activations into, making it the result's
   * `pre`, instead of a new one (a browser pays dearly for fresh arrays of this size; see
   * BENCHMARKS.md). The caller must not read it otherwise; a backend may ignore it.
   */
  readonly preInto?: Float32Array;
  /**
   * `[T, B, H]`: an array the forward may write the states into, making it the result's `hs`,
   * instead of a new one (as {@link preInto}). The caller must not read it otherwise; a backend may
   * ignore it.
   */
  readonly hsInto?: Float32Array;
  /**
   * Outputs read by nobody but this call's {@link KernelBackend.recurrenceBackward}, once: the
   * pre-activations, the states when no caller receives them. A backend that keeps them where its
   * backward finds them may fill these result arrays only if it gives that place up before the
   * backward ran (their contents are unspecified afterwards); it may ignore this.
   */
  readonly backwardOnly?: { readonly hs: boolean; readonly pre: boolean };
}

/** Outputs of {@link KernelBackend.recurrenceForward}. */
export interface RecurrenceForwardResult {
  /** `[T, B, H]`: the states `h_0 … h_{T-1}`. */
  readonly hs: Float32Array;
  /**
   * `[T, B, H]`: the pre-activations `pre_t`, the argument of `f` in the update (see
   * {@link UpdateOrder}); empty when `derivativeFromStates` holds, as the states then suffice.
   */
  readonly pre: Float32Array;
  /** `[T, B, O]`: the readout `y_t`, or `null` without a {@link RecurrenceReadout}. */
  readonly ys: Float32Array | null;
}

/**
 * Inputs of {@link KernelBackend.recurrenceBackward}: the forward's inputs and outputs plus the
 * cotangents of its outputs (`null` where an output receives none; at least one must be given).
 */
export interface RecurrenceBackwardArgs extends RecurrenceForwardArgs, Omit<RecurrenceForwardResult, "ys"> {
  /** `[T, B, H]`: `dL/dh_t` from everything downstream of `h_t` except `h_{t+1}` and the readout. */
  readonly dHs: Float32Array | null;
  /** `[T, B, O]`: `dL/dy_t` (readout only). */
  readonly dYs?: Float32Array | null;
  /**
   * Skip the `[T, B, H]` drive gradient, the `[T, B, I]` input gradient or the `[B, H]` initial
   * state's gradient when nothing needs them (a backend may still return `dh0`).
   */
  readonly skip?: { readonly dDrive?: boolean; readonly dX?: boolean; readonly dh0?: boolean };
}

/** Gradients returned by {@link KernelBackend.recurrenceBackward}. */
export interface RecurrenceBackwardResult {
  /** `[T, B, H]`: `dL/d drive_t`; `null` without a drive or when skipped. */
  readonly dDrive: Float32Array | null;
  /** `[H, H]`: `dL/d wRec = Σ_t h_{t-1}ᵀ dL/dd_t`. */
  readonly dWRec: Float32Array;
  /** `[B, H]`: `dL/d h0`; `null` when skipped. */
  readonly dh0: Float32Array | null;
  /** With an input: `dX` `[T, B, I]` (`null` when skipped), `dWIn` `[I, H]`, `dB` `[H]`. */
  readonly input: {
    readonly dX: Float32Array | null;
    readonly dWIn: Float32Array;
    readonly dB: Float32Array;
  } | null;
  /** With a readout: `dWOut` `[H, O]`, `dBOut` `[O]`. */
  readonly readout: { readonly dWOut: Float32Array; readonly dBOut: Float32Array } | null;
}

/**
 * The gated cells in PyTorch's conventions (`torch.nn.GRU`, `torch.nn.LSTM`): stacked gate weights
 * `wIh` `[I, G·H]`, `wHh` `[H, G·H]`, biases `bIh`, `bHh` `[G·H]`, gate blocks in PyTorch's order.
 *
 * GRU (G = 3, gates r, z, n):
 * ```
 * gi = x_t W_ih + b_ih,  gh = h W_hh + b_hh
 * r = σ(gi_r + gh_r),  z = σ(gi_z + gh_z),  n = tanh(gi_n + r ⊙ gh_n)
 * h' = (1 − z) ⊙ n + z ⊙ h
 * ```
 * LSTM (G = 4, gates i, f, g, o):
 * ```
 * a = x_t W_ih + b_ih + h W_hh + b_hh,  i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g)
 * c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
 * ```
 */
export type GatedCell = "gru" | "lstm";

/** Gate blocks per cell. */
export const GATES: Readonly<Record<GatedCell, number>> = { gru: 3, lstm: 4 };

/** Inputs of {@link KernelBackend.gatedForward}, over an array type `A` (float64 in the reference's checks). */
export interface GatedForwardArgs<A = Float32Array> {
  readonly cell: GatedCell;
  /** Time steps, batch, inputs, hidden units (each ≥ 1). */
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  /** `[T, B, I]` */
  readonly x: A;
  /** `[I, G·H]`, layout `[in, out]` (PyTorch's `weight_ih_l0` transposed). */
  readonly wIh: A;
  /** `[H, G·H]` */
  readonly wHh: A;
  /** `[G·H]` */
  readonly bIh: A;
  /** `[G·H]` */
  readonly bHh: A;
  /** `[B, H]`: the initial hidden state. */
  readonly h0: A;
  /** `[B, H]`: the initial cell state (LSTM; `null` for the GRU). */
  readonly c0: A | null;
  /**
   * `[T, B, 4H]`: an array the forward may write the gates into, making it the result's `gates`,
   * instead of a new one (see `preInto` of {@link RecurrenceForwardArgs}). The caller must not
   * read it otherwise; a backend may ignore it.
   */
  readonly gatesInto?: A;
  /**
   * `[T, B, H]` each: arrays the forward may write the states `hs` and (LSTM) `cs` into, making
   * them the result's, instead of new ones (as {@link gatesInto}). The caller must not read them
   * otherwise; a backend may ignore them.
   */
  readonly hsInto?: A;
  readonly csInto?: A;
  /**
   * Outputs read by nobody but this call's {@link KernelBackend.gatedBackward}, once: the gates,
   * the states (`hs`, `cs`) when no caller receives them. A backend that keeps them where its
   * backward finds them may fill these result arrays only if it gives that place up before the
   * backward ran (their contents are unspecified afterwards); it may ignore this.
   */
  readonly backwardOnly?: { readonly states: boolean; readonly gates: boolean };
  /**
   * A linear readout after the states, `y_t = h_t W_out (+ b_out)`, which a backend may compute
   * at every step inside the layer (the result's `ys`) or ignore (no `ys`). Its floats are those
   * of `gemm`'s product `hs W_out` with the bias then added; a backend computes it only for
   * O < 8 (where that product takes the thin GEMM's dot products).
   */
  readonly readout?: GatedReadoutArgs;
}

/** A readout a gated layer may fold in (see {@link GatedForwardArgs.readout}). */
export interface GatedReadoutArgs {
  readonly O: number;
  /** `[H, O]` */
  readonly wOut: Float32Array;
  /** `[O]`, or null for none. */
  readonly bOut: Float32Array | null;
  /** `[T, B, O]`: an array the forward may write `ys` into, making it the result's. */
  readonly ysInto?: Float32Array;
}

/** Outputs of {@link KernelBackend.gatedForward}. */
export interface GatedForwardResult<A = Float32Array> {
  /** `[T, B, H]`: `h_0 … h_{T-1}`. */
  readonly hs: A;
  /** `[T, B, H]`: the cell states `c_0 … c_{T-1}` (LSTM; `null` for the GRU). */
  readonly cs: A | null;
  /**
   * `[T, B, 4H]`, what BPTT reads besides the states: per row `[r, z, n, gh_n]` (GRU) or
   * `[i, f, g, o]` after their nonlinearities (LSTM).
   */
  readonly gates: A;
  /** `[T, B, O]`: the readout at every step, when the backend computed it (see `readout`). */
  readonly ys?: A | null;
}

/** Inputs of {@link KernelBackend.gatedBackward}: the forward's inputs and outputs and the cotangents. */
export interface GatedBackwardArgs<A = Float32Array> extends GatedForwardArgs<A>, GatedForwardResult<A> {
  /** `[T, B, H]`: `dL/dh_t` from outside the recurrence, or `null` for none. */
  readonly dHs: A | null;
  /** `[T, B, H]`: `dL/dc_t` from outside (LSTM), or `null` for none. */
  readonly dCs: A | null;
  /**
   * `[T, B, O]`: the cotangent of the `ys` this backend's forward computed (`dHs` then null): the
   * states' cotangent is `dYs W_outᵀ`, each float as `gemm` forms that product.
   */
  readonly dYs?: A | null;
  /** Skip the `[T, B, I]` input gradient when nothing needs it. */
  readonly skipDx?: boolean;
}

/** Gradients returned by {@link KernelBackend.gatedBackward}, shaped as the inputs. */
export interface GatedBackwardResult<A = Float32Array> {
  readonly dX: A | null;
  readonly dWIh: A;
  readonly dWHh: A;
  readonly dBIh: A;
  readonly dBHh: A;
  readonly dh0: A;
  /** LSTM only. */
  readonly dc0: A | null;
}

/**
 * Inputs of {@link KernelBackend.hornForward}: one HORN layer (harmonic oscillators driven through
 * tanh, symplectic Euler with step `dt`) over T steps. With position `x`, velocity `y` and input
 * `u_t`, per unit:
 * ```
 * I  = u_t W_ih + b_ih + gain (y W_hh + b_hh) + v ⊙ x
 * y' = y + dt (α ⊙ tanh(I) − ω² ⊙ x − 2γ ⊙ y)
 * x' = x + dt y'
 * ```
 */
export interface HornForwardArgs<A = Float32Array> {
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  /** `[T, B, I]`: the inputs `u_t`. */
  readonly u: A;
  /** `[I, H]`, `[H]`, `[H, H]`, `[H]`. */
  readonly wIh: A;
  readonly bIh: A;
  readonly wHh: A;
  readonly bHh: A;
  /** The recurrent gain and the integration step. */
  readonly gain: number;
  readonly dt: number;
  /** Per-unit constants `[H]`: excitability, natural frequency, damping, amplitude feedback. */
  readonly alpha: A;
  readonly omega: A;
  readonly gamma: A;
  readonly v: A;
  /** `[B, H]`: initial position and velocity. */
  readonly x0: A;
  readonly y0: A;
  /**
   * `[T, B, H]`: an array the forward may write `drive` into, making it the result's `drive`,
   * instead of a new one (as `gatesInto` of {@link GatedForwardArgs}). The caller must not read it
   * otherwise; a backend may ignore it.
   */
  readonly driveInto?: A;
  /** `[T, B, H]`: arrays the forward may write `xs` and `ys` into, as `driveInto`. */
  readonly xsInto?: A;
  readonly ysInto?: A;
  /**
   * The caller reads the last step alone (a classifier): `xs`, `ys` and `drive` are read by the
   * backward only (handed back to it), so a backend may leave them in its own memory until then
   * (as `backwardOnly` of {@link GatedForwardArgs}); the result's `xLast`, `yLast` hold the last step.
   */
  readonly final?: boolean;
  /** `[B, H]` each: arrays a `final` forward may write `xLast` and `yLast` into, as `driveInto`. */
  readonly xLastInto?: A;
  readonly yLastInto?: A;
}

/** Outputs of {@link KernelBackend.hornForward}, each `[T, B, H]`. */
export interface HornForwardResult<A = Float32Array> {
  /** Positions `x_0 … x_{T-1}` (after each step). */
  readonly xs: A;
  /** Velocities `y_0 … y_{T-1}`. */
  readonly ys: A;
  /** `tanh(I_t)`, kept for BPTT. */
  readonly drive: A;
  /** With `final`: the last step's position and velocity `x_{T-1}`, `y_{T-1}`, `[B, H]` each. */
  readonly xLast?: A;
  readonly yLast?: A;
}

/** Inputs of {@link KernelBackend.hornBackward}. */
export interface HornBackwardArgs<A = Float32Array> extends HornForwardArgs<A>, HornForwardResult<A> {
  /** `[T, B, H]`: `dL/dx_t` and `dL/dy_t` from outside, or `null` for none. */
  readonly dXs: A | null;
  readonly dYs: A | null;
  /**
   * `[B, H]`: `dL/dx_{T-1}` and `dL/dy_{T-1}` of the last step alone (a `final` forward's caller),
   * added as a `dXs`, `dYs` of zeros but for this last step would be; absent or `null` for none.
   */
  readonly dXLast?: A | null;
  readonly dYLast?: A | null;
  /** Skip the `[T, B, I]` input gradient when nothing needs it. */
  readonly skipDu?: boolean;
  /** A backend may skip (return null for) the constants' gradients when nothing needs them. */
  readonly skipDConstants?: boolean;
  /** A backend may skip (return null for) dx0 and dy0 when nothing needs them. */
  readonly skipDState0?: boolean;
}

/** Gradients returned by {@link KernelBackend.hornBackward}, shaped as the inputs. */
export interface HornBackwardResult<A = Float32Array> {
  readonly dU: A | null;
  readonly dWIh: A;
  readonly dBIh: A;
  readonly dWHh: A;
  readonly dBHh: A;
  readonly dAlpha: A | null;
  readonly dOmega: A | null;
  readonly dGamma: A | null;
  readonly dV: A | null;
  readonly dx0: A | null;
  readonly dy0: A | null;
}

/**
 * Inputs of {@link KernelBackend.adamUpdate}: one flat parameter array and its optimizer state,
 * all the same length, updated in place. With `g` the gradient and `s = step`:
 *
 * ```
 * m ← beta1 m + (1 - beta1) g
 * v ← beta2 v + (1 - beta2) g²
 * p ← p (1 - lr weightDecay) - lr (m / (1 - beta1^s)) / (sqrt(v / (1 - beta2^s)) + eps)
 * ```
 *
 * which is PyTorch's `Adam` (weightDecay 0) and `AdamW` (decoupled decay). L2 regularisation in
 * the Adam sense belongs in the gradient, where the caller adds it.
 */
export interface AdamArgs {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  /** First-moment estimate, same length as `param`, updated in place. */
  readonly m: Float32Array;
  /** Second-moment estimate, same length as `param`, updated in place. */
  readonly v: Float32Array;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Decoupled (AdamW) weight decay; 0 for plain Adam. */
  readonly weightDecay: number;
  /** 1-based step count, for the bias corrections. */
  readonly step: number;
}

/** The GEMM signature, over an array type `A` (float64 in the reference's own checks). */
export type Gemm<A = Float32Array> = (
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: A,
  B: A,
  beta: number,
  C: A,
) => void;

/**
 * What a backend keeps of arrays' floats in its own memory between calls (the WebAssembly
 * backends: a fused forward's tape, a weight read by many products), found again by the array.
 * The core never reaches a backend's memory itself: it says when keeping is safe and when an
 * array's floats are about to be replaced, through `keepingOperands` and `forgetResident`
 * (kernels/index.ts), which call this.
 */
export interface Residency {
  /**
   * Runs `fn`, during which the backend may keep large GEMM operands between products: code that
   * refills no array it reads (a scan's steps, a reverse pass) and forgets whatever it hands out
   * again. What it kept is forgotten when the outermost call returns.
   */
  keeping<R>(fn: () => R): R;
  /**
   * Forgets any copy of `array`'s floats the backend kept: they are about to be replaced (a call
   * overwrites the array, or a pool hands it out again as another array).
   */
  forget(array: Float32Array): void;
}

/** Row-major single-precision kernels. All arrays are `Float32Array`. */
export interface KernelBackend {
  /** `"js"`, `"wasm"` or `"wasm-mt"`, with `"+fma"` appended when it runs the relaxed-SIMD build. */
  readonly name: string;
  /** Threads the backend computes on (1 unless it runs a worker pool); the numbers do not depend on it. */
  readonly threads: number;
  /** What decides the numbers it computes (see numerics.ts). */
  readonly numerics: Numerics;
  /**
   * What it keeps of arrays between calls, and how it is told what to forget (see
   * {@link Residency}); absent when it keeps nothing (the TypeScript backend), which makes both
   * hooks no-ops.
   */
  readonly residency?: Residency;
  /**
   * `C ← alpha op(A) op(B) + beta C`, with `C` `[M, N]`; `op(A)` is `[M, K]`, stored as `A` `[M, K]`,
   * or as `[K, M]` when `transA`; `op(B)` is `[K, N]`, stored as `[K, N]`, or `[N, K]` when `transB`.
   * With `beta = 0`, `C` is not read (NaN in it does not propagate), as in BLAS.
   */
  readonly gemm: Gemm;
  /**
   * Runs the fused recurrence (see {@link UpdateOrder}) over `T` steps, with its input projection
   * and readout when given.
   */
  recurrenceForward(a: RecurrenceForwardArgs): RecurrenceForwardResult;
  /** Backpropagation through time of {@link KernelBackend.recurrenceForward}. */
  recurrenceBackward(a: RecurrenceBackwardArgs): RecurrenceBackwardResult;
  /** A GRU or LSTM layer over T steps in one call (see {@link GatedCell}). */
  gatedForward(a: GatedForwardArgs): GatedForwardResult;
  /** Backpropagation through time of {@link KernelBackend.gatedForward}. */
  gatedBackward(a: GatedBackwardArgs): GatedBackwardResult;
  /** A HORN layer over T steps in one call (see {@link HornForwardArgs}). */
  hornForward(a: HornForwardArgs): HornForwardResult;
  /** Backpropagation through time of {@link KernelBackend.hornForward}. */
  hornBackward(a: HornBackwardArgs): HornBackwardResult;
  /** One Adam/AdamW step in place (see {@link AdamArgs}). */
  adamUpdate(a: AdamArgs): void;
  /**
   * `out ← f(x)` elementwise for f = tanh or the logistic sigmoid `1 / (1 + e^{-x})`: the float32
   * `tanh` and `sigmoid` primitives. The WebAssembly backends compute them with the fused kernels'
   * vector maths (a few ulp from the exact value), the TypeScript one rounds the float64 value.
   * `x` and `out` may be the same array.
   */
  activateArray(kind: ArrayActivation, x: Float32Array, out: Float32Array): void;
  /**
   * `out ← a op b` elementwise, with `b` repeating along `a` (`b.length` divides `a.length`: equal
   * lengths, or a row such as a bias applied to every row). Each element is one IEEE float32
   * operation, so every backend gives the same bits. `out` may be `a`.
   */
  binaryArray(op: ArithmeticOp, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /**
   * The fused spiking chain (synapse → LIF → synapse → leaky readout) over T steps, with the input
   * projection event-driven; equations in `js/spiking.ts`. x `[T, B, nIn]`, W₁ `[nIn, N]`, W₂ `[N, O]`.
   * Returns `output`: the readout `[T, B, O]`, its maximum over time `[B, O]`, or the hidden spikes
   * and potentials `[T, B, N]` (see {@link SpikingChainOutput}).
   */
  spikingChainForward(
    shape: SpikingChainShape,
    constants: SpikingChainConstants,
    x: Float32Array,
    w1: Float32Array,
    w2: Float32Array,
    output: SpikingChainOutput,
  ): SpikingChainForward;
  /**
   * BPTT of {@link KernelBackend.spikingChainForward}: dL/dW₁ and dL/dW₂ from the cotangent of the
   * forward's readout `dOut` (`[T, B, O]`, or `[B, O]` when its `output` was `"uMax"`), dL/ds and dL/dV
   * (each may be null). It takes the forward's operands and its `tape` handle: where the backend
   * still keeps that forward's states it reads them, otherwise it runs the forward again.
   */
  spikingChainBackward(
    shape: SpikingChainShape,
    constants: SpikingChainConstants,
    x: Float32Array,
    w1: Float32Array,
    w2: Float32Array,
    output: SpikingChainOutput,
    dOut: Float32Array | null,
    dS: Float32Array | null,
    dV: Float32Array | null,
    tape: object | null,
  ): { dW1: Float32Array; dW2: Float32Array };
}
