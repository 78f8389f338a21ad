/** `braints eval RUN_DIR`: held-out accuracy per trial and per condition, and the psychometric fit. */
import { Command } from "commander";
import { evaluateRun } from "../../runs/results.ts";
import { Run } from "../../runs/run.ts";
import { ConfigError, parseRunConfig } from "../../train/recipes/parseConfig.ts";
import { integer } from "../parse.ts";

interface EvalOptions {
  readonly trials: number;
  readonly seed?: number;
  readonly task?: string;
  readonly taskOptions?: string;
}

function taskOptions(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--task-options must be a JSON object, got ${text} (${(e as Error).message})`);
  }
}

/** The `eval` command. */
export function evalCommand(): Command {
  return new Command("eval")
    .description("score a trained run on held-out trials (its task, or another task or timing)")
    .argument("<run-dir>", "run directory")
    .option("--trials <n>", "held-out trials", integer("--trials", 1), 2000)
    .option("--seed <n>", "seed of the trials", integer("--seed", 0))
    .option("--task <name>", "evaluate on another task with the same inputs and actions")
    .option("--task-options <json>", 'task options as JSON, e.g. \'{"timing":{"stimulus":500}}\'')
    .action((dir: string, options: EvalOptions) => {
      const run = Run.open(dir);
      const other = options.task !== undefined || options.taskOptions !== undefined;
      const name = options.task ?? run.config.task.name;
      const sameTask = name === run.config.task.name;
      const given = options.taskOptions === undefined ? undefined : taskOptions(options.taskOptions);
      // Another task starts from its own defaults; the run's task keeps the run's options unless given.
      const task = other
        ? parseRunConfig({ task: { name, options: given ?? (sameTask ? run.config.task.options : {}) } }).task
        : undefined;
      const e = evaluateRun(run, {
        trials: options.trials,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(task ? { task } : {}),
      });
      console.log(`${e.task}: held-out accuracy ${e.accuracy.toFixed(4)} over ${e.trials} trials`);
      for (const [name, rows] of Object.entries(e.byCondition)) {
        console.log(`\nby ${name}:`);
        for (const r of rows)
          console.log(
            `  ${String(r.value).padEnd(10)} ${r.accuracy.toFixed(3)} ± ${r.se.toFixed(3)}  (${r.n} trials)`,
          );
      }
      for (const fit of e.psychometric?.fits ?? []) {
        console.log(`\npsychometric ${fit.link} fit: mu ${fit.mu.toFixed(3)}, sigma ${fit.sigma.toFixed(3)}`);
      }
    });
}
