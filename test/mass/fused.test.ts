/**
 * The fused kernel against the step-by-step path, for every model on a 3-node network with
 * conduction delays, white or Ornstein–Uhlenbeck noise and a stimulus: the same readouts, and the
 * same gradients with respect to every parameter (float64, checkpointed backward).
 */
import { describe, expect, it } from "vitest";
import {
  type CouplingName,
  MASS_MODELS,
  type MassNetworkOptions,
  type MassParams,
  Rng,
  cast,
  massNetwork,
  mul,
  randomNormal,
  runCell,
  sum,
  treeMap,
  valueAndGrad,
} from "../../src/index.ts";
import { ProgramRunner } from "../../src/kernels/js/massProgram.ts";
import { networkPrograms } from "../../src/models/mass/simulate.ts";
import { expectTreesClose, maxAbsDiff } from "../models/helpers.ts";
import { lengths, weights } from "./threeNodes.ts";

/** Per model: a stable step, the coupling, where noise goes and extra options. */
const setups: Record<string, { dt: number; coupling: CouplingName; extra?: Partial<MassNetworkOptions> }> = {
  hopf: { dt: 0.1, coupling: "diffusive" },
  vanDerPol: { dt: 0.02, coupling: "linear" },
  fitzHughNagumo: { dt: 0.1, coupling: "linear" },
  wilsonCowan: { dt: 0.1, coupling: "sigmoidal" },
  wilsonCowanAdaptation: { dt: 0.1, coupling: "linear" },
  jansenRit: { dt: 0.1, coupling: "jansenRit" },
  wongWang: {
    dt: 0.1,
    coupling: "linear",
    extra: { noise: { kind: "ou", sigma: 0.01, tau: 2, into: ["I1", "S2"] }, observe: ["r1", "S2"] },
  },
  wongWangDeco: { dt: 0.1, coupling: "linear" },
  montbrioPazoRoxin: { dt: 0.005, coupling: "linear" },
  kuramoto: { dt: 0.1, coupling: "kuramoto", extra: { parameters: { omega: [0.1, 0.2, 0.15] } } },
  larterBreakspear: { dt: 0.05, coupling: "sigmoidal" },
  thresholdLinear: { dt: 0.1, coupling: "linear", extra: { parameters: { IE: 50 } } },
  balloonWindkessel: { dt: 0.01, coupling: "linear" },
};

function optionsOf(name: string): MassNetworkOptions {
  const s = setups[name]!;
  const model = MASS_MODELS[name]!;
  const first = Object.keys(model.variables)[0]!;
  return {
    model,
    connectome: { weights, lengths },
    speed: 5,
    coupling: s.coupling,
    dt: s.dt,
    noise: { sigma: 0.01, into: [first] },
    stimulus: [model.inputs[0]!],
    ...s.extra,
  };
}

const build = (name: string) => massNetwork(optionsOf(name));

const T = 24;
const B = 2;

