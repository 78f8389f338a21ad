/**
 * Every consumer of randomness draws from its own stream (docs/randomness.md): training data,
 * model noise, initial parameters and held-out trials never share numbers.
 */
import { describe, expect, it } from "vitest";
import {
  Rng,
  type SequenceModel,
  type Tensor,
  Trainer,
  createTask,
  evaluateTrials,
  fromData,
  mul,
  sgd,
  sum,
  tensor,
  trialBatches,
} from "../../src/index.ts";

/** The first words a stream yields, without advancing it. */
const words = (rng: Rng) => {
  const copy = rng.clone();
  return Array.from({ length: 8 }, () => copy.nextUint32());
};

/** A model that answers "fixate" and keeps every input column it is shown, one string per trial. */
function recorder(nIn: number) {
  const seen: string[] = [];
  const model: SequenceModel<Record<string, never>> = {
    name: "recorder",
    config: {},
    nIn,
    nOut: 3,
    timeReadout: "every",
    init: () => ({}),
    apply(_p, xs: Tensor) {
      const [T, B] = xs.shape as [number, number];
      for (let b = 0; b < B; b++) seen.push(trialKey(xs.data, T, B, nIn, b));
      return { outputs: fromData(new Float32Array(T * B * 3), [T, B, 3]), hidden: xs };
    },
  };
  return { model, seen };
}

/** Trial `b` of a time-major `[T, B, D]` batch as text, padding (trailing all-zero steps) dropped. */
function trialKey(data: ArrayLike<number>, T: number, B: number, D: number, b: number): string {
  const rows = Array.from({ length: T }, (_, t) =>
    Array.from({ length: D }, (_, d) => data[(t * B + b) * D + d]),
  );
  while (rows.length > 0 && rows.at(-1)?.every((v) => v === 0)) rows.pop();
  return JSON.stringify(rows);
}

describe("random streams", () => {
  it("the Trainer hands the data, the model's noise and every step streams of their own", () => {
    const given: { data: number[]; noise: number[] }[] = [];
    const trainer = new Trainer<{ w: Tensor }, number[]>({
      loss: (p, batch, rng) => {
        (given.at(-1) as { noise: number[] }).noise = words(rng);
        return sum(mul(p.w, batch.length));
      },
      optimizer: sgd({ lr: 0.1 }),
    });
    const source = (rng: Rng) => {
      const data = words(rng);
      given.push({ data, noise: [] });
      return data;
    };
    trainer.fit({ w: tensor([1]) }, source, { epochs: 2, stepsPerEpoch: 3, seed: 5 });
    const root = Rng.fromSeed(5);
    expect(given.map((g) => g.data)).toEqual([0, 1, 2, 3, 4, 5].map((s) => words(root.fold("data", s))));
    expect(given.map((g) => g.noise)).toEqual([0, 1, 2, 3, 4, 5].map((s) => words(root.fold("noise", s))));
    const all = [...given.flatMap((g) => [g.data, g.noise]), words(root), words(root.fold("init"))];
    expect(new Set(all.flat()).size).toBe(all.length * 8);
  });

  it("default training batches and default evaluation trials are different trials", () => {
    const task = createTask("PerceptualDecisionMaking");
    const batches = trialBatches(task, { batchSize: 64 });
    const training = new Set<string>();
    for (let k = 0; k < 8; k++) {
      const b = batches.next().value;
      for (let i = 0; i < 64; i++) training.add(trialKey(b.inputs, b.T, 64, b.obDim, i));
    }
    const { model, seen } = recorder(task.obDim);
    evaluateTrials(model, {}, task, { nTrials: 512 });
    expect(seen).toHaveLength(512);
    expect(training.size).toBe(512);
    expect(seen.filter((trial) => training.has(trial))).toEqual([]);
  });
});
