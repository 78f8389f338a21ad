/**
 * Held-out evaluation is disjoint from training by construction: for a run's whole training (every
 * trial of every update) and every held-out set it scores, no trial is shared, whatever the seeds.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { mul } from "../../src/core/ops/elementwise.ts";
import { sum } from "../../src/core/ops/reduce.ts";
import type { Tree } from "../../src/core/tree.ts";
import { type Tensor, tensor } from "../../src/core/tensor.ts";
import { sgd } from "../../src/optim/sgd.ts";
import { Trainer } from "../../src/train/trainer.ts";
import type { SupervisedConfig } from "../../src/app/recipes/config.ts";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import type { SpikingConfig } from "../../src/app/recipes/spikingConfig.ts";
import { spikingRecipe } from "../../src/app/recipes/spiking.ts";
import { type TrainingBatch, supervisedRecipe } from "../../src/app/recipes/supervised.ts";
import { heldOutTrials } from "../../src/app/recipes/trials.ts";
import { finalEvaluationSeed } from "../../src/app/recipes/runConfig.ts";
import { spikeTrainTensors } from "../../src/train/spikeTrains.ts";

/**
 * Trial `b` of a time-major `[T, B, D]` array as a 64-bit fingerprint of its steps (padding, that is
 * trailing all-zero steps, dropped): two FNV-style hashes of the numbers' bits.
 */
function trialKey(data: Float32Array | Float64Array, T: number, B: number, D: number, b: number): string {
  const bits = new Uint32Array(data.buffer, data.byteOffset, (data.length * data.BYTES_PER_ELEMENT) / 4);
  const W = data.BYTES_PER_ELEMENT / 4;
  const zeroRow = (t: number) => bits.subarray((t * B + b) * D * W, (t * B + b + 1) * D * W).every((v) => v === 0);
  let steps = T;
  while (steps > 0 && zeroRow(steps - 1)) steps--;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let t = 0; t < steps; t++) {
    for (let d = 0; d < D * W; d++) {
      const v = bits[(t * B + b) * D * W + d] as number;
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 ^ v ^ (h2 >>> 15), 0x85ebca6b);
    }
  }
  return `${steps}:${h1 >>> 0}:${h2 >>> 0}`;
}

/** Every training trial of a supervised run: its recipe's batches, drawn by a Trainer as a run draws them. */
function trainingTrials(config: SupervisedConfig): Set<string> {
  const recipe = supervisedRecipe(config);
  const seen = new Set<string>();
  const trainer = new Trainer<{ w: Tensor }, TrainingBatch>({
    // The model does not matter here, only which trials the trainer is handed.
    loss: (p, batch) => {
      const [T, B, D] = batch.x.shape as [number, number, number];
      for (let b = 0; b < B; b++) seen.add(trialKey(batch.x.data, T, B, D, b));
      return sum(mul(p.w, p.w));
    },
    optimizer: sgd({ lr: 0.1 }),
  });
  trainer.fit({ w: tensor([1]) }, recipe.batches, recipe.fitOptions);
  return seen;
}

/** The held-out trials a supervised run scores: after every epoch, and at the end (`braints eval`). */
function evaluationTrials(config: SupervisedConfig): string[] {
  const recipe = supervisedRecipe(config);
  const final = heldOutTrials(recipe.task, 2000, finalEvaluationSeed(config));
  return [...recipe.heldOut.flatMap((set) => set.batches), ...final].flatMap((batch) =>
    Array.from({ length: batch.batchSize }, (_, b) =>
      trialKey(batch.inputs, batch.T, batch.batchSize, batch.obDim, b),
    ),
  );
}

describe("held-out evaluation", () => {
  it.each([
    ["the default run (README)", {}],
    // Shorter runs: a shared stream would show in the first trials.
    ["equal training and evaluation seeds", { training: { seed: 7, epochs: 2 }, evaluation: { seed: 7 } }],
    ["evaluation seed = training seed - 1", { training: { seed: 8, epochs: 2 }, evaluation: { seed: 7 } }],
    // Tasks with input noise (a noiseless reach task has few distinct trials, so some must recur).
    [
      "a multitask run, per task",
      {
        task: { name: "yang19.dm1,yang19.ctxdlydm2,yang19.dnmc" },
        training: { seed: 7, epochs: 2, stepsPerEpoch: 25, batchSize: 4 },
        evaluation: { seed: 7, trials: 64 },
      },
    ],
  ])("shares no trial with training: %s", (_, input) => {
    const config = parseRunConfig(input) as SupervisedConfig;
    const training = trainingTrials(config);
    const { epochs, stepsPerEpoch, batchSize } = config.training;
    // PerceptualDecisionMaking trials carry input noise: every one is distinct.
    expect(training.size).toBe(epochs * stepsPerEpoch * batchSize);
    const evaluation = evaluationTrials(config);
    const tasks = config.task.name.split(",").length;
    expect(evaluation).toHaveLength(tasks * config.evaluation.trials + 2000);
    expect(evaluation.filter((trial) => training.has(trial))).toEqual([]);
  });

  it("the initial parameters are not drawn from the first batch's stream", () => {
    const recipe = supervisedRecipe(parseRunConfig({ model: { hidden: 8 } }) as SupervisedConfig);
    let first: Rng | undefined;
    new Trainer<Tree, TrainingBatch>({ ...recipe.trainerOptions, evaluate: () => ({}) }).fit(
      recipe.initialParams(),
      (rng, step) => ((first ??= rng.clone()), recipe.batches(rng, step)),
      { ...recipe.fitOptions, epochs: 1, stepsPerEpoch: 1 },
    );
    const fromBatchStream = recipe.network.model.init(first as Rng) as { cell: { wRec: Tensor } };
    const initial = recipe.initialParams() as { cell: { wRec: Tensor } };
    expect(Array.from(initial.cell.wRec.data)).not.toEqual(Array.from(fromBatchStream.cell.wRec.data));
  });

  it("turning recurrent noise on changes no training batch", () => {
    const batchesSeen = (sigmaRec: number) => {
      const config = parseRunConfig({
        model: { hidden: 8, sigmaRec },
        training: { epochs: 1, stepsPerEpoch: 4, batchSize: 4 },
        evaluation: { trials: 8 },
      }) as SupervisedConfig;
      const recipe = supervisedRecipe(config);
      const seen: string[] = [];
      new Trainer<Tree, TrainingBatch>(recipe.trainerOptions).fit(
        recipe.initialParams(),
        (rng, step) => {
          const batch = recipe.batches(rng, step);
          seen.push(JSON.stringify(Array.from(batch.x.data)));
          return batch;
        },
        recipe.fitOptions,
      );
      return seen;
    };
    const quiet = batchesSeen(0);
    expect(new Set(quiet).size).toBe(4);
    expect(batchesSeen(0.5)).toEqual(quiet);
  });

  it("a spiking run's fresh spike trains are never its training trains, even with one seed for both", () => {
    const config = parseRunConfig({
      kind: "spiking",
      data: { samples: 32, steps: 200, inputs: 20, rateHz: 50 },
      training: { seed: 3 },
      evaluation: { samples: 32, seed: 3 },
    }) as SpikingConfig;
    const recipe = spikingRecipe(config);
    const samples = (xs: Tensor) => {
      const [T, B, D] = xs.shape as [number, number, number];
      return Array.from({ length: B }, (_, b) => trialKey(xs.data, T, B, D, b));
    };
    const training = new Set(samples(recipe.train.xs));
    expect(training.size).toBe(32);
    expect(samples(spikeTrainTensors(recipe.heldOut).xs).filter((s) => training.has(s))).toEqual([]);
  });
});
