/**
 * What a trained run yields: its model read back, held-out evaluation, population-dynamics analysis
 * (supervised runs) and the HTML report of a run of any kind, each written into the run directory.
 */
import { writeFileAtomic } from "../../io/atomic.ts";
import type { Tree } from "../../core/tree.ts";
import { countParameters } from "../../models/summary.ts";
import { columnNames } from "../../tasks/channels.ts";
import type { SupervisedConfig } from "../recipes/config.ts";
import { type DynamicsAnalysis, type DynamicsOptions, analyzeDynamics } from "../recipes/dynamics.ts";
import { type Evaluation, evaluateNetwork } from "../recipes/evaluation.ts";
import { ConfigError } from "../recipes/parseConfig.ts";
import { finalEvaluationSeed } from "../recipes/runConfig.ts";
import { type SupervisedRecipe, supervisedRecipe } from "../recipes/supervised.ts";
import { configuredTask, heldOutSets } from "../recipes/trials.ts";
import { isMultitask, taskList } from "../recipes/multitask.ts";
import { meanAccuracy, taskPerformance } from "../recipes/taskPerformance.ts";
import { taskCurvesFigure, taskVarianceFigure } from "../report/taskFigures.ts";
import { trainedModelFile } from "./modelFile.ts";
import { choiceAxisTrajectories } from "./choiceAxis.ts";
import { exampleTrials } from "../recipes/examples.ts";
import { lossPoints, reportFigures } from "../report/figures.ts";
import { reportForecastRun } from "../report/forecastReport.ts";
import { reportSpikingRun } from "../report/spikingReport.ts";
import { lesionTable, reportTables, taskPerformanceTable } from "../report/tables.ts";
import { trainingSeconds, writeReport } from "../report/write.ts";
import { analyzePopulation } from "./population.ts";
import type { Run } from "./run.ts";
import { RunDirectoryError } from "./runDirectoryError.ts";

/** A run's network with its trained parameters. */
export interface TrainedModel {
  readonly recipe: SupervisedRecipe;
  readonly params: Tree;
}

/**
 * The config of a supervised run.
 * @throws RunDirectoryError naming `what` for a run of another kind
 */
export function supervisedConfigOf(run: Run, what: string): SupervisedConfig {
  if (run.config.kind !== "supervised") {
    throw new RunDirectoryError("otherKind", run.dir, `${what} is for supervised runs; ${run.dir} is a ${run.config.kind} run`);
  }
  return run.config;
}

/**
 * Reads the run's final model (`model.safetensors`), checked against the network its config builds.
 * @throws RunDirectoryError before training has finished or for a run that is not supervised;
 *   CorruptFileError for a damaged file
 */
export function loadTrainedModel(run: Run): TrainedModel {
  const recipe = supervisedRecipe(supervisedConfigOf(run, "loadTrainedModel"));
  return { recipe, params: run.load(trainedModelFile(run), recipe.initialParams()).params };
}

/** Options of {@link evaluateRun}. */
export interface EvaluateRunOptions {
  /** Held-out trials (default 2000). */
  readonly trials?: number;
  /** Seed of the trials (default: `finalEvaluationSeed`, so they differ from the per-epoch set). */
  readonly seed?: number;
  /**
   * Evaluate on another task or timing: the complete task spec ({@link evaluationTask} merges
   * options into the run's). Its inputs and actions must fit the network, and its `dtMs` must be
   * the one the network was trained at.
   */
  readonly task?: SupervisedConfig["task"];
}

/** An evaluation and the file it was written to. */
export type RunEvaluation = Evaluation & { readonly file: string };

/**
 * The task spec of an evaluation, unchecked (`parseRunConfig({ task })` checks it): the run's task
 * with `options` merged in (objects key by key, so `{ timing: { stimulus: 500 } }` keeps the run's
 * `dtMs` and its other periods), or another task `name` with its own defaults, the run's `dtMs`,
 * and `options`.
 */
export function evaluationTask(
  config: SupervisedConfig,
  name: string = config.task.name,
  options: Readonly<Record<string, unknown>> = {},
): { readonly name: string; readonly options: Record<string, unknown> } {
  const base = name === config.task.name ? config.task.options : { dtMs: configuredTask(config.task).dtMs };
  return { name, options: mergeObjects(base, options) };
}

