/** Example trials for the report: inputs, targets and the network's choice probabilities. */
import { Rng } from "../../base/random.ts";
import type { Tree } from "../../core/tree.ts";
import { trialBatch } from "../../data/trialBatch.ts";
import type { SequenceModel } from "../../models/model.ts";
import type { Task } from "../../tasks/task.ts";
import { scoreTrials } from "../../train/decisions.ts";
import { runBatch } from "../recipes/trials.ts";

/** One trial as rows over time, ready for `trialPlot`. */
export interface ExampleTrial {
  /** `[T, obDim]` observations. */
  readonly inputs: number[][];
  /** `[T]` target actions. */
  readonly targets: number[];
  /** `[T, nActions]` softmax of the outputs. */
  readonly probabilities: number[][];
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly correct: boolean;
}

function softmax(row: ArrayLike<number>): number[] {
  const values = Array.from(row);
  const top = Math.max(...values);
  const e = values.map((v) => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/**
 * `count` held-out trials of `task` (from the evaluation stream of `seed`), run through the network.
 * @example exampleTrials(model, params, task, 3, 0)[0].probabilities
 */
export function exampleTrials(
  model: SequenceModel,
  params: Tree,
  task: Task,
  count: number,
  seed: number,
): ExampleTrial[] {
  const batch = trialBatch(task, Rng.fromSeed(seed).fold("eval"), count);
  const { outputs } = runBatch(model, params, batch);
  const outcomes = scoreTrials(batch, outputs);
  const { batchSize: B, obDim: D } = batch;
  const O = outputs.shape[2] as number;
  return outcomes.map((outcome, b) => {
    const steps = Array.from({ length: batch.lengths[b] as number }, (_, t) => t);
    const at = (t: number) => (t * B + b) * D;
    return {
      inputs: steps.map((t) => Array.from(batch.inputs.subarray(at(t), at(t) + D))),
      targets: steps.map((t) => batch.target[t * B + b] as number),
      probabilities: steps.map((t) => softmax(outputs.data.subarray((t * B + b) * O, (t * B + b + 1) * O))),
      conditions: outcome.conditions,
      correct: outcome.correct,
    };
  });
}
