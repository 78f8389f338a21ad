/** `braints train`: train a model from flags or a config file into a run directory, or resume one. */
import { Command } from "commander";
import { join } from "node:path";
import { reportRun } from "../../runs/results.ts";
import { type TrainedRun, resumeRun, startRun } from "../../runs/train.ts";
import { ConfigError, parseRunConfig } from "../../train/recipes/parseConfig.ts";
import { readConfigFile } from "../configFile.ts";
import { CONFIG_FLAGS, configFromFlags, mergeConfig } from "../flags.ts";
import { progressHooks } from "../progress.ts";

interface TrainOptions extends Record<string, unknown> {
  readonly config?: string;
  readonly out?: string;
  readonly resume?: string;
  readonly report: boolean;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

function train(options: TrainOptions): TrainedRun {
  const { config: flagConfig, paths } = configFromFlags(options);
  const hooks = progressHooks();
  try {
    if (options.resume !== undefined) {
      const given = [
        ...paths.values(),
        ...(options.config ? ["--config"] : []),
        ...(options.out ? ["--out"] : []),
      ];
      if (given.length > 0) {
        throw new ConfigError(`--resume continues with the run's saved config; drop ${given.join(", ")}`);
      }
      return resumeRun(options.resume, hooks);
    }
    const raw = mergeConfig(options.config ? readConfigFile(options.config) : undefined, flagConfig);
    const config = parseRunConfig(raw ?? {}, {
      source: options.config ?? "config",
      describeKey: (path) => (paths.has(path) ? `${paths.get(path)} (${path})` : path),
    });
    const dir = options.out ?? join("runs", `${config.task.name}-${config.model.type}-${timestamp()}`);
    return startRun(dir, config, hooks);
  } finally {
    hooks.stop();
  }
}

/** The `train` command. */
export function trainCommand(): Command {
  const command = new Command("train")
    .description(
      "train a recurrent network on a cognitive task; writes a run directory with checkpoints and a report",
    )
    .option("-c, --config <file>", "JSON or YAML config (flags override it)")
    .option("-o, --out <dir>", "run directory (default runs/TASK-MODEL-TIME)")
    .option("--resume <dir>", "continue a run from its last checkpoint with its saved config")
    .option("--no-report", "skip the evaluation, analysis and report at the end");
  for (const flag of CONFIG_FLAGS) command.option(flag.flag, flag.help);
  return command.action(async (options: TrainOptions) => {
    const { run, state, resumedFrom } = train(options);
    if (resumedFrom) console.log(`resumed from ${resumedFrom.path}`);
    const last = run.readMetrics().at(-1);
    console.log(
      `trained ${state.step} steps in ${run.dir}: loss ${last?.trainLoss.toFixed(4)}, held-out accuracy ${last?.metrics["accuracy"]?.toFixed(3)}`,
    );
    if (!options.report) return;
    console.log("evaluating, analysing and writing the report ...");
    const { path, evaluation } = await reportRun(run);
    console.log(`held-out accuracy ${evaluation.accuracy.toFixed(3)} over ${evaluation.trials} trials`);
    console.log(`report: ${path}`);
  });
}
