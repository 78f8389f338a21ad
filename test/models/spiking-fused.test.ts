import { describe, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  max,
  mul,
  randomBernoulli,
  randomNormal,
  runCell,
  softmaxCrossEntropy,
  spikingClassifier,
  sum,
  valueAndGrad,
} from "../../src/index.ts";

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
