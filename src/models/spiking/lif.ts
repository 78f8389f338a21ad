/**
 * The leaky integrate-and-fire neuron (LIF), with hard or soft reset, a refractory period,
 * trainable tau and threshold, and an adaptive threshold (ALIF).
 */
import {
  type Tensor,
  add,
  div,
  exp,
  full,
  maximum,
  mul,
  neg,
  stopGradient,
  sub,
  tensor,
  where,
  zeros,
} from "../../core/index.ts";
import { ValueError } from "../../base/errors.ts";
import type { Cell } from "../cell.ts";
import { nonNegative, oneOf, positive, positiveInt } from "../validate.ts";
import { type SurrogateName, type SurrogateSpec, resolveSurrogate, spikeFunction } from "./surrogate.ts";

/** Options of {@link lif}. */
export interface LIFOptions {
  /** Number of neurons; the input is their current `[B, n]`. */
  readonly n: number;
  /** Integration step (ms). */
  readonly dtMs: number;
  /** Membrane time constant (ms, default 10). */
  readonly tauMs?: number;
  readonly vRest?: number;
  /** Reset potential (hard reset; default 0). */
  readonly vReset?: number;
  /** Threshold (default 1). */
  readonly vTh?: number;
  /** Membrane resistance R (default 1). */
  readonly r?: number;
  /** `"hard"`: V := V_reset; `"soft"`: V := V − θ (subtract the threshold). Default hard. */
  readonly reset?: "hard" | "soft";
  /** Stop the gradient through the reset's spike (default true, as BrainPy's training mode). */
  readonly detachReset?: boolean;
  /** Refractory period (ms, default 0): V is held for round(refractoryMs / dtMs) steps after a spike. */
  readonly refractoryMs?: number;
  /** `"exponential"` (exact for constant input, BrainPy's `exp_auto`; default) or `"euler"`. */
  readonly integrator?: "exponential" | "euler";
  /** Learn tau per neuron (default false). */
  readonly trainableTau?: boolean;
  /** Learn V_th per neuron (default false). */
  readonly trainableThreshold?: boolean;
  /** ALIF: θ = V_th + β a, with `a' = a·exp(−dt/τ_a) + s` (default: no adaptation). */
  readonly adaptation?: { readonly tauMs: number; readonly beta: number };
  /** Surrogate derivative (default `{ name: "fastSigmoid", scale: 100 }`, BrainPy's LIF default). */
  readonly surrogate?: SurrogateSpec;
}

/** Resolved LIF config. */
export type LIFConfig = Required<Omit<LIFOptions, "adaptation" | "surrogate">> &
  Pick<LIFOptions, "adaptation"> & {
    readonly surrogate: { readonly name: SurrogateName; readonly scale: number };
  };

/** Trainable LIF parameters (empty unless `trainableTau` / `trainableThreshold`). */
export type LIFParams = { readonly tau?: Tensor; readonly vTh?: Tensor };

/** LIF state, all `[B, n]`: potential, last spikes, refractory steps left, adaptation. */
export type LIFState = {
  readonly v: Tensor;
  readonly spike: Tensor;
  readonly refractory?: Tensor;
  readonly a?: Tensor;
};

/** Resolves and checks LIF options. */
export function lifConfig(where: string, o: LIFOptions): LIFConfig {
  const dtMs = positive(where, "dtMs", o.dtMs);
  const tauMs = positive(where, "tauMs", o.tauMs ?? 10);
  const integrator = oneOf(where, "integrator", o.integrator ?? "exponential", [
    "exponential",
    "euler",
  ] as const);
  if (integrator === "euler" && dtMs > tauMs) {
    throw new ValueError(
      `${where}: dtMs must be <= tauMs with the Euler integrator, got dtMs=${dtMs} with tauMs=${tauMs}`,
    );
  }
  if (o.adaptation) {
    positive(where, "adaptation.tauMs", o.adaptation.tauMs);
    nonNegative(where, "adaptation.beta", o.adaptation.beta);
  }
  const num = (name: string, v: number) => {
    if (!Number.isFinite(v)) throw new ValueError(`${where}: ${name} must be a finite number, got ${v}`);
    return v;
  };
  return {
    n: positiveInt(where, "n", o.n),
    dtMs,
    tauMs,
    vRest: num("vRest", o.vRest ?? 0),
    vReset: num("vReset", o.vReset ?? 0),
    vTh: num("vTh", o.vTh ?? 1),
    r: num("r", o.r ?? 1),
    reset: oneOf(where, "reset", o.reset ?? "hard", ["hard", "soft"] as const),
    detachReset: o.detachReset ?? true,
    refractoryMs: nonNegative(where, "refractoryMs", o.refractoryMs ?? 0),
    integrator,
    trainableTau: o.trainableTau ?? false,
    trainableThreshold: o.trainableThreshold ?? false,
    surrogate: resolveSurrogate(where, o.surrogate ?? { name: "fastSigmoid", scale: 100 }),
    ...(o.adaptation ? { adaptation: o.adaptation } : {}),
  };
}

