/** The tasks `braints train` can train on, apart from the config schema so listing them loads no schema library. */
import { type TaskName, taskNames, tasks } from "../../tasks/registry.ts";

/** Tasks that can be trained with supervised trials: classification targets, not RL-only. */
export const SUPERVISED_TASKS: readonly TaskName[] = taskNames.filter((name) => {
  const spec = tasks[name] as { readonly rlOnly?: boolean; readonly regression?: boolean };
  return spec.rlOnly !== true && spec.regression !== true;
});