/** `over` merged into `base`, object by object (arrays and scalars replace). */
function mergeObjects(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(v) && isObject(b) ? mergeObjects(b, v) : v;
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * Scores the trained model on held-out trials and writes the evaluation with its task spec to a new
 * file (`eval.json`, then `eval-2.json`, ...: an evaluation never replaces an earlier one).
 * @throws ConfigError when the task does not fit the network, or steps at another `dtMs` than it was trained at
 * @example const { accuracy, file } = evaluateRun(Run.open("runs/pdm"));
 */
export function evaluateRun(run: Run, options: EvaluateRunOptions = {}): RunEvaluation {
  const { recipe, params } = loadTrainedModel(run);
  const { config } = recipe;
  const spec = options.task ?? config.task;
  const task = configuredTask(spec);
  const { model } = recipe.network;
  if (task.obDim !== model.nIn || task.nActions !== model.nOut) {
    throw new ConfigError(
      `evaluateRun: task ${task.name} must have the network's ${model.nIn} input channels and ${model.nOut} actions, got ${task.obDim} and ${task.nActions}`,
    );
  }
  const trainedDt = configuredTask(config.task).dtMs;
  if (task.dtMs !== trainedDt) {
    throw new ConfigError(
      `evaluateRun: task.options.dtMs must be the ${trainedDt} ms the network was trained at, got ${task.dtMs}. Its time constants count steps (alpha = dtMs / tauMs), so at another step it computes another function`,
    );
  }
  const evaluation = evaluateNetwork(model, params, task, {
    trials: options.trials ?? 2000,
    seed: options.seed ?? finalEvaluationSeed(config),
  });
  const file = run.newFile("eval", "json");
  writeFileAtomic(file, `${JSON.stringify({ ...evaluation, taskSpec: spec }, null, 1)}\n`);
  return { ...evaluation, file };
}

/**
 * PCA of the trained model's hidden trajectories and its fixed points; writes `analysis.json`.
 * @example const { fixedPoints } = analyzeRun(Run.open("runs/pdm"));
 */
export function analyzeRun(run: Run, options: DynamicsOptions = {}): DynamicsAnalysis {
  supervisedConfigOf(run, "analyze (PCA and fixed points of a recurrent network)");
  const { recipe, params } = loadTrainedModel(run);
  const dynamics = analyzeDynamics(recipe.network, params, configuredTask(recipe.config.task), options);
  writeFileAtomic(run.path("analysis.json"), `${JSON.stringify(dynamics)}\n`);
  return dynamics;
}

/** The report of a supervised run: evaluation, analysis, example trials and the figures. */
async function reportSupervisedRun(run: Run): Promise<{ path: string; headline: string }> {
  const { recipe, params } = loadTrainedModel(run);
  const evaluation = evaluateRun(run);
  const dynamics = analyzeRun(run);
  const { config } = recipe;
  const task = configuredTask(config.task);
  const metrics = run.readMetrics();
  // A multitask run: every task scored on its own fresh trials (the final evaluation's seed).
  const seed = finalEvaluationSeed(config);
  const perTask = isMultitask(config.task.name)
    ? taskPerformance(
        recipe.network.model,
        params,
        heldOutSets(config.task, task, config.evaluation.trials, seed),
      )
    : undefined;
  // Its units' task variance, clusters and the clusters' lesions (population.json).
  const population = perTask ? analyzePopulation(run).tasks : undefined;
  const lesions = population ? lesionTable(population) : undefined;
  const choiceAxis = choiceAxisTrajectories(recipe.network, params, task, { seed: config.evaluation.seed + 3 });
  const figures = reportFigures({
    losses: lossPoints(metrics, "accuracy"),
    examples: exampleTrials(recipe.network.model, params, task, 2, config.evaluation.seed + 2),
    evaluation,
    dynamics,
    ...(choiceAxis ? { choiceAxis } : {}),
    dtMs: task.dtMs,
    channelNames: task.obColumnNames,
    actionNames: columnNames(task.actions, task.nActions),
  });
  const tables = reportTables(evaluation, dynamics);
  const perTaskLine = perTask
    ? `mean held-out performance ${meanAccuracy(perTask).toFixed(3)} over ${perTask.length} tasks (${config.evaluation.trials} trials each), lowest ${Math.min(...perTask.map((p) => p.accuracy)).toFixed(3)}`
    : undefined;
  const path = await writeReport(run, {
    title: `braints report: ${config.model.type} on ${config.task.name}`,
    summary: [
      ["task", `${config.task.name} ${JSON.stringify(config.task.options)}`],
      ["model", `${config.model.type}, ${config.model.hidden} hidden units, ${countParameters(params).total} parameters`],
      [
        "training",
        `${metrics.length} epochs × ${config.training.stepsPerEpoch} steps, batch ${config.training.batchSize}, ${config.training.optimizer} lr ${config.training.lr}, seed ${config.training.seed}, ${trainingSeconds(metrics)}`,
      ],
      ["held-out accuracy", `${(100 * evaluation.accuracy).toFixed(1)}% of ${evaluation.trials} trials`],
      ...(perTaskLine ? [["per task", perTaskLine] as [string, string]] : []),
    ],
    figures: perTask
      ? [
          figures[0] as (typeof figures)[number],
          taskCurvesFigure(metrics, taskList(config.task.name)),
          ...(population ? [taskVarianceFigure(population)] : []),
          ...figures.slice(1),
        ]
      : figures,
    tables: perTask
      ? [taskPerformanceTable(perTask, seed), ...(lesions ? [lesions] : []), ...tables]
      : tables,
  });
  return {
    path,
    headline: perTaskLine ?? `held-out accuracy ${evaluation.accuracy.toFixed(3)} over ${evaluation.trials} trials`,
  };
}

/**
 * Writes the run's `report.html`: one self-contained page. Supervised runs: training curves, example
 * trials, the psychometric curve, PCA trajectories with fixed points and accuracy tables (after
 * evaluating and analysing); for several tasks also the per-task table and curves, the units'
 * task-variance map sorted by cluster and every cluster's lesion cost per task (`population.json`,
 * {@link analyzePopulation}). Spiking runs: the loss curve, a raster and membrane traces. Forecast
 * runs: predictions against truth per horizon and the errors.
 * @returns the report's path and a one-line result
 */
export function reportRun(run: Run): Promise<{ path: string; headline: string }> {
  const { config } = run;
  switch (config.kind) {
    case "supervised":
      return reportSupervisedRun(run);
    case "spiking":
      return reportSpikingRun(run, config);
    case "forecast":
      return reportForecastRun(run, config);
  }
}