/**
 * A population of LIF neurons, `tau dV/dt = −(V − V_rest) + R I`, one step:
 * ```
 * V₁ = V_∞ + (V − V_∞) e^{−dt/τ},  V_∞ = V_rest + R I      (exponential Euler; Euler: V + dt/τ (V_∞ − V))
 * V₁ = V             where refractory                       (refractory period)
 * θ  = V_th + β a                                           (β = 0 without adaptation)
 * s  = H(V₁ − θ)                                            (Heaviside; surrogate derivative backward)
 * V' = V₁ + (V_reset − V₁) s̄   (hard)   |   V' = V₁ − θ s̄   (soft),   s̄ = stopGradient(s) by default
 * a' = a e^{−dt/τ_a} + s
 * ```
 * The input x is the current I `[B, n]`; the output is s `[B, n]`. Matches BrainPy's `LIF` in
 * training mode (spike where V ≥ V_th, reset with the detached spike).
 * @example const neurons = lif({ n: 10, dtMs: 0.1, tauMs: 10, vTh: 1, vReset: 0 }); // S4c
 */
export function lif(options: LIFOptions): Cell<LIFParams, LIFState, LIFConfig> {
  const config = lifConfig("lif", options);
  const { n, dtMs, vRest, vReset, r, reset, detachReset, integrator, adaptation } = config;
  const spike = spikeFunction(config.surrogate.name, config.surrogate.scale);
  const refractorySteps = Math.round(config.refractoryMs / dtMs);
  const fixedTau = tensor(config.tauMs, []);
  const fixedTh = tensor(config.vTh, []);
  const adaptDecay = adaptation ? Math.exp(-dtMs / adaptation.tauMs) : 0;
  return {
    name: "lif",
    config,
    nIn: n,
    nOut: n,
    init() {
      return {
        ...(config.trainableTau ? { tau: full([n], config.tauMs) } : {}),
        ...(config.trainableThreshold ? { vTh: full([n], config.vTh) } : {}),
      };
    },
    initialState(_p, B) {
      const z = () => zeros([B, n]);
      return {
        v: full([B, n], vRest),
        spike: z(),
        ...(refractorySteps > 0 ? { refractory: z() } : {}),
        ...(adaptation ? { a: z() } : {}),
      };
    },
    step(p, state, current) {
      const tau = p.tau ?? fixedTau;
      const vInf = add(mul(current, r), vRest);
      let v1 =
        integrator === "exponential"
          ? add(vInf, mul(sub(state.v, vInf), exp(neg(div(dtMs, tau)))))
          : add(state.v, mul(sub(vInf, state.v), div(dtMs, tau)));
      if (state.refractory) v1 = where(state.refractory, state.v, v1);
      const theta =
        state.a && adaptation ? add(p.vTh ?? fixedTh, mul(state.a, adaptation.beta)) : (p.vTh ?? fixedTh);
      const s = spike(sub(v1, theta));
      const sReset = detachReset ? stopGradient(s) : s;
      const v = reset === "hard" ? add(v1, mul(sub(vReset, v1), sReset)) : sub(v1, mul(theta, sReset));
      const next: LIFState = {
        v,
        spike: s,
        ...(state.refractory
          ? { refractory: stopGradient(where(s, refractorySteps, maximum(sub(state.refractory, 1), 0))) }
          : {}),
        ...(state.a ? { a: add(mul(state.a, adaptDecay), s) } : {}),
      };
      return { state: next, output: s };
    },
  };
}
