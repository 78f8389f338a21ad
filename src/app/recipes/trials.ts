/** Tasks of a run config, held-out trial sets, and running a network over them. */
import { Rng } from "../../base/random.ts";
import { fromData } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { type TrialBatch, trialBatch } from "../../data/trialBatch.ts";
import type { SequenceModel } from "../../models/model.ts";
import { createTask } from "../../tasks/registry.ts";
import { randomSchedule } from "../../tasks/schedules.ts";
import type { Task } from "../../tasks/task.ts";
import { scheduleEnvs } from "../../tasks/wrappers.ts";
import type { SupervisedConfig } from "./config.ts";
import { type TrialOutcome, scoreTrials } from "../../train/decisions.ts";
import { asConfigError } from "./configErrors.ts";
import { taskList } from "./multitask.ts";

/** Held-out trials are run through the network in chunks of this many, to bound memory. */
const CHUNK = 1024;

/**
 * The task a run config names, configured with its options (and any extra options, e.g. the
 * training loss mask). Several tasks (a collection such as `yang19`, or a comma-separated list)
 * become one: a trial of a uniformly drawn other task each time (NeuroGym's random schedule), with
 * a one-hot rule input appended (one column per task, in the listed order), every task configured
 * with the same options.
 * @throws ConfigError when a task refuses an option (the message names it and the allowed ones) or
 *   the tasks do not share the input width, action count and `dtMs`
 */
export function configuredTask(
  task: SupervisedConfig["task"],
  extra: Readonly<Record<string, unknown>> = {},
): Task {
  const options = { ...task.options, ...extra };
  const names = taskList(task.name);
  return asConfigError("task.options are invalid", () =>
    names.length === 1
      ? createTask(task.name, options)
      : scheduleEnvs(
          names.map((n) => createTask(n, options)),
          randomSchedule(names.length),
          { envInput: true, names },
        ),
  );
}

/**
 * The task a run trains on: its configured task (see {@link configuredTask}) whose trials carry the
 * loss mask the training scores them with, `training.lossOn`: weight 1 on every step for `"all"`,
 * on the response periods' steps only (zero elsewhere) for `"decision"`. A figure of a training
 * trial draws its mask from this task, so it shows the weights the loss uses.
 */
export function trainingTask(config: Pick<SupervisedConfig, "task" | "training">): Task {
  return configuredTask(config.task, { lossMask: config.training.lossOn });
}

/** The held-out trials of one task of a run. */
export interface HeldOutSet {
  /** The task's name (for a multitask run, as listed in the config). */
  readonly name: string;
  readonly batches: readonly TrialBatch[];
}

/**
 * The held-out trials a run scores after every epoch: `count` trials of its task, or of each of
 * its tasks for a multitask run. A single task draws from `Rng.fromSeed(seed).fold("eval")`; task
 * `name` of several from `fold("eval", name)` with its rule input set, so the sets are apart from
 * each other and, being `"eval"` streams, never training trials (`"data"`) of any seed.
 * @param task the configured task (from {@link configuredTask} of the same spec)
 */
export function heldOutSets(
  spec: SupervisedConfig["task"],
  task: Task,
  count: number,
  seed: number,
): HeldOutSet[] {
  const names = taskList(spec.name);
  if (names.length === 1) return [{ name: spec.name, batches: heldOutTrials(task, count, seed) }];
  return names.map((name, envIndex) => ({
    name,
    batches: chunks(task, Rng.fromSeed(seed).fold("eval", name), count, { envIndex }),
  }));
}

/**
 * `count` held-out trials of `task` from the evaluation stream of `seed` (`Rng.fromSeed(seed).fold("eval")`,
 * never the training trials of any seed), in time-major batches of at most 1024.
 * @example const sets = heldOutTrials(task, 2000, 1_000_000);
 */
export function heldOutTrials(task: Task, count: number, seed: number): TrialBatch[] {
  return chunks(task, Rng.fromSeed(seed).fold("eval"), count);
}

/** `count` trials of `task` from `rng` in batches of at most {@link CHUNK}. */
function chunks(task: Task, rng: Rng, count: number, conditions?: Record<string, unknown>): TrialBatch[] {
  const batches: TrialBatch[] = [];
  for (let done = 0; done < count; done += CHUNK)
    batches.push(trialBatch(task, rng, Math.min(CHUNK, count - done), conditions ? { conditions } : {}));
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
