import { describe, expect, it } from "vitest";
import { Rng, type Tensor, mul, randomNormal, sum, tensor, treeLeaves, valueAndGrad } from "../../index.ts";
import { maxAbsDiff } from "../../../test/models/helpers.ts";
import { readOverTime, reduceOverTime } from "../model.ts";
import { runCell, runToFinal } from "../cell.ts";
import { heterogeneousOscillators, horn } from "./horn.ts";
import { hornNetwork } from "./network.ts";

describe("horn", () => {
  const wIh = [
    [0.5, -0.2],
    [0.1, 0.3],
  ];
  const wHh = [
    [0.4, -0.6],
    [0.2, 0.1],
  ];
  const params = { wIh: tensor(wIh), bIh: tensor([0.05, -0.1]), wHh: tensor(wHh), bHh: tensor([0.02, 0.03]) };
  const x = [0.3, -0.2];
  const y = [0.1, 0.4];
  const s = [1, 0.5];

  /** The update of the spec, by hand, for unit j. */
  const expected = (g: number, alpha: number, omega: number, gamma: number, h: number) =>
    [0, 1].map((j) => {
      const rec =
        (y[0] as number) * (wHh[0]![j] as number) +
        (y[1] as number) * (wHh[1]![j] as number) +
        [0.02, 0.03][j]!;
      const ext =
        (s[0] as number) * (wIh[0]![j] as number) +
        (s[1] as number) * (wIh[1]![j] as number) +
        [0.05, -0.1][j]!;
      const yj =
        (y[j] as number) +
        h * (alpha * Math.tanh(ext + g * rec) - omega ** 2 * (x[j] as number) - 2 * gamma * (y[j] as number));
      return { x: (x[j] as number) + h * yj, y: yj };
    });

  it("steps velocity then position by symplectic Euler, recurrence on the velocity (gain 1)", () => {
    const cell = horn({ nIn: 2, nHidden: 2, alpha: 0.2, h: 0.5 });
    const res = cell.step(params, { x: tensor([x]), y: tensor([y]) }, tensor([s]));
    const e = expected(1, 0.2, (2 * Math.PI) / 28, 0.01, 0.5);
    expect(maxAbsDiff(res.state.y, tensor([e.map((u) => u.y)]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(res.output, tensor([e.map((u) => u.x)]))).toBeLessThan(1e-6);
  });

  it("scales the recurrent input by 1/sqrt(n) in the paper's convention", () => {
    const cell = horn({ nIn: 2, nHidden: 2, recurrentGain: "inverseSqrtN", omega: 0.3, gamma: 0.05 });
    const res = cell.step(params, { x: tensor([x]), y: tensor([y]) }, tensor([s]));
    const e = expected(1 / Math.sqrt(2), 0.04, 0.3, 0.05, 1);
    expect(maxAbsDiff(res.output, tensor([e.map((u) => u.x)]))).toBeLessThan(1e-6);
  });

  it("draws heterogeneous omega and gamma in [0.5, 2] times the base", () => {
    const { omega, gamma } = heterogeneousOscillators(Rng.fromSeed(0), 50);
    const base = (2 * Math.PI) / 28;
    expect(Math.min(...omega)).toBeGreaterThanOrEqual(0.5 * base);
    expect(Math.max(...omega)).toBeLessThanOrEqual(2 * base);
    expect(Math.min(...gamma)).toBeGreaterThanOrEqual(0.005);
    const cell = horn({ nIn: 1, nHidden: 50, omega, gamma, trainable: ["omega"] });
    expect(cell.init(Rng.fromSeed(1)).omega?.shape).toEqual([50]);
  });

  it("stacks layers and reads out the last layer's final position (S0)", () => {
    const model = hornNetwork({ nIn: 2, nHidden: [6, 4], nOut: 2, alpha: 0.2 });
    const params = model.init(Rng.fromSeed(0));
    const xs = randomNormal(Rng.fromSeed(1), [8, 5, 2]);
    const out = model.apply(params, xs, { record: ["layer1.x", "layer0.y"] });
    expect(out.hidden.shape).toEqual([8, 5, 4]);
    expect(out.traces?.["layer1.x"]?.shape).toEqual([8, 5, 4]);
    expect(out.traces?.["layer0.y"]?.shape).toEqual([8, 5, 6]);
    expect(reduceOverTime(out.outputs, model.timeReadout).shape).toEqual([5, 2]);
    expect(() => model.apply(params, xs, { record: ["layer2.x"] })).toThrow(
      'record paths must read "layer{l}.x"',
    );
  });

  it("reads its logits from the last step alone, with the values and gradients of every step's readout", () => {
    const model = hornNetwork({ nIn: 2, nHidden: [6, 4], nOut: 3, alpha: 0.2 });
    const params = model.init(Rng.fromSeed(0));
    const xs = randomNormal(Rng.fromSeed(1), [7, 5, 2]);
    const weights = randomNormal(Rng.fromSeed(2), [5, 3]);
    const lossOf = (read: (p: typeof params) => ReturnType<typeof readOverTime>) =>
      valueAndGrad((p: typeof params) => sum(mul(read(p), weights)))(params);
    const last = lossOf((p) => readOverTime(model.apply(p, xs), model.timeReadout));
    const every = lossOf((p) => reduceOverTime(model.apply(p, xs).outputs, "last"));
    expect(model.apply(params, xs).reduced?.mode).toBe("last");
    expect(last.value).toBeCloseTo(every.value, 6);
    const [a, b] = [treeLeaves(last.grads), treeLeaves(every.grads)];
    expect(a.map((l) => l.path)).toEqual(b.map((l) => l.path));
    a.forEach((l, i) => expect(maxAbsDiff(l.leaf, b[i]!.leaf), l.path).toBeLessThan(1e-6));
  });

  it("reads its logits from the last layer's final state alone, the bits the position sequence's last step gives", () => {
    const model = hornNetwork({ nIn: 2, nHidden: [6, 4], nOut: 3, alpha: 0.2 });
    const params = model.init(Rng.fromSeed(0));
    const xs = randomNormal(Rng.fromSeed(1), [7, 5, 2]);
    const finalFirst = model.apply(params, xs);
    const logits = finalFirst.reduced!.value;
    expect(finalFirst.hidden.shape).toEqual([7, 5, 4]);
    const hiddenFirst = model.apply(params, xs);
    expect(hiddenFirst.hidden.shape).toEqual([7, 5, 4]);
    expect([...logits.data]).toEqual([...hiddenFirst.reduced!.value.data]);
    expect([...logits.data]).toEqual([...reduceOverTime(hiddenFirst.outputs, "last").data]);
    // The cell's final state alone equals the run's, fused or stepped.
    const cell = horn({ nIn: 2, nHidden: 4, alpha: 0.2, v: 0.1 });
    const p = cell.init(Rng.fromSeed(3));
    const alone = runToFinal(cell, p, xs);
    expect([...alone.x.data]).toEqual([...runCell(cell, p, xs).final.x.data]);
    expect([...alone.y.data]).toEqual([...runCell(cell, p, xs).final.y.data]);
    const stepped = runToFinal(cell, p, xs, { fused: false });
    expect(maxAbsDiff(stepped.x, alone.x)).toBeLessThan(1e-5);
  });

  it("folds the readout of the last position into the last layer's fused call, bit for bit", () => {
    const xs = randomNormal(Rng.fromSeed(1), [7, 5, 2]);
    const weights = randomNormal(Rng.fromSeed(2), [5, 3]);
    for (const nHidden of [4, [6, 4]]) {
      const model = hornNetwork({ nIn: 2, nHidden, nOut: 3, alpha: 0.2, v: 0.1 });
      const init = model.init(Rng.fromSeed(0));
      const params = { ...init, readout: { w: init.readout.w, b: randomNormal(Rng.fromSeed(5), [3]) } };
      const lossOf = (read: (p: typeof params) => Tensor) =>
        valueAndGrad((p: typeof params) => sum(mul(read(p), weights)))(params);
      const folded = lossOf((p) => model.apply(p, xs).reduced!.value);
      // Its position sequence run first (for another reader), the readout runs apart.
      const apart = lossOf((p) => {
        const run = model.apply(p, xs);
        expect(run.hidden.shape).toEqual([7, 5, 4]);
        return run.reduced!.value;
      });
      expect(folded.value).toBe(apart.value);
      const [a, b] = [treeLeaves(folded.grads), treeLeaves(apart.grads)];
      expect(a.map((l) => l.path)).toEqual(b.map((l) => l.path));
      a.forEach((l, i) => expect([...l.leaf.data], l.path).toEqual([...b[i]!.leaf.data]));
    }
  });

  it("rejects bad options by name", () => {
    expect(() => horn({ nIn: 2, nHidden: 3, omega: [1, 2] })).toThrow(
      "horn: omega must be a number or 3 per-unit values, got 2 values",
    );
    expect(() => horn({ nIn: 2, nHidden: 3, h: 0 })).toThrow("horn: h must be a finite number > 0, got 0");
    expect(() => horn({ nIn: 2, nHidden: 3, recurrentGain: "sqrt" as never })).toThrow(
      'horn: recurrentGain must be one of "inverseSqrtN", got "sqrt"',
    );
    expect(() => horn({ nIn: 2, nHidden: 3, trainable: ["beta" as never] })).toThrow(
      'horn: trainable must be one of "alpha", "omega", "gamma", "v", got "beta"',
    );
  });
});
