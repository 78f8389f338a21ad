/**
 * Multitask runs: a run config's `task.name` may name several tasks, and one network then learns
 * them all, interleaved trial by trial with a one-hot rule input (NeuroGym's `ScheduleEnvs` with
 * `env_input=True`). The name is either a collection of tasks (`yang19`: its 20 tasks) or a
 * comma-separated list of registered tasks (`yang19.go,yang19.anti,yang19.dm1`).
 */
import { yang19TaskNames } from "../../tasks/collections/yang19.ts";
import { didYouMean } from "../../base/suggest.ts";
import type { SupervisedConfigInput } from "./config.ts";
import { SUPERVISED_TASKS } from "./supervisedTasks.ts";

/** Names that stand for a list of tasks trained together. */
export const MULTITASK_COLLECTIONS: Readonly<Record<string, readonly string[]>> = {
  yang19: yang19TaskNames.map((n) => `yang19.${n}`),
};

/**
 * The registered tasks a config's `task.name` trains on: one for a single task, the collection's
 * tasks for a collection name, the listed ones for a comma-separated list (spaces ignored).
 * @example taskList("yang19.go, yang19.anti") // ["yang19.go", "yang19.anti"]
 */
export function taskList(name: string): readonly string[] {
  const collection = MULTITASK_COLLECTIONS[name];
  if (collection) return collection;
  return name.split(",").map((n) => n.trim());
}

/** Whether `name` trains on more than one task. */
export const isMultitask = (name: string): boolean => taskList(name).length > 1;

/**
 * What is wrong with a config's `task.name`, or `undefined` when it names trainable tasks: every
 * listed name a supervised task, none twice.
 */
export function taskNameProblem(name: string): string | undefined {
  const names = taskList(name);
  const known: readonly string[] = SUPERVISED_TASKS;
  for (const n of names) {
    if (!known.includes(n)) {
      const collections = Object.keys(MULTITASK_COLLECTIONS);
      return `'${n}' is not a supervised task; name one of ${known.join(", ")}, a collection (${collections.join(", ")}) or a comma-separated list of tasks${didYouMean(n, [...known, ...collections])}`;
    }
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  return twice === undefined ? undefined : `'${twice}' is listed twice`;
}

/**
 * NeuroGym's reference recipe for the Yang-19 collection as a run config: 256 leaky ReLU units
 * (τ 100 ms, so at dt 100 ms α = 1), dt 100 ms, 40,000 updates (20 epochs of 2,000) of 16 trials,
 * Adam 1e-3, gradients clipped to norm 1, cross-entropy on every step; 512 held-out trials per task
 * after every epoch. The fixation cue stays on until the decision in every task (`fixationCue:
 * "untilDecision"`, as in Yang et al.'s tasks; NeuroGym 2.2 shows it in the fixation period only in
 * the decision and matching tasks).
 *
 * Why 16 trials per update where NeuroGym's example says batch 4: its batches are 4 windows of 100
 * steps cut from a stream of concatenated trials, and a Yang-19 trial lasts 6 to 32 steps at dt
 * 100 ms (19.6 on average over the 20 tasks' random schedule), so each of its updates spans about
 * 20 trials. Here a batch is whole trials, padded and masked, so the comparable amount of data per
 * update is `batchSize` 16 to 20; with 4 whole trials per update the same 40,000 updates reach a
 * mean of only 0.73 and leave the matching tasks at chance (measured, docs/examples.md).
 *
 * Its CLI form: `braints train --task yang19 --dt 100 --hidden 256 --tau 100 --activation relu
 * --epochs 20 --steps-per-epoch 2000 --batch-size 16 --lr 0.001 --clip 1 --eval-trials 512`
 * with `task.options.fixationCue: untilDecision` in a config file.
 */
export const YANG19_REFERENCE = {
  task: { name: "yang19", options: { dtMs: 100, fixationCue: "untilDecision" } },
  model: { type: "leakyRNN", hidden: 256, tauMs: 100, activation: "relu" },
  training: { epochs: 20, stepsPerEpoch: 2000, batchSize: 16, optimizer: "adam", lr: 1e-3, clipNorm: 1 },
  evaluation: { trials: 512 },
} as const satisfies SupervisedConfigInput;
