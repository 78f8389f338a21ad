/**
 * The feed-forward spiking classifier of S4c: input spikes → exponential synapse → LIF →
 * exponential synapse → leaky-integrator readout, trained through surrogate gradients on the
 * maximum over time of the readout potential.
 */
import { type Rng, type SpikingChainConstants, type Tensor, spikingChain } from "../../core/index.ts";
import { type Cell, runCell } from "../cell.ts";
import type { InitSpec } from "../init/spec.ts";
import type { SequenceModel } from "../model.ts";
import { type LIFConfig, type LIFOptions, type LIFParams, type LIFState, lif } from "./lif.ts";
import { leakyIntegrator } from "./integrator.ts";
import { type ExpSynapseParams, expSynapse } from "./synapse.ts";

/** Options of {@link spikingClassifier}; defaults are S4c's constants. */
export interface SpikingClassifierOptions {
  readonly nIn: number;
  readonly nHidden: number;
  readonly nOut: number;
  /** Step (ms, default 0.1). */
  readonly dtMs?: number;
  /** Synaptic decay of both projections (ms, default 10). */
  readonly tauSynMs?: number;
  /** Readout time constant (ms, default 5). */
  readonly tauOutMs?: number;
  /** The hidden LIF population's options (default tau 10 ms, V_rest 0, V_reset 0, V_th 1). */
  readonly lif?: Omit<LIFOptions, "n" | "dtMs">;
  /**
   * Weight initialiser of both projections (default Kaiming normal, truncated, scale 20: the value
   * BrainPy's reproduction of this task uses; scale 2 leaves the hidden layer silent at 5 Hz input).
   */
  readonly init?: InitSpec;
  /** Checkpoint segment for BPTT (default 250 steps: T = 2000 keeps 8 segments). */
  readonly checkpoint?: number;
}

/** Parameters: the two projections' weights and the LIF's trainable constants (if any). */
export type SpikingClassifierParams = {
  readonly i2r: ExpSynapseParams;
  readonly lif: LIFParams;
  readonly r2o: ExpSynapseParams;
};

/** State: the two conductances, the LIF state and the readout potential. */
export type SpikingClassifierState = {
  readonly i2r: { readonly g: Tensor };
  readonly lif: LIFState;
  readonly r2o: { readonly g: Tensor };
  readonly out: { readonly v: Tensor };
};

/** The network step as a cell, plus the sequence model that runs it. */
export type SpikingClassifier = SequenceModel<SpikingClassifierParams, SpikingClassifierOptions> & {
  readonly cell: Cell<SpikingClassifierParams, SpikingClassifierState, SpikingClassifierOptions> & {
    readonly lifConfig: LIFConfig;
  };
};

/** State paths the fused kernel can record. */
const FUSED_RECORDS = ["lif.spike", "lif.v", "out.v"];

/** The fused kernel covers a LIF with fixed tau and threshold, no refractory period and no adaptation. */
function fusable(c: LIFConfig, record: readonly string[]): boolean {
  return (
    !c.trainableTau &&
    !c.trainableThreshold &&
    c.refractoryMs === 0 &&
    c.adaptation === undefined &&
    record.every((r) => FUSED_RECORDS.includes(r))
  );
}

/** @internal the chain's constants: both LIF integrators are affine, `v₁ = cv V + ci I + c0`. */
export function chainConstants(
  c: LIFConfig,
  syn: { readonly dtMs: number; readonly tauMs: number },
  out: { readonly dtMs: number; readonly tauMs: number },
): SpikingChainConstants {
  const decay = c.integrator === "exponential" ? Math.exp(-c.dtMs / c.tauMs) : 1 - c.dtMs / c.tauMs;
  return {
    synDecay: Math.exp(-syn.dtMs / syn.tauMs),
    cv: decay,
    ci: (1 - decay) * c.r,
    c0: (1 - decay) * c.vRest,
    vTh: c.vTh,
    vReset: c.vReset,
    v0: c.vRest,
    reset: c.reset,
    detachReset: c.detachReset,
    outDecay: Math.exp(-out.dtMs / out.tauMs),
    surrogate: c.surrogate.name,
    surrogateScale: c.surrogate.scale,
  };
}

