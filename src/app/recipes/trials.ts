/** Tasks of a run config, held-out trial sets, and running a network over them. */
import { Rng } from "../../base/random.ts";
import { fromData } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { type TrialBatch, trialBatch } from "../../data/trialBatch.ts";
import type { SequenceModel } from "../../models/model.ts";
import { createTask } from "../../tasks/registry.ts";
import type { Task } from "../../tasks/task.ts";
import type { SupervisedConfig } from "./config.ts";
import { type TrialOutcome, scoreTrials } from "../../train/decisions.ts";
import { asConfigError } from "./configErrors.ts";

/** Held-out trials are run through the network in chunks of this many, to bound memory. */
const CHUNK = 1024;

/**
 * The task a run config names, configured with its options (and any extra options, e.g. the
 * training loss mask).
 * @throws ConfigError when the task refuses an option (the message names it and the allowed ones)
 */
export function configuredTask(
  task: SupervisedConfig["task"],
  extra: Readonly<Record<string, unknown>> = {},
): Task {
  return asConfigError("task.options are invalid", () =>
    createTask(task.name, { ...task.options, ...extra }),
  );
}

/**
 * `count` held-out trials of `task` from the evaluation stream of `seed` (`Rng.fromSeed(seed).fold("eval")`,
 * never the training trials of any seed), in time-major batches of at most 1024.
 * @example const sets = heldOutTrials(task, 2000, 1_000_000);
 */
export function heldOutTrials(task: Task, count: number, seed: number): TrialBatch[] {
  const rng = Rng.fromSeed(seed).fold("eval");
  const batches: TrialBatch[] = [];
  for (let done = 0; done < count; done += CHUNK)
    batches.push(trialBatch(task, rng, Math.min(CHUNK, count - done)));
  return batches;
}

/** Runs `model` on a batch's inputs; returns its outputs `[T, B, nOut]` and hidden states `[T, B, H]`. */
export function runBatch(model: SequenceModel, params: Tree, batch: TrialBatch) {
  return model.apply(params, fromData(batch.inputs, [batch.T, batch.batchSize, batch.obDim]));
}

/** Scores every held-out trial (noise-free network, the trials' own input noise). */
export function runTrials(
  model: SequenceModel,
  params: Tree,
  batches: readonly TrialBatch[],
): TrialOutcome[] {
  return batches.flatMap((b) => scoreTrials(b, runBatch(model, params, b).outputs));
}
