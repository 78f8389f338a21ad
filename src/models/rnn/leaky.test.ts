import { describe, expect, it } from "vitest";
import { Rng, type Tensor, mul, randomNormal, sum, tensor, treeMap, valueAndGrad } from "../../index.ts";
import { expectTreesClose, maxAbsDiff } from "../../../test/models/helpers.ts";
import { runCell } from "../cell.ts";
import { type LeakyRNNOptions, type LeakyRNNParams, leakyRNN } from "./leaky.ts";
import { leakyRNNModel } from "./model.ts";
import { vanillaRNN } from "./vanilla.ts";

const xs = randomNormal(Rng.fromSeed(1), [6, 3, 4]);
const weights = randomNormal(Rng.fromSeed(2), [6, 3, 8]);

const variants: [string, LeakyRNNOptions][] = [
  ["rate order, relu", { nIn: 4, nHidden: 8, tauMs: 100, dtMs: 20 }],
  ["current order, tanh", { nIn: 4, nHidden: 8, tauMs: 100, dtMs: 40, order: "current", activation: "tanh" }],
  ["vanilla (alpha = 1) with trainable h0", { nIn: 4, nHidden: 8, trainableH0: true }],
  [
    "Dale's law, masks, no autapses",
    {
      nIn: 4,
      nHidden: 8,
      tauMs: 100,
      dtMs: 20,
      excitatoryFraction: 0.75,
      autapses: false,
      inputMask: Array.from({ length: 4 }, (_, i) =>
        Array.from({ length: 8 }, (_, j) => ((i + j) % 3 ? 1 : 0)),
      ),
    },
  ],
];

describe("leakyRNN", () => {
  it.each(variants)(
    "%s: the fused kernel and the step-by-step path agree in values and gradients",
    (_, options) => {
      const cell = leakyRNN(options);
      let params = cell.init(Rng.fromSeed(0));
      if (params.h0) params = { ...params, h0: randomNormal(Rng.fromSeed(3), [8], 0.5) };
      const loss = (fused: boolean) => (p: LeakyRNNParams) =>
        sum(mul(runCell(cell, p, xs, { fused }).outputs, weights));
      const a = valueAndGrad(loss(true))(params);
      const b = valueAndGrad(loss(false))(params);
      expect(Math.abs(a.value - b.value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b.value)));
      expectTreesClose(a.grads, b.grads, 1e-4);
    },
  );

  it("recurrent noise draws the same numbers in the fused and the step-by-step path", () => {
    const cell = leakyRNN({ nIn: 4, nHidden: 8, tauMs: 100, dtMs: 20, sigmaRec: 0.1 });
    const params = cell.init(Rng.fromSeed(0));
    const fused = runCell(cell, params, xs, { rng: Rng.fromSeed(9) }).outputs;
    const steps = runCell(cell, params, xs, { rng: Rng.fromSeed(9), fused: false }).outputs;
    const quiet = runCell(cell, params, xs).outputs;
    expect(maxAbsDiff(fused, steps)).toBeLessThan(1e-5);
    expect(maxAbsDiff(fused, quiet)).toBeGreaterThan(1e-3);
  });

  it("adds noise of variance 2 σ² / α to the drive (one step from h = 0, identity f)", () => {
    const cell = leakyRNN({
      nIn: 1,
      nHidden: 2000,
      tauMs: 100,
      dtMs: 20,
      sigmaRec: 0.5,
      activation: "identity",
    });
    const p = cell.init(Rng.fromSeed(0));
    const zeroed = treeMap(p, (t) => mul(t, 0)) as LeakyRNNParams;
    const h = runCell(cell, zeroed, tensor([[[0]]]), { rng: Rng.fromSeed(4) }).outputs;
    // rate order: h' = α (ξ / α) = ξ with ξ ~ N(0, 2 α σ²)
    const v = Array.from(h.data, (x) => x * x).reduce((s, x) => s + x, 0) / h.size;
    expect(v).toBeCloseTo(2 * 0.2 * 0.25, 1);
  });

  it("keeps Dale's signs and masks for any parameter values", () => {
    const cell = leakyRNN({
      nIn: 2,
      nHidden: 10,
      tauMs: 50,
      dtMs: 10,
      excitatoryFraction: 0.8,
      autapses: false,
    });
    const raw = cell.init(Rng.fromSeed(0));
    const wild = {
      ...raw,
      wRec: randomNormal(Rng.fromSeed(5), [10, 10], 3),
      wIn: randomNormal(Rng.fromSeed(6), [2, 10]),
    };
    const { wRec, wIn } = cell.effectiveWeights(wild);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const w = wRec.data[i * 10 + j] as number;
        if (i === j) expect(Math.abs(w)).toBe(0);
        else if (i < 8) expect(w).toBeGreaterThanOrEqual(0);
        else expect(w).toBeLessThanOrEqual(0);
      }
    }
    expect(Math.min(...wIn.data)).toBeGreaterThanOrEqual(0);
  });

  it("reads out only excitatory units, through non-negative weights, under Dale's law", () => {
    const model = leakyRNNModel({
      nIn: 2,
      nHidden: 10,
      nOut: 3,
      tauMs: 50,
      dtMs: 10,
      excitatoryFraction: 0.8,
    });
    const params = model.init(Rng.fromSeed(0));
    const probe = (p: typeof params) => sum(model.apply(p, randomNormal(Rng.fromSeed(2), [3, 2, 2])).outputs);
    const { grads } = valueAndGrad(probe)(params);
    const gw = grads.readout.w as Tensor;
    for (let i = 8; i < 10; i++)
      for (let k = 0; k < 3; k++) expect(Math.abs(gw.data[i * 3 + k] as number)).toBe(0);
  });

  it("uses alpha = dt / tau, and alpha = 1 when dt is omitted", () => {
    expect(leakyRNN({ nIn: 1, nHidden: 2, tauMs: 100, dtMs: 20 }).config.alpha).toBeCloseTo(0.2);
    expect(leakyRNN({ nIn: 1, nHidden: 2, tauMs: 100 }).config.alpha).toBe(1);
    expect(vanillaRNN({ nIn: 1, nHidden: 2 }).config.alpha).toBe(1);
  });

  it("rejects bad options, naming the option, the value and what is allowed", () => {
    expect(() => leakyRNN({ nIn: 1, nHidden: -3 })).toThrow(
      "leakyRNN: nHidden must be a positive integer, got -3",
    );
    expect(() => leakyRNN({ nIn: 1, nHidden: 2, tauMs: 0 })).toThrow(
      "leakyRNN: tauMs must be a finite number > 0, got 0",
    );
    expect(() => leakyRNN({ nIn: 1, nHidden: 2, tauMs: 10, dtMs: 20 })).toThrow(
      "leakyRNN: dtMs must be <= tauMs (alpha = dt / tau in (0, 1]), got dtMs=20 with tauMs=10",
    );
    expect(() => leakyRNN({ nIn: 1, nHidden: 2, activation: "gelu" as never })).toThrow(
      'leakyRNN: activation must be one of "relu", "tanh", "sigmoid", "identity", "softplus", got "gelu"',
    );
    expect(() =>
      leakyRNN({ nIn: 1, nHidden: 2, recurrentInit: "lecun" as never }).init(Rng.fromSeed(0)),
    ).toThrow('leakyRNN: recurrentInit must be one of "kaimingNormal"');
  });
});