/**
 * The S4c network. One step, in this order (BrainPy's `Sequential(i, i2r, r, r2o, o)`):
 * ```
 * g₁' = g₁ e^{−dt/τ_syn} + s_in W₁                 (i2r: exponential synapse, [B, nIn] → [B, nHidden])
 * s'  = LIF(V, I = g₁')                             (V_∞ = V_rest + R I, exp. Euler, spike, reset)
 * g₂' = g₂ e^{−dt/τ_syn} + s' W₂                   (r2o: exponential synapse, [B, nHidden] → [B, nOut])
 * U'  = g₂' + (U − g₂') e^{−dt/τ_out}              (leaky-integrator readout)
 * ```
 * `outputs` is U `[T, B, nOut]`, `hidden` the LIF spikes `[T, B, nHidden]`; `timeReadout` is `"max"`:
 * the logits are `max_t U_t`, which the fused kernel returns as `reduced` without U. `record` accepts
 * state paths such as `"lif.v"`, `"lif.spike"`, `"i2r.g"`, `"out.v"`. BPTT is checkpointed (see
 * `checkpoint`).
 * @example
 * const net = spikingClassifier({ nIn: 100, nHidden: 10, nOut: 2 }); // S4c
 * const logits = readOverTime(net.apply(params, spikes), "max"); // [B, 2]
 */
export function spikingClassifier(options: SpikingClassifierOptions): SpikingClassifier {
  const dtMs = options.dtMs ?? 0.1;
  const tauMs = options.tauSynMs ?? 10;
  const init = options.init ?? { name: "kaimingNormalTruncated", scale: 20 };
  const i2r = expSynapse({ nPre: options.nIn, nPost: options.nHidden, dtMs, tauMs, init });
  const hidden = lif({ tauMs: 10, vRest: 0, vReset: 0, vTh: 1, ...options.lif, n: options.nHidden, dtMs });
  const r2o = expSynapse({ nPre: options.nHidden, nPost: options.nOut, dtMs, tauMs, init });
  const out = leakyIntegrator({ n: options.nOut, dtMs, tauMs: options.tauOutMs ?? 5 });
  const checkpoint = options.checkpoint ?? 250;
  const config = { ...options, dtMs, tauSynMs: tauMs, tauOutMs: out.config.tauMs, init, checkpoint };

  const cell: SpikingClassifier["cell"] = {
    name: "spikingClassifierStep",
    config,
    lifConfig: hidden.config,
    nIn: options.nIn,
    nOut: options.nOut,
    init(rng: Rng) {
      const [a, b] = rng.split(2) as [Rng, Rng];
      return { i2r: i2r.init(a), lif: hidden.init(rng), r2o: r2o.init(b) };
    },
    initialState: (p, B) => ({
      i2r: i2r.initialState(p.i2r, B),
      lif: hidden.initialState(p.lif, B),
      r2o: r2o.initialState(p.r2o, B),
      out: out.initialState({}, B),
    }),
    step(p, state, spikes) {
      const a = i2r.step(p.i2r, state.i2r, spikes);
      const r = hidden.step(p.lif, state.lif, a.output);
      const b = r2o.step(p.r2o, state.r2o, r.output);
      const o = out.step({}, state.out, b.output);
      return { state: { i2r: a.state, lif: r.state, r2o: b.state, out: o.state }, output: o.output };
    },
  };

  return {
    name: "spikingClassifier",
    config,
    nIn: options.nIn,
    nOut: options.nOut,
    timeReadout: "max",
    cell,
    init: (rng) => cell.init(rng),
    apply(params, xs, applyOptions = {}) {
      const record = applyOptions.record ?? [];
      // The fused kernel computes in float32: float64 runs step by step.
      const float32 = [xs, params.i2r.w, params.r2o.w].every((t) => t.dtype === "float32");
      const constants =
        float32 && fusable(hidden.config, record)
          ? chainConstants(hidden.config, i2r.config, out.config)
          : undefined;
      if (constants && !applyOptions.rng) {
        const chain = spikingChain(xs, params.i2r.w, params.r2o.w, constants);
        // The hidden states cost a second kernel run: read only what is recorded or asked for.
        const traced: Record<string, () => Tensor> = {
          "lif.spike": () => chain.spikes,
          "lif.v": () => chain.v,
          "out.v": () => chain.u,
        };
        return {
          get outputs() {
            return chain.u;
          },
          // The loss's max over time, without U [T, B, nOut] leaving the kernel.
          reduced: {
            mode: "max",
            get value() {
              return chain.uMax;
            },
          },
          get hidden() {
            return chain.spikes;
          },
          traces: Object.fromEntries(record.map((r) => [r, (traced[r] as () => Tensor)()])),
        };
      }
      const run = runCell(cell, params, xs, {
        record: record.includes("lif.spike") ? record : [...record, "lif.spike"],
        checkpoint: applyOptions.checkpoint ?? checkpoint,
        ...(applyOptions.rng ? { rng: applyOptions.rng } : {}),
      });
      const { "lif.spike": spikes, ...rest } = run.traces;
      const traces = record.includes("lif.spike") ? run.traces : rest;
      return { outputs: run.outputs, hidden: spikes as Tensor, traces };
    },
  };
}
