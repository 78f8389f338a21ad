/**
 * A fit config's simulated target draws its own noise: by default the stream named "target" under
 * `simulation.seed`, never the fit's own (the root stream of `simulation.seed`), so the fit at the
 * true parameters does not reproduce the target; an explicit `target.seed` names the target's noise
 * alone.
 */
import { describe, expect, it } from "vitest";
import { type FitConfig, prepareFit, targetNoise } from "../../src/app/fit/fitRun.ts";
import {
  Fitter,
  Rng,
  type Tensor,
  fcRmse,
  functionalConnectivity,
  massNetwork,
  networkProblem,
  objective,
  ringConnectome,
  scalar,
} from "../../src/index.ts";
import { ringFitBase } from "../sweep/fitBase.ts";

const window = { steps: 600, every: 4, discard: 10 };
const truth = { gain: 0.3 };
const base = ringFitBase(1) as unknown as FitConfig;

/** The sweep tests' 4-node ring fit, its gain started at the truth, from the FC of a simulation at the truth. */
const config = (simulationSeed: number, targetSeed?: number): FitConfig => ({
  ...base,
  target: { simulate: truth, ...(targetSeed === undefined ? {} : { seed: targetSeed }) },
  simulation: { ...window, seed: simulationSeed },
  parameters: { gain: { init: truth.gain, bounds: [0.01, 1] } },
});

/** The same ring, built by hand. */
const ring = () => {
  const { connectome: _, ...network } = base.network;
  return massNetwork({ ...network, connectome: ringConnectome(4, { spacingMm: 20 }) });
};

/** The same ring's signal `[T, 4]`, simulated by hand at the truth with the given noise. */
function signalByHand(noise: { seed: number } | { rng: Rng }): Tensor {
  const problem = networkProblem(ring(), {
    ...window,
    ...noise,
    parameters: truth,
    objective: objective("signal", (s) => s),
  });
  return problem.simulate({ gain: scalar(truth.gain, "float64") });
}
const fcByHand = (noise: { seed: number } | { rng: Rng }) => functionalConnectivity(signalByHand(noise));

const maxAbsDiff = (a: Tensor, b: Tensor) =>
  Math.max(...a.data.map((v, i) => Math.abs(v - (b.data[i] as number))));

describe("a fit config's simulated target", () => {
  it("draws by default the noise named target under simulation.seed, not the fit's: the fit at the truth does not reproduce it", () => {
    const prepared = prepareFit(config(5), ".");
    const target = prepared.target();
    expect(maxAbsDiff(target, fcByHand({ rng: Rng.fromSeed(5).fold("target") }))).toBe(0);
    // The fit's simulations draw the root stream of simulation.seed: at the truth they give this FC.
    const twin = signalByHand({ seed: 5 });
    expect(maxAbsDiff(target, functionalConnectivity(twin))).toBeGreaterThan(0.05);
    const atTruth = new Fitter(prepared.problem(fcRmse(target))).evaluate(truth);
    expect(atTruth).toBe(fcRmse(target).loss(twin).data[0]);
    expect(atTruth).toBeGreaterThan(0.01);
    // Were the two streams one, the loss at the truth would be exactly 0.
    expect(new Fitter(prepared.problem(fcRmse(functionalConnectivity(twin)))).evaluate(truth)).toBe(0);
  });

  it("honours an explicit target.seed: the target's noise is its stream alone, whatever simulation.seed", () => {
    const target = prepareFit(config(5, 7), ".").target();
    expect(maxAbsDiff(target, fcByHand({ rng: Rng.fromSeed(7).fold("target") }))).toBe(0);
    expect(maxAbsDiff(target, prepareFit(config(9, 7), ".").target())).toBe(0);
    // The default of simulation.seed 7 is target.seed 7; another target.seed is another realization.
    expect(maxAbsDiff(target, prepareFit(config(7), ".").target())).toBe(0);
    expect(maxAbsDiff(target, prepareFit(config(5, 8), ".").target())).toBeGreaterThan(0.05);
    // Equal seeds still keep the target's noise apart from the fit's.
    expect(maxAbsDiff(prepareFit(config(5, 5), ".").target(), fcByHand({ seed: 5 }))).toBeGreaterThan(0.05);
    const first = (rng: Rng) => [rng.nextUint32(), rng.nextUint32()];
    expect(first(targetNoise(config(5, 7)))).toEqual(first(Rng.fromSeed(7).fold("target")));
  });

  it("networkProblem refuses a seed and a noise stream together", () => {
    expect(() =>
      networkProblem(ring(), {
        ...window,
        seed: 1,
        rng: Rng.fromSeed(1),
        parameters: truth,
        objective: fcRmse(fcByHand({ seed: 1 })),
      }),
    ).toThrow("networkProblem: give seed or rng (the noise), not both; got seed 1 and an rng");
  });
});
