import { describe, expect, it } from "vitest";
import { Rng, type Tensor, full, randomBernoulli, sum, tensor, valueAndGrad } from "../../index.ts";
import { expectTreesClose } from "../../../test/models/helpers.ts";
import { runCell } from "../cell.ts";
import { lif } from "./lif.ts";
import { spikingClassifier } from "./network.ts";
import { poissonSpikeTrains } from "./sources.ts";

const fastSigmoid = (x: number, k: number) => 1 / (k * Math.abs(x) + 1) ** 2;

describe("lif", () => {
  it("lets the surrogate derivative flow from the spike to the input current and the threshold", () => {
    const dt = 0.5;
    const tau = 10;
    const neurons = lif({ n: 3, dtMs: dt, tauMs: tau, vTh: 1, trainableThreshold: true });
    const state = { ...neurons.initialState({}, 1), v: tensor([[0.5, 0.95, 1.2]]) };
    const I = [0.2, 1.5, 0.1];
    const f = (p: { I: Tensor; vTh: Tensor }) => sum(neurons.step({ vTh: p.vTh }, state, p.I).output);
    const { value, grads } = valueAndGrad(f)({ I: tensor([I]), vTh: full([3], 1) });
    const decay = Math.exp(-dt / tau);
    const v1 = [0.5, 0.95, 1.2].map((v, j) => (I[j] as number) + (v - (I[j] as number)) * decay);
    expect(value).toBe(v1.filter((v) => v >= 1).length);
    v1.forEach((v, j) => {
      const sg = fastSigmoid(v - 1, 100);
      expect(grads.I.data[j]).toBeCloseTo(sg * (1 - decay), 6);
      expect(grads.vTh.data[j]).toBeCloseTo(-sg, 6);
    });
  });

  it("resets hard to V_reset, or soft by subtracting the threshold", () => {
    const run = (reset: "hard" | "soft") => {
      const neurons = lif({ n: 1, dtMs: 1, tauMs: 10, vTh: 1, vReset: -0.2, reset });
      return neurons
        .step({}, { ...neurons.initialState({}, 1), v: tensor([[1.5]]) }, tensor([[1.5]]))
        .state.v.item();
    };
    expect(run("hard")).toBeCloseTo(-0.2, 6);
    expect(run("soft")).toBeCloseTo(0.5, 6);
  });

  it("holds V during the refractory period", () => {
    const neurons = lif({ n: 1, dtMs: 1, tauMs: 10, refractoryMs: 3 });
    const xs = full([6, 1, 1], 30);
    const { outputs, traces } = runCell(neurons, {}, xs, { record: ["v"] });
    expect(Array.from(outputs.data)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(traces.v?.data ?? []).slice(1, 4)).toEqual([0, 0, 0]);
  });

  it("raises the threshold after spikes with adaptation (ALIF)", () => {
    const plain = lif({ n: 1, dtMs: 1, tauMs: 10 });
    const adaptive = lif({ n: 1, dtMs: 1, tauMs: 10, adaptation: { tauMs: 100, beta: 1 } });
    const xs = full([50, 1, 1], 3);
    const count = (t: Tensor) => Array.from(t.data).reduce((a, b) => a + b, 0);
    expect(count(runCell(adaptive, {}, xs).outputs)).toBeLessThan(count(runCell(plain, {}, xs).outputs));
  });

  it("rejects Euler steps longer than tau and unknown resets", () => {
    expect(() => lif({ n: 1, dtMs: 20, tauMs: 10, integrator: "euler" })).toThrow(
      "lif: dtMs must be <= tauMs with the Euler integrator, got dtMs=20 with tauMs=10",
    );
    expect(() => lif({ n: 1, dtMs: 1, reset: "none" as never })).toThrow(
      'lif: reset must be one of "hard", "soft", got "none"',
    );
    expect(() => lif({ n: 0, dtMs: 1 })).toThrow("lif: n must be a positive integer, got 0");
  });
});

describe("spikingClassifier (S4c)", () => {
  const net = spikingClassifier({ nIn: 20, nHidden: 5, nOut: 2, dtMs: 1, checkpoint: 7 });
  const params = net.init(Rng.fromSeed(0));
  const xs = randomBernoulli(Rng.fromSeed(1), [30, 4, 20], 0.2);

  it("returns readout potentials, hidden spikes and the requested traces", () => {
    const out = net.apply(params, xs, { record: ["lif.v", "out.v"] });
    expect(out.outputs.shape).toEqual([30, 4, 2]);
    expect(out.hidden.shape).toEqual([30, 4, 5]);
    expect(Object.keys(out.traces ?? {}).sort()).toEqual(["lif.v", "out.v"]);
    expect(net.timeReadout).toBe("max");
  });

  it("gives the same gradients with and without checkpointing", () => {
    const loss = (checkpoint: number) => (p: typeof params) => sum(net.apply(p, xs, { checkpoint }).outputs);
    const a = valueAndGrad(loss(7))(params);
    const b = valueAndGrad(loss(1000))(params);
    expect(a.value).toBeCloseTo(b.value, 4);
    expectTreesClose(a.grads, b.grads, 1e-5);
  });

  it("draws Poisson inputs at the requested rate", () => {
    const spikes = poissonSpikeTrains(Rng.fromSeed(2), [2000, 10, 100], { rateHz: 5, dtMs: 0.1 });
    const rate = Array.from(spikes.data).reduce((a, b) => a + b, 0) / (10 * 100 * 0.2);
    expect(rate).toBeGreaterThan(4.6);
    expect(rate).toBeLessThan(5.4);
  });
});
