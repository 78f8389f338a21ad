/**
 * `braints eval RUN_DIR`: supervised runs: held-out accuracy per trial and per condition, and the
 * psychometric fit; spiking runs: training accuracy and accuracy on fresh spike trains; forecast
 * runs: every horizon's errors from the saved readouts.
 */
import { Command } from "commander";
import type { SupervisedConfig } from "../../app/recipes/config.ts";
import type { Run } from "../../app/runs/run.ts";
import { integer } from "../parse.ts";

// The application layer (and the schema library under it) loads when the command runs, not for `--help`.
const app = async () => {
  const [recipes, trials, runs] = await Promise.all([
    import("../../app/recipes/parseConfig.ts"),
    import("../../app/recipes/trials.ts"),
    import("../../app/runs/index.ts"),
  ]);
  return { ...recipes, ...trials, ...runs };
};
type App = Awaited<ReturnType<typeof app>>;

interface EvaluateOptions {
  readonly trials: number;
  readonly seed?: number;
  readonly task?: string;
  readonly taskOptions?: string;
}

function taskOptions({ ConfigError }: App, text: string): Record<string, unknown> {
  let given: unknown;
  try {
    given = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--task-options must be a JSON object, got ${text} (${(e as Error).message})`);
  }
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new ConfigError(`--task-options must be a JSON object, got ${text}`);
  }
  return given as Record<string, unknown>;
}

function evalSupervised(a: App, run: Run, config: SupervisedConfig, options: EvaluateOptions): void {
  const given = options.taskOptions === undefined ? {} : taskOptions(a, options.taskOptions);
  // The run's options with the given ones merged in; another task gets its defaults and the run's dtMs.
  const spec = a.evaluationTask(config, options.task ?? config.task.name, given);
  const parsed = a.parseRunConfig({ task: spec });
  const trained = a.configuredTask(config.task).dtMs;
  const asked = parsed.kind === "supervised" ? a.configuredTask(parsed.task).dtMs : trained;
  if (asked !== trained) {
    throw new a.ConfigError(
      `eval: --task-options dtMs must be the ${trained} ms ${run.dir} was trained at, got ${asked}: the network's time constants count steps, so at another step it computes another function. Drop dtMs from --task-options`,
    );
  }
  const e = a.evaluateRun(run, {
    trials: options.trials,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(parsed.kind === "supervised" ? { task: parsed.task } : {}),
  });
  console.log(`${e.task}: held-out accuracy ${e.accuracy.toFixed(4)} over ${e.trials} trials`);
  console.log(`task: ${spec.name} ${JSON.stringify(spec.options)}`);
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
  console.log(`\nwrote ${e.file}`);
}

async function evaluate(dir: string, options: EvaluateOptions, trialsGiven: boolean): Promise<void> {
  const a = await app();
  const run = a.Run.open(dir);
  const { config } = run;
  if (config.kind !== "supervised" && (options.task !== undefined || options.taskOptions !== undefined)) {
    throw new a.ConfigError(
      `eval: --task and --task-options are for supervised runs; ${dir} is a ${config.kind} run`,
    );
  }
  switch (config.kind) {
    case "supervised":
      return evalSupervised(a, run, config, options);
    case "spiking": {
      const { evaluation: e } = a.evaluateSpikingRun(run, config, {
        ...(trialsGiven ? { samples: options.trials } : {}),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
      });
      console.log(`training accuracy ${e.trainAccuracy.toFixed(4)} over ${config.data.samples} samples`);
      console.log(
        `held-out accuracy ${e.heldOutAccuracy.toFixed(4)} over ${e.samples} fresh spike trains (seed ${e.seed}; labels are random, so chance is 0.5)`,
      );
      return;
    }
    case "forecast": {
      for (const f of a.evaluateForecastRun(run, config).fits)
        console.log(
          `${f.horizon}-step ahead: train MSE ${f.trainMse.toExponential(3)}, test MSE ${f.testMse.toExponential(3)}, test NRMSE ${f.testNrmse.toExponential(3)}`,
        );
      return;
    }
  }
}

/** The `eval` command. */
export function evalCommand(): Command {
  return new Command("eval")
    .description(
      "score a trained run: held-out trials (its task, or another task or timing), fresh spike trains, or the forecast errors",
    )
    .argument("<run-dir>", "run directory")
    .option(
      "--trials <n>",
      "held-out trials (fresh spike trains for a spiking run)",
      integer("--trials", 1),
      2000,
    )
    .option("--seed <n>", "seed of the trials", integer("--seed", 0))
    .option("--task <name>", "evaluate on another task with the same inputs and actions")
    .option(
      "--task-options <json>",
      'task options as JSON, merged into the run\'s, e.g. \'{"timing":{"stimulus":500}}\' (dtMs stays the trained one)',
    )
    .action((dir: string, options: EvaluateOptions, command: Command) =>
      evaluate(dir, options, command.getOptionValueSource("trials") === "cli"),
    );
}
