/**
 * Gradients of the fused simulation against central finite differences, through 300 steps of a
 * delayed 3-node network with noise: every model parameter (node 0's when per node), the coupling gain
 * and the noise amplitude.
 */
import { describe, expect, it } from "vitest";
import {
  type CouplingName,
  type MassParams,
  Rng,
  type Tensor,
  cast,
  fromData,
  massNetwork,
  mul,
  randomNormal,
  simulate,
  sum,
  treeMap,
  valueAndGrad,
} from "../../src/index.ts";
import { lengths, weights } from "./threeNodes.ts";

const cases: [string, number, CouplingName, string][] = [
  ["hopf", 0.1, "diffusive", "x"],
  ["jansenRit", 0.1, "jansenRit", "y4"],
  ["wilsonCowan", 0.1, "sigmoidal", "E"],
  ["kuramoto", 0.1, "kuramoto", "theta"],
];

const T = 300;

describe.each(cases)("%s: fused gradients through 300 delayed steps", (model, dt, coupling, noisy) => {
  it("match central finite differences for every parameter", () => {
    const net = massNetwork({
      model,
      connectome: { weights, lengths },
      speed: 2,
      coupling,
      dt,
      noise: { sigma: 0.01, into: [noisy] },
      ...(model === "kuramoto" ? { parameters: { omega: [0.1, 0.2, 0.15] } } : {}),
    });
    expect(net.ringLength).toBeGreaterThan(50); // delays of up to 100 steps
    const params = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
    const w = randomNormal(Rng.fromSeed(2), [T, 1, net.nOut], 1, 0, "float64");
    const loss = (p: MassParams) =>
      sum(mul(simulate(net, p, { steps: T, rng: Rng.fromSeed(3), checkpoint: 17 }).observed, w));
    const { grads } = valueAndGrad(loss)(params);
    const groups = [
      ["model", params.model, grads.model],
      ["coupling", params.coupling ?? {}, grads.coupling ?? {}],
      ["noise", params.noise ?? {}, grads.noise ?? {}],
    ] as const;
    for (const [group, values, g] of groups) {
      for (const [name, t] of Object.entries(values as Record<string, Tensor>)) {
        const v = t.data[0] as number;
        const h = 1e-6 * Math.max(1, Math.abs(v));
        const at = (x: number) => {
          const data = Float64Array.from(t.data);
          data[0] = x; // the first node's value (or the only one)
          const shifted = { ...(values as Record<string, Tensor>), [name]: fromData(data, [...t.shape]) };
          return loss({ ...params, [group]: group === "noise" ? { sigma: shifted[name] } : shifted })
            .data[0] as number;
        };
        const fd = (at(v + h) - at(v - h)) / (2 * h);
        const ours = (g as Record<string, Tensor>)[name]?.data[0] as number;
        expect(Math.abs(ours - fd), `${group}.${name}: ${ours} vs ${fd}`).toBeLessThan(
          1e-5 * Math.max(1, Math.abs(fd)),
        );
      }
    }
  });
});
