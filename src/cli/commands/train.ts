/** `braints train`: train a model from flags or a config file into a run directory, or resume one. */
import { Command } from "commander";
import { join } from "node:path";
import { existsSync } from "node:fs";
import type { RunConfig } from "../../app/recipes/runConfig.ts";
import { CONFIG_FLAGS, configFromFlags, mergeConfig, requestedKind } from "../flags.ts";
import { type Interrupted, type TrainJob, type TrainOutcome, trainInChild } from "../trainProcess.ts";

// The application layer, the schema library and the progress bar load when the command runs, not for `--help`.
const app = async () => {
  const [recipes, runs, configFile, progress, recipe] = await Promise.all([
    import("../../app/recipes/parseConfig.ts"),
    import("../../app/runs/index.ts"),
    import("../../app/configFile.ts"),
    import("../progress.ts"),
    import("../../app/runs/bpttRecipe.ts"),
  ]);
  return { ...recipes, ...runs, ...configFile, ...progress, ...recipe };
};
type App = Awaited<ReturnType<typeof app>>;

interface TrainOptions extends Record<string, unknown> {
  readonly config?: string;
  readonly out?: string;
  readonly resume?: string;
  readonly report: boolean;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** The default run directory name: what is trained on, by what, and when. */
function runName(config: RunConfig): string {
  switch (config.kind) {
    case "supervised":
      return `${config.task.name.replaceAll(",", "+")}-${config.model.type}`;
    case "spiking":
      return "spikeTrains-spikingClassifier";
    case "forecast":
      return `${config.series.name}-${config.model.type === "esn" ? "esn" : "ngrc"}`;
  }
}

/** The job the flags ask for: resume a run, or start one (its config checked here, before any work). */
function job(a: App, options: TrainOptions): TrainJob {
  const { ConfigError, readConfigFile, parseRunConfig } = a;
  const file = options.config ? readConfigFile(options.config) : undefined;
  const { config: flagConfig, paths } = configFromFlags(options, requestedKind(options, file));
  if (options.resume !== undefined) {
    const given = [
      ...paths.values(),
      ...(options.config ? ["--config"] : []),
      ...(options.out ? ["--out"] : []),
    ];
    if (given.length > 0) {
      throw new ConfigError(`--resume continues with the run's saved config; drop ${given.join(", ")}`);
    }
    return { kind: "resume", dir: options.resume };
  }
  const raw = mergeConfig(file, flagConfig);
  const config = parseRunConfig(raw ?? {}, {
    source: options.config ?? "config",
    describeKey: (path) => (paths.has(path) ? `${paths.get(path)} (${path})` : path),
  });
  // What the config check cannot see (task and model options) is refused here, before any work.
  a.withRecipe(config, { bptt: () => undefined, forecast: () => undefined });
  return { kind: "start", dir: options.out ?? join("runs", `${runName(config)}-${timestamp()}`), config };
}

/** What to tell a user who pressed Ctrl-C: where training got to and how to continue. */
function interrupted(dir: string, where: Interrupted): string {
  const reached =
    where.step === undefined
      ? "before the first update"
      : `at step ${where.step}${where.totalSteps === undefined ? "" : ` of ${where.totalSteps}`}`;
  if (!existsSync(join(dir, "config.json"))) {
    return `interrupted ${reached}; nothing was saved (${dir} was not created yet)`;
  }
  const saved = where.checkpoint
    ? `the last checkpoint is after epoch ${where.checkpoint.epoch} (step ${where.checkpoint.step})`
    : "no epoch had finished, so it starts over";
  return `interrupted ${reached} in ${dir}; ${saved}. Continue with:\n  braints train --resume ${dir}`;
}

/** The `train` command. */
export function trainCommand(): Command {
  const command = new Command("train")
    .description(
      "train a recurrent network on a cognitive task (--kind spiking: a spiking classifier on spike trains; --kind forecast: NG-RC on a chaotic series); writes a run directory with checkpoints and a report",
    )
    .option("-c, --config <file>", "JSON or YAML config (flags override it)")
    .option("-o, --out <dir>", "run directory (default runs/DATA-MODEL-TIME)")
    .option("--resume <dir>", "continue a run from its last checkpoint with its saved config")
    .option("--no-report", "skip the evaluation, analysis and report at the end");
  for (const flag of CONFIG_FLAGS) command.option(flag.flag, flag.help);
  return command.action(async (options: TrainOptions) => {
    const a = await app();
    const { Run, formatMetric, metricLabels, progressHooks, reportRun } = a;
    const todo = job(a, options);
    const hooks = progressHooks();
    let outcome: TrainOutcome;
    try {
      outcome = await trainInChild(
        todo,
        { ...hooks, onWarning: (m) => console.warn(`warning: ${m}`) },
        (where) => {
          hooks.stop();
          process.stderr.write(`\n${interrupted(todo.dir, where)}\n`);
          process.exit(130);
        },
      );
    } finally {
      hooks.stop();
    }
    const run = Run.open(outcome.dir);
    if (outcome.resumedFrom) console.log(`resumed from ${outcome.resumedFrom}`);
    const last = run.readMetrics().at(-1);
    const metrics = metricLabels(run.config)
      .map(({ key, label }) => `${label} ${formatMetric(last?.metrics[key])}`)
      .join(", ");
    const what = outcome.step === undefined ? "solved the ridge readouts" : `trained ${outcome.step} steps`;
    console.log(`${what} in ${run.dir}: loss ${formatMetric(last?.trainLoss, 4)}, ${metrics}`);
    if (!options.report) return;
    console.log("evaluating, analysing and writing the report ...");
    const { path, headline } = await reportRun(run);
    console.log(headline);
    console.log(`report: ${path}`);
  });
}
