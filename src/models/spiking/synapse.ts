/** The current-based exponential synapse: all-to-all weights into a decaying conductance. */
import { type Tensor, add, mul, zeros } from "../../core/index.ts";
import type { Cell } from "../cell.ts";
import { dense } from "../dense.ts";
import { type InitSpec, initWeight } from "../init/spec.ts";
import { positive, positiveInt } from "../validate.ts";

/** Options of {@link expSynapse}. */
export interface ExpSynapseOptions {
  readonly nPre: number;
  readonly nPost: number;
  readonly dtMs: number;
  /** Decay time constant (ms, default 10). */
  readonly tauMs?: number;
  /** Weight initialiser (default BrainPy's `KaimingNormal(scale=2)`, truncated). */
  readonly init?: InitSpec;
}

/** Resolved config. */
export type ExpSynapseConfig = Required<ExpSynapseOptions>;

/** Parameters: the weights `w` `[nPre, nPost]` (BrainPy's `g_max`, same layout). */
export type ExpSynapseParams = { readonly w: Tensor };

/**
 * `dg/dt = −g / τ + Σ_k w δ(t − t_k)`, stepped exactly (BrainPy's `Exponential` with CUBA output):
 * ```
 * g' = g e^{−dt/τ} + s W
 * ```
 * Input: presynaptic spikes s `[B, nPre]`; output: the current I = g' `[B, nPost]`.
 * @example const i2r = expSynapse({ nPre: 100, nPost: 10, dtMs: 0.1, tauMs: 10 });
 */
export function expSynapse(
  options: ExpSynapseOptions,
): Cell<ExpSynapseParams, { readonly g: Tensor }, ExpSynapseConfig> {
  const where = "expSynapse";
  const config: ExpSynapseConfig = {
    nPre: positiveInt(where, "nPre", options.nPre),
    nPost: positiveInt(where, "nPost", options.nPost),
    dtMs: positive(where, "dtMs", options.dtMs),
    tauMs: positive(where, "tauMs", options.tauMs ?? 10),
    init: options.init ?? { name: "kaimingNormalTruncated", scale: 2 },
  };
  const decay = Math.exp(-config.dtMs / config.tauMs);
  return {
    name: where,
    config,
    nIn: config.nPre,
    nOut: config.nPost,
    init: (rng) => ({
      w: initWeight(rng, [config.nPre, config.nPost], config.init, { where, option: "init" }),
    }),
    initialState: (p, B) => ({ g: zeros([B, config.nPost], p.w.dtype) }),
    step(p, { g }, s) {
      const next = add(mul(g, decay), dense(s, p.w));
      return { state: { g: next }, output: next };
    },
  };
}