describe.each(Object.keys(MASS_MODELS))("%s on a delayed 3-node network", (name) => {
  it("gives the same readouts and parameter gradients fused and step by step", () => {
    const net = build(name);
    expect(net.ringLength).toBeGreaterThan(1);
    const params = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
    const xs = mul(randomNormal(Rng.fromSeed(1), [T, B, net.nIn], 1, 0, "float64"), 0.01);
    const w = randomNormal(Rng.fromSeed(2), [T, B, net.nOut], 1, 0, "float64");
    const loss = (fused: boolean) => (p: MassParams) =>
      sum(mul(runCell(net, p, xs, { fused, rng: Rng.fromSeed(3), checkpoint: 7 }).outputs, w));
    const stepwise = runCell(net, params, xs, { fused: false, rng: Rng.fromSeed(3) }).outputs;
    const fused = runCell(net, params, xs, { rng: Rng.fromSeed(3) }).outputs;
    expect(Array.from(fused.data).every(Number.isFinite)).toBe(true);
    const scale = Math.max(1e-12, ...Array.from(stepwise.data, Math.abs));
    expect(maxAbsDiff(fused, stepwise) / scale).toBeLessThan(1e-10);
    const a = valueAndGrad(loss(false))(params);
    const b = valueAndGrad(loss(true))(params);
    expect(Math.abs(a.value - b.value)).toBeLessThan(1e-9 * Math.max(1, Math.abs(a.value)));
    expectTreesClose(b.grads, a.grads, 1e-8);
  });

  it("runs its programs the same compiled and interpreted", () => {
    const net = build(name);
    const { step } = networkPrograms(net, net.dynamics.observe);
    const lanes = 5;
    const [compiled, interpreted] = [true, false].map(
      (compile) => new ProgramRunner(step, lanes, { compile }),
    );
    const rng = Rng.fromSeed(4);
    const inputs = step.nInputs;
    for (let k = 0; k < inputs; k++) {
      const values = Array.from({ length: lanes }, () => 0.1 + 0.2 * rng.uniform());
      compiled!.inputs[k]!.set(values);
      interpreted!.inputs[k]!.set(values);
    }
    const seeds = Array.from({ length: step.outputs.length }, () =>
      Array.from({ length: lanes }, () => rng.normal()),
    );
    for (const r of [compiled!, interpreted!]) {
      r.forward();
      seeds.forEach((g, k) => r.seed(k, g));
      r.backward();
    }
    for (let k = 0; k < step.outputs.length; k++) {
      for (let l = 0; l < lanes; l++)
        expect(compiled!.outputs[k]![l]).toBeCloseTo(interpreted!.outputs[k]![l]!, 12);
    }
    for (let k = 0; k < inputs; k++) {
      for (let l = 0; l < lanes; l++) {
        const [x, y] = [compiled!.inputAdjoints[k]![l]!, interpreted!.inputAdjoints[k]![l]!];
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(y)));
      }
    }
  });
});

describe("the fused kernel's delayed sums", () => {
  // The kernel sums four steps at a time when every delay is at least four steps (above: 20–40
  // steps at 5 mm/ms), one step at a time otherwise (here: 2–4 steps at 50 mm/ms, and one or
  // two channels per node across these models).
  it.each(["hopf", "jansenRit", "wilsonCowan", "kuramoto"])(
    "with delays shorter than the block agree with step by step (%s)",
    (name) => {
      const net = massNetwork({ ...optionsOf(name), speed: 50 });
      expect(net.ringLength).toBeGreaterThan(1);
      expect(net.ringLength).toBeLessThan(6);
      const params = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
      const xs = mul(randomNormal(Rng.fromSeed(1), [T, B, net.nIn], 1, 0, "float64"), 0.01);
      const loss = (fused: boolean) => (p: MassParams) => {
        const y = runCell(net, p, xs, { fused, rng: Rng.fromSeed(3), checkpoint: 5 }).outputs;
        return sum(mul(y, y));
      };
      const a = valueAndGrad(loss(false))(params);
      const b = valueAndGrad(loss(true))(params);
      expect(Math.abs(a.value - b.value)).toBeLessThan(1e-10 * Math.max(1, Math.abs(a.value)));
      expectTreesClose(b.grads, a.grads, 1e-8);
    },
  );
});

describe("the fused kernel's backward", () => {
  it("gives the same gradients whatever the checkpoint segment", () => {
    const net = build("jansenRit");
    const params = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
    const xs = randomNormal(Rng.fromSeed(1), [T, B, net.nIn], 0.01, 0, "float64");
    const grads = [1, 6, T].map(
      (checkpoint) =>
        valueAndGrad((p: MassParams) => {
          const y = runCell(net, p, xs, { rng: Rng.fromSeed(3), checkpoint }).outputs;
          return sum(mul(y, y));
        })(params).grads,
    );
    expectTreesClose(grads[0]!, grads[2]!, 1e-12);
    expectTreesClose(grads[1]!, grads[2]!, 1e-12);
  });
});
