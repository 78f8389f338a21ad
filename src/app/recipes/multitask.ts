/**
 * Multitask runs: a run config's `task.name` may name several tasks, and one network then learns
 * them all, interleaved trial by trial with a one-hot rule input (NeuroGym's `ScheduleEnvs` with
 * `env_input=True`). The name is either a collection of tasks (`yang19`: its 20 tasks) or a
 * comma-separated list of registered tasks (`yang19.go,yang19.anti,yang19.dm1`).
 */
import { yang19TaskNames } from "../../tasks/collections/yang19.ts";
import { didYouMean } from "../../base/suggest.ts";
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
