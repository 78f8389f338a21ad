/** Example trials for figures: inputs, targets, loss mask, periods and the network's choice probabilities. */
import { Rng } from "../../base/random.ts";
import type { Tree } from "../../core/tree.ts";
import { trialBatch } from "../../data/trialBatch.ts";
import type { SequenceModel } from "../../models/model.ts";
import type { TrialPeriod } from "../../plot/periods.ts";
import type { Task } from "../../tasks/task.ts";
import { scoreTrials } from "../../train/decisions.ts";
import { runBatch } from "./trials.ts";

/** One trial as rows over time, ready for `trialPlot`. */
export interface ExampleTrial {
  /** `[T, obDim]` observations. */
  readonly inputs: number[][];
  /** `[T]` target actions. */
  readonly targets: number[];
  /** `[T]` loss weight per step (the task's mask). */
  readonly mask: number[];
  readonly periods: TrialPeriod[];
  /** `[T, nActions]` softmax of the outputs. */
  readonly probabilities: number[][];
  /** `[T, H]` hidden states. */
  readonly hidden: number[][];
  readonly conditions: Readonly<Record<string, unknown>>;
  /** The target action at the decision step, and the network's choice there. */
  readonly target: number;
  readonly choice: number;
  readonly correct: boolean;
}

function softmax(row: ArrayLike<number>): number[] {
  const values = Array.from(row);
  const top = Math.max(...values);
  const e = values.map((v) => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/** Trials drawn to find examples of `count` different target classes. */
const POOL_PER_EXAMPLE = 8;

/**
 * `count` held-out trials of `task` (from the evaluation stream of `seed`), run through the network, of different target classes
 * where the task has that many (the first trial of each class in the order drawn), so two examples
 * show two answers.
 * @example exampleTrials(model, params, task, 2, 0).map((t) => t.target) // e.g. [2, 1]
 */
export function exampleTrials(
  model: SequenceModel,
  params: Tree,
  task: Task,
  count: number,
  seed: number,
): ExampleTrial[] {
  const batch = trialBatch(task, Rng.fromSeed(seed).fold("eval"), Math.max(count * POOL_PER_EXAMPLE, 16));
  const { outputs, hidden } = runBatch(model, params, batch);
  const outcomes = scoreTrials(batch, outputs);
  const firstOfClass = outcomes.flatMap((o, b) =>
    outcomes.findIndex((p) => p.target === o.target) === b ? [b] : [],
  );
  const picked = [
    ...firstOfClass,
    ...outcomes.map((_, b) => b).filter((b) => !firstOfClass.includes(b)),
  ].slice(0, count);
  const { batchSize: B, obDim: D } = batch;
  const O = outputs.shape[2] as number;
  const H = hidden.shape[2] as number;
  const rowsOf = (
    data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
    b: number,
    n: number,
    width: number,
  ) =>
    Array.from({ length: n }, (_, t) =>
      Array.from(data.subarray((t * B + b) * width, (t * B + b + 1) * width)),
    );
  return picked.map((b) => {
    const outcome = outcomes[b] as (typeof outcomes)[number];
    const info = batch.trials[b] as (typeof batch.trials)[number];
    const n = batch.lengths[b] as number;
    const steps = Array.from({ length: n }, (_, t) => t);
    return {
      inputs: rowsOf(batch.inputs, b, n, D),
      targets: steps.map((t) => batch.target[t * B + b] as number),
      mask: steps.map((t) => batch.mask[t * B + b] as number),
      periods: Object.entries(info.periods).map(([name, p]) => ({
        name,
        startMs: p.start * info.dtMs,
        endMs: p.end * info.dtMs,
      })),
      probabilities: steps.map((t) => softmax(outputs.data.subarray((t * B + b) * O, (t * B + b + 1) * O))),
      hidden: rowsOf(hidden.data, b, n, H),
      conditions: outcome.conditions,
      target: outcome.target,
      choice: outcome.choice,
      correct: outcome.correct,
    };
  });
}
