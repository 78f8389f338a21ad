import { describe, expect, it } from "vitest";
import {
  Fitter,
  Rng,
  type Tensor,
  ValueError,
  cmaes,
  fcRmse,
  functionalConnectivity,
  massNetwork,
  mean,
  mul,
  networkProblem,
  objective,
  randomGeometricConnectome,
  scalar,
  spectralPeak,
  sqrt,
  square,
  sub,
} from "../../src/index.ts";

/** (mean |z| − target)² over the last half of a Hopf node's run: the loss is 0 at a = target² (β = 1). */
const amplitudeLoss = (target: number) =>
  objective("amplitude", (s: Tensor) => square(sub(mean(sqrt(mul(mean(mul(s, s), 1), 2))), target)));

const hopfNode = () => massNetwork({ model: "hopf", dt: 0.1, observe: ["x", "y"], initial: { x: 0.3 } });

function hopfProblem(target: number, a: object = { init: 0.5, bounds: [0.01, 1], transform: "log" }) {
  return networkProblem(hopfNode(), {
    parameters: { a: a as never, omega: 0.2 },
    steps: 2000,
    discard: 1000,
    objective: amplitudeLoss(target),
  });
}

describe("Fitter", () => {
  it("gradient backend (BPTT through the fused kernel, Adam) recovers a Hopf node's a from its amplitude √a", () => {
    const r = new Fitter(hopfProblem(0.4)).fit({ kind: "gradient", iterations: 60, lr: 0.1 });
    expect(r.best["a"]).toBeCloseTo(0.16, 3);
    expect(r.best["omega"]).toBe(0.2);
    expect(r.loss).toBeLessThan((r.history[0] as number) * 1e-4);
    expect(Math.min(...r.history)).toBe(r.loss);
  });

  it("CMA-ES, random and grid search reach the same a; CMA-ES reports its spread", () => {
    const fitter = new Fitter(hopfProblem(0.4));
    const c = fitter.fit({ kind: "cmaes", iterations: 25, seed: 1 });
    expect(c.best["a"]).toBeCloseTo(0.16, 3);
    expect(c.uncertainty?.["a"]).toBeGreaterThan(0);
    expect(c.uncertainty?.["a"]).toBeLessThan(0.01);
    const rs = fitter.fit({ kind: "random", samples: 40, seed: 2 });
    expect(Math.abs((rs.best["a"] as number) - 0.16)).toBeLessThan(0.03);
    expect(rs.history.length).toBe(40);
    const g = fitter.fit({ kind: "grid", points: 34 }); // 0.01, 0.04, …, 0.16, …, 1
    expect(g.best["a"]).toBeCloseTo(0.16, 9);
    expect(g.evaluations).toBe(34);
  });

  it("a prior pulls the fit toward its mean", () => {
    const fitter = new Fitter(
      hopfProblem(0.4, { init: 0.5, bounds: [0.01, 1], prior: { mean: 0.5, sd: 0.01 } }),
    );
    expect(fitter.fit({ kind: "cmaes", iterations: 20 }).best["a"]).toBeGreaterThan(0.45);
  });

  it("CMA-ES minimises the Rosenbrock function", () => {
    const f = (x: Float64Array) =>
      100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;
    const r = cmaes(f, Float64Array.of(-1, 1), Rng.fromSeed(0), { iterations: 400 });
    expect(r.best[0]).toBeCloseTo(1, 4);
    expect(r.best[1]).toBeCloseTo(1, 4);
  });

  // A twin experiment: the target shares the fit's noise (one seed), so the loss is exactly 0 at the
  // truth and this tests the search through a delayed network, not what the FC identifies (with
  // independent noise the correlation FC hardly sees sigma: docs/masses.md, identifiability.test.ts).
  it("recovers global coupling and noise of a 6-node delayed network from the FC of a twin simulation", () => {
    const net = massNetwork({
      model: "hopf",
      connectome: randomGeometricConnectome(6, { rng: Rng.fromSeed(4), density: 0.6 }),
      speed: 5,
      coupling: "diffusive",
      dt: 0.5,
      noise: { sigma: 0.05 },
      parameters: { a: -0.05, omega: 0.1 },
      observe: ["x"],
    });
    const options = { steps: 4000, every: 4, discard: 50, seed: 3 };
    const truth = { gain: 0.3, sigma: 0.05 };
    const probe = networkProblem(net, { ...options, parameters: truth, objective: objective("-", (s) => s) });
    const signal = probe.simulate({
      gain: scalar(truth.gain, "float64"),
      sigma: scalar(truth.sigma, "float64"),
    });
    const target = functionalConnectivity(signal);
    const fitter = new Fitter(
      networkProblem(net, {
        ...options,
        parameters: {
          gain: { init: 0.1, bounds: [0.01, 1] },
          sigma: { init: 0.02, bounds: [0.005, 0.2], transform: "log" },
        },
        objective: fcRmse(target),
      }),
    );
    const r = fitter.fit({ kind: "cmaes", iterations: 30, seed: 0 });
    expect(Math.abs((r.best["gain"] as number) / truth.gain - 1)).toBeLessThan(0.1);
    expect(Math.abs((r.best["sigma"] as number) / truth.sigma - 1)).toBeLessThan(0.1);
  });

  it("bad configurations give clear errors", () => {
    const p = hopfProblem(0.4);
    const withA = (a: object) => () => new Fitter({ ...p, parameters: { a: a as never } });
    expect(withA({ init: 2, bounds: [0, 1] })).toThrow(/parameter a: bounds \[0, 1\] exclude the start 2/);
    expect(withA({ init: 0.5, transform: "sigmoid" })).toThrow(/sigmoid transform needs finite bounds/);
    expect(withA({ init: 0, bounds: [0, 1] })).toThrow(/strictly inside \[0, 1\], got 0/);
    expect(withA({ init: -1, transform: "log" })).toThrow(/log transform the start must exceed 0, got -1/);
    expect(withA({ init: 0.5, bounds: [1, 0] })).toThrow(/lo < hi/);
    expect(() => new Fitter({ ...p, parameters: { a: 0.3 } })).toThrow(/no parameter is fitted/);
    const unbounded = new Fitter({ ...p, parameters: { a: { init: 0.3 } } });
    expect(() => unbounded.fit({ kind: "random", samples: 3 })).toThrow(/a has \[-Infinity, Infinity\]/);
    const peak = new Fitter({ ...p, objective: spectralPeak(10, { fs: 1000 }) });
    expect(() => peak.fit({ kind: "gradient", iterations: 1 })).toThrow(ValueError);
    expect(() => peak.fit({ kind: "gradient", iterations: 1 })).toThrow(/spectralPeak is not differentiable/);
    expect(() =>
      networkProblem(hopfNode(), { parameters: { gain: 1 }, steps: 10, objective: amplitudeLoss(1) }),
    ).toThrow(/parameter "gain" is not one of model.a, model.omega, model.beta/);
  });
});
