import { describe, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  add,
  max,
  mul,
  randomBernoulli,
  randomNormal,
  readOverTime,
  reduceOverTime,
  runCell,
  softmaxCrossEntropy,
  spikeLogits,
  spikingChain,
  spikingClassifier,
  sum,
  tensor,
  valueAndGrad,
} from "../../src/index.ts";
import { chainConstants } from "../../src/models/spiking/network.ts";

describe("the spiking classifier's fused kernel", () => {
  for (const reset of ["hard", "soft"] as const) {
    it(`gives the step-by-step values, traces and gradients (${reset} reset)`, () => {
      const net = spikingClassifier({ nIn: 12, nHidden: 6, nOut: 2, dtMs: 1, lif: { reset } });
      const params = net.init(Rng.fromSeed(1));
      const xs = randomBernoulli(Rng.fromSeed(2), [80, 5, 12], 0.4);
      const y = Int32Array.from([0, 1, 1, 0, 1]);
      const weights = randomNormal(Rng.fromSeed(3), [80, 5, 6]);
      const generic = (p: typeof params) => {
        const run = runCell(net.cell, p, xs, { record: ["lif.spike", "lif.v"] });
        return {
          u: run.outputs,
          spikes: run.traces["lif.spike"] as Tensor,
          v: run.traces["lif.v"] as Tensor,
        };
      };
      const fused = (p: typeof params) => {
        const out = net.apply(p, xs, { record: ["lif.spike", "lif.v"] });
        return { u: out.outputs, spikes: out.hidden, v: out.traces?.["lif.v"] as Tensor };
      };
      const a = fused(params);
      const b = generic(params);
      expect(sum(a.spikes).item()).toBeGreaterThan(10);
      expect(Array.from(a.spikes.data)).toEqual(Array.from(b.spikes.data));
      a.u.data.forEach((v, i) => expect(v).toBeCloseTo(b.u.data[i] as number, 4));
      a.v.data.forEach((v, i) => expect(v).toBeCloseTo(b.v.data[i] as number, 4));
      const loss = (run: typeof fused) => (p: typeof params) => {
        const r = run(p);
        return softmaxCrossEntropy(max(r.u, 0), y) as Tensor;
      };
      const lossWithV = (run: typeof fused) => (p: typeof params) => mul(sum(mul(run(p).v, weights)), 1e-3);
      for (const make of [loss, lossWithV]) {
        const ga = valueAndGrad(make(fused))(params).grads;
        const gb = valueAndGrad(make(generic))(params).grads;
        // The input weights get their gradient only through the surrogate: it must not vanish.
        expect(Math.max(...Array.from(gb.i2r.w.data, Math.abs))).toBeGreaterThan(0);
        for (const k of ["i2r", "r2o"] as const) {
          const x = ga[k].w.data;
          const z = gb[k].w.data;
          x.forEach((v, i) =>
            expect(Math.abs(v - (z[i] as number))).toBeLessThan(1e-4 * (1 + Math.abs(z[i] as number))),
          );
        }
      }
    });
  }
});

describe("the spiking chain's fused maximum over time", () => {
  const net = spikingClassifier({ nIn: 12, nHidden: 6, nOut: 3, dtMs: 1 });
  const constants = chainConstants(net.cell.lifConfig, { dtMs: 1, tauMs: 10 }, { dtMs: 1, tauMs: 5 });
  const init = net.init(Rng.fromSeed(1));
  // The third readout's weights are 0: it stays at 0, a tie of every step. Batch row 0 gets no input.
  const w2 = mul(init.r2o.w, tensor([1, 1, 0], [3]));
  const cases = [
    { label: "80 steps", T: 80 },
    { label: "one step", T: 1 },
  ];
  for (const { label, T } of cases) {
    it(`gives max(u, 0)'s values and gradients bit for bit, ties included (${label})`, () => {
      const spikes = randomBernoulli(Rng.fromSeed(2), [T, 5, 12], T > 1 ? 0.4 : 1);
      const xs = mul(spikes, tensor([0, 1, 1, 1, 1], [1, 5, 1]));
      const y = Int32Array.from([0, 1, 2, 0, 1]);
      const weights = randomNormal(Rng.fromSeed(3), [5, 3]);
      const fusedMax = (p: ChainParams) => spikingChain(xs, p.w1, p.w2, constants).uMax;
      const genericMax = (p: ChainParams) => max(spikingChain(xs, p.w1, p.w2, constants).u, 0);
      const params = { w1: init.i2r.w, w2 };
      const u = spikingChain(xs, params.w1, params.w2, constants).u;
      if (T > 1)
        expect(sum(spikingChain(xs, params.w1, params.w2, constants).spikes).item()).toBeGreaterThan(10);
      // Ties: the silent readout, and the row without input (equal at every step before any spike).
      const ties = [0, 1, 2].map((q) => Array.from(u.data).filter((v, i) => i % 3 === q && v === 0).length);
      expect(ties[2]).toBe(T * 5);
      expect(Array.from(fusedMax(params).data)).toEqual(Array.from(genericMax(params).data));
      for (const f of [fusedMax, genericMax]) expect(f(params).shape).toEqual([5, 3]);
      const loss = (logits: (p: ChainParams) => Tensor) => (p: ChainParams) =>
        add(softmaxCrossEntropy(logits(p), y), sum(mul(logits(p), weights)));
      const a = valueAndGrad(loss(fusedMax))(params);
      const b = valueAndGrad(loss(genericMax))(params);
      expect(a.value).toBe(b.value);
      expect(Math.max(...Array.from(b.grads.w1.data, Math.abs))).toBeGreaterThan(0);
      expect(Array.from(a.grads.w1.data)).toEqual(Array.from(b.grads.w1.data));
      expect(Array.from(a.grads.w2.data)).toEqual(Array.from(b.grads.w2.data));
    });
  }

  it("is what the classifier's loss reads", () => {
    const xs = randomBernoulli(Rng.fromSeed(2), [40, 5, 12], 0.4);
    const run = net.apply(init, xs);
    expect(run.reduced).toBeDefined();
    expect(Array.from(readOverTime(run, "max").data)).toEqual(
      Array.from(reduceOverTime(run.outputs, "max").data),
    );
    expect(Array.from(spikeLogits(net, init, xs).data)).toEqual(Array.from(max(run.outputs, 0).data));
    // Another reduction than the kernel's is computed from the outputs, not the kernel's maximum.
    const last = Array.from(readOverTime(run, "last").data);
    expect(last).toEqual(Array.from(reduceOverTime(run.outputs, "last").data));
    expect(last).not.toEqual(Array.from(readOverTime(run, "max").data));
  });
});

type ChainParams = { w1: Tensor; w2: Tensor };
