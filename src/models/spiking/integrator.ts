/** The leaky-integrator readout neuron: a membrane without spikes. */
import { type Tensor, add, full, mul, sub } from "../../core/index.ts";
import type { Cell } from "../cell.ts";
import { positive, positiveInt } from "../validate.ts";

/** Options of {@link leakyIntegrator}. */
export interface LeakyIntegratorOptions {
  readonly n: number;
  readonly dtMs: number;
  /** Time constant (ms, default 5 as S4c's readout). */
  readonly tauMs?: number;
  readonly vRest?: number;
  /** Resistance R (default 1). */
  readonly r?: number;
}

/** Resolved config. */
export type LeakyIntegratorConfig = Required<LeakyIntegratorOptions>;

/**
 * `tau dV/dt = −(V − V_rest) + R I`, stepped by exponential Euler (BrainPy's `LeakyIntegrator`):
 * ```
 * V' = V_∞ + (V − V_∞) e^{−dt/τ},  V_∞ = V_rest + R I
 * ```
 * Input: current I `[B, n]`; output: V' `[B, n]`. No parameters.
 * @example const out = leakyIntegrator({ n: 2, dtMs: 0.1, tauMs: 5 });
 */
export function leakyIntegrator(
  options: LeakyIntegratorOptions,
): Cell<Record<string, never>, { readonly v: Tensor }, LeakyIntegratorConfig> {
  const where = "leakyIntegrator";
  const config: LeakyIntegratorConfig = {
    n: positiveInt(where, "n", options.n),
    dtMs: positive(where, "dtMs", options.dtMs),
    tauMs: positive(where, "tauMs", options.tauMs ?? 5),
    vRest: options.vRest ?? 0,
    r: options.r ?? 1,
  };
  const decay = Math.exp(-config.dtMs / config.tauMs);
  return {
    name: where,
    config,
    nIn: config.n,
    nOut: config.n,
    init: () => ({}),
    initialState: (_p, B) => ({ v: full([B, config.n], config.vRest) }),
    step(_p, { v }, current) {
      const vInf = add(mul(current, config.r), config.vRest);
      const next = add(vInf, mul(sub(v, vInf), decay));
      return { state: { v: next }, output: next };
    },
  };
}
