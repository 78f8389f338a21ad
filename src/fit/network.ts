/**
 * {@link networkProblem}: a {@link FitProblem} over a {@link MassNetwork} — fitted names go to the
 * model's parameters, the coupling's or the noise amplitude; the fused kernel simulates and its
 * checkpointed adjoint gives the gradients.
 */
import { ValueError } from "../base/errors.ts";
import { Rng } from "../base/random.ts";
import { type Tensor, broadcastTo, cast, reshape, sliceAxis, treeMap } from "../core/index.ts";
import type { MassNetwork, MassParams, MassState } from "../models/mass/network.ts";
import { simulate } from "../models/mass/simulate.ts";
import type { FitProblem } from "./fitter.ts";
import type { Objective } from "./objectives.ts";
import type { FitParameters } from "./parameters.ts";

/** Options of {@link networkProblem}. */
export interface NetworkProblemOptions {
  /**
   * Parameters by name: a model parameter (`"a"` or `"model.a"`), a coupling parameter (`"gain"` or
   * `"coupling.gain"`) or the noise amplitude (`"sigma"` or `"noise.sigma"`). Others keep the network's values.
   */
  readonly parameters: FitParameters;
  readonly objective: Objective;
  /** Simulated steps. */
  readonly steps: number;
  /** Average readouts over windows of this many steps (default 1). */
  readonly every?: number;
  /** Windows dropped from the start before the objective (the transient; default 0). */
  readonly discard?: number;
  /** Noise seed, the same for every evaluation (default 0): the noise stream `Rng.fromSeed(seed)`. */
  readonly seed?: number;
  /**
   * The noise stream instead of a seed (e.g. a named one, `Rng.fromSeed(seed).fold("target")`):
   * every evaluation draws from a copy of it at its current position, so all draw the same noise.
   * Give `seed` or `rng`, not both.
   */
  readonly rng?: Rng;
  /** Checkpoint segment of the backward pass (default about √T). */
  readonly checkpoint?: number;
  readonly state0?: MassState;
  /** `[T, 1, stimulus.length · N]` stimulation. */
  readonly stimulus?: Tensor;
  /** Turns `[T', 1, observe.length · N]` readouts into the objective's signal (default: `[T', observe.length · N]`). */
  readonly signal?: (observed: Tensor) => Tensor;
}

/** Where a fitted name lives in the network's parameters. */
function locate(net: MassNetwork, name: string): { group: "model" | "coupling" | "noise"; key: string } {
  const dot = name.indexOf(".");
  const inModel = (k: string) => k in net.model.parameters;
  const inCoupling = (k: string) => k in net.couplingParameters;
  const inNoise = (k: string) => k === "sigma" && net.dynamics.noise !== null;
  if (dot >= 0) {
    const group = name.slice(0, dot);
    const key = name.slice(dot + 1);
    if (
      (group === "model" && inModel(key)) ||
      (group === "coupling" && inCoupling(key)) ||
      (group === "noise" && inNoise(key))
    ) {
      return { group, key };
    }
  } else if (inModel(name)) return { group: "model", key: name };
  else if (inCoupling(name)) return { group: "coupling", key: name };
  else if (inNoise(name)) return { group: "noise", key: name };
  const known = [
    ...Object.keys(net.model.parameters).map((k) => `model.${k}`),
    ...Object.keys(net.couplingParameters).map((k) => `coupling.${k}`),
    ...(net.dynamics.noise ? ["noise.sigma"] : []),
  ];
  throw new ValueError(`networkProblem: parameter "${name}" is not one of ${known.join(", ")}`);
}

/**
 * A fit problem over a network: `simulate` sets the named parameters (global, one value for every
 * node), runs the fused simulation in float64 with the same noise at every evaluation, drops the
 * transient and hands the readouts to the objective.
 * @example
 * const problem = networkProblem(net, {
 *   parameters: { gain: { init: 0.1, bounds: [0, 1] }, sigma: { init: 0.01, bounds: [0.001, 0.1], transform: "log" } },
 *   objective: fcCorrelation(targetFc), steps: 20_000, every: 10, discard: 200,
 * });
 * const result = new Fitter(problem).fit({ kind: "cmaes", iterations: 30 });
 */
export function networkProblem(net: MassNetwork, options: NetworkProblemOptions): FitProblem {
  const where = "networkProblem";
  const places = Object.keys(options.parameters).map((name) => ({ name, ...locate(net, name) }));
  const every = options.every ?? 1;
  const discard = options.discard ?? 0;
  if (!Number.isInteger(discard) || discard < 0 || discard >= options.steps / every) {
    throw new ValueError(
      `${where}: discard must be an integer in [0, ${options.steps / every}) windows, got ${discard}`,
    );
  }
  if (options.rng !== undefined && options.seed !== undefined) {
    throw new ValueError(
      `${where}: give seed or rng (the noise), not both; got seed ${options.seed} and an rng`,
    );
  }
  const noise = options.rng ?? Rng.fromSeed(options.seed ?? 0);
  const base = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
  return {
    parameters: options.parameters,
    objective: options.objective,
    simulate(theta) {
      const model: Record<string, Tensor> = { ...base.model };
      const coupling: Record<string, Tensor> = { ...(base.coupling ?? {}) };
      let sigma = base.noise?.sigma;
      for (const { name, group, key } of places) {
        const v = theta[name] as Tensor;
        if (group === "model") model[key] = v;
        else if (group === "coupling") coupling[key] = v;
        else sigma = v;
      }
      const params: MassParams = {
        model,
        ...(base.coupling ? { coupling } : {}),
        ...(sigma ? { noise: { sigma: broadcastTo(sigma, []) } } : {}),
      };
      const { observed } = simulate(net, params, {
        steps: options.steps,
        every,
        ...(net.dynamics.noise ? { rng: noise.clone() } : {}),
        ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
        ...(options.state0 ? { state0: options.state0 } : {}),
        ...(options.stimulus ? { stimulus: options.stimulus } : {}),
      });
      const kept = discard > 0 ? sliceAxis(observed, 0, discard) : observed;
      if (options.signal) return options.signal(kept);
      const [T, , C] = kept.shape as [number, number, number];
      return reshape(sliceAxis(kept, 1, 0, 1), [T, C]);
    },
  };
}
