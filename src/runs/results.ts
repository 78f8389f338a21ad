/**
 * What a trained run yields: its model read back, held-out evaluation, population-dynamics analysis
 * and the HTML report, each written into the run directory.
 */
import { existsSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.ts";
import type { Tree } from "../core/tree.ts";
import { countParameters } from "../models/summary.ts";
import { columnNames } from "../tasks/channels.ts";
import { renderSVG } from "../plot/render.ts";
import type { RunConfig } from "../train/recipes/config.ts";
import { type DynamicsAnalysis, type DynamicsOptions, analyzeDynamics } from "../train/recipes/dynamics.ts";
import { type Evaluation, evaluateNetwork } from "../train/recipes/evaluation.ts";
import { ConfigError } from "../train/recipes/parseConfig.ts";
import { type SupervisedRecipe, supervisedRecipe } from "../train/recipes/supervised.ts";
import { configuredTask } from "../train/recipes/trials.ts";
import { exampleTrials } from "./report/examples.ts";
import { reportFigures } from "./report/figures.ts";
import { reportHtml } from "./report/html.ts";
import { reportTables } from "./report/tables.ts";
import { type Run, RunDirectoryError } from "./run.ts";

/** A run's network with its trained parameters. */
export interface TrainedModel {
  readonly recipe: SupervisedRecipe;
  readonly params: Tree;
}

/**
 * Reads the run's final model (`model.safetensors`), checked against the network its config builds.
 * @throws RunDirectoryError before training has finished; CorruptFileError for a damaged file
 */
export function loadTrainedModel(run: Run): TrainedModel {
  const file = run.path("model.safetensors");
  if (!existsSync(file)) {
    throw new RunDirectoryError(
      `${run.dir} has no trained model (${file}); finish training first with braints train --resume ${run.dir}`,
    );
  }
  const recipe = supervisedRecipe(run.config);
  return { recipe, params: run.load(file, recipe.initialParams()).params };
}

/** Options of {@link evaluateRun}. */
export interface EvaluateRunOptions {
  /** Held-out trials (default 2000). */
  readonly trials?: number;
  /** Seed of the trials (default: the run's evaluation seed + 1, so they differ from the per-epoch set). */
  readonly seed?: number;
  /** Evaluate on another task or timing (its inputs and actions must fit the network). */
  readonly task?: RunConfig["task"];
}

/**
 * Scores the trained model on held-out trials and writes `eval.json` (or `eval-TASK.json` for another task).
 * @example const { accuracy } = evaluateRun(Run.open("runs/pdm"));
 */
export function evaluateRun(run: Run, options: EvaluateRunOptions = {}): Evaluation {
  const { recipe, params } = loadTrainedModel(run);
  const spec = options.task ?? run.config.task;
  const task = configuredTask(spec);
  const { model } = recipe.network;
  if (task.obDim !== model.nIn || task.nActions !== model.nOut) {
    throw new ConfigError(
      `eval: task ${task.name} must have the network's ${model.nIn} input channels and ${model.nOut} actions, got ${task.obDim} and ${task.nActions}`,
    );
  }
  const evaluation = evaluateNetwork(model, params, task, {
    trials: options.trials ?? 2000,
    seed: options.seed ?? run.config.evaluation.seed + 1,
  });
  const name = options.task ? `eval-${task.name}.json` : "eval.json";
  writeFileAtomic(run.path(name), `${JSON.stringify({ ...evaluation, taskSpec: spec }, null, 1)}\n`);
  return evaluation;
}

/**
 * PCA of the trained model's hidden trajectories and its fixed points; writes `analysis.json`.
 * @example const { fixedPoints } = analyzeRun(Run.open("runs/pdm"));
 */
export function analyzeRun(run: Run, options: DynamicsOptions = {}): DynamicsAnalysis {
  const { recipe, params } = loadTrainedModel(run);
  const dynamics = analyzeDynamics(recipe.network, params, configuredTask(run.config.task), options);
  writeFileAtomic(run.path("analysis.json"), `${JSON.stringify(dynamics)}\n`);
  return dynamics;
}

/**
 * Evaluates and analyses the run and writes `report.html`: one self-contained page with the
 * training curves, example trials, the psychometric curve, PCA trajectories with fixed points and
 * the accuracy tables.
 * @returns the report's path and what it shows
 */
export async function reportRun(
  run: Run,
): Promise<{ path: string; evaluation: Evaluation; dynamics: DynamicsAnalysis }> {
  const { recipe, params } = loadTrainedModel(run);
  const evaluation = evaluateRun(run);
  const dynamics = analyzeRun(run);
  const task = configuredTask(run.config.task);
  const metrics = run.readMetrics();
  const figures = reportFigures({
    metrics,
    examples: exampleTrials(recipe.network.model, params, task, 2, run.config.evaluation.seed + 2),
    evaluation,
    dynamics,
    dtMs: task.dtMs,
    channelNames: task.obColumnNames,
    actionNames: columnNames(task.actions, task.nActions),
  });
  const rendered = await Promise.all(figures.map(async (f) => ({ ...f, svg: await renderSVG(f.figure) })));
  const { config } = run;
  const seconds = metrics.reduce((s, l) => s + l.seconds, 0);
  const html = reportHtml({
    title: `braints report: ${config.model.type} on ${config.task.name}`,
    summary: [
      ["task", `${config.task.name} ${JSON.stringify(config.task.options)}`],
      ["model", `${config.model.type}, ${config.model.hidden} hidden units, ${countParameters(params).total} parameters`],
      [
        "training",
        `${metrics.length} epochs × ${config.training.stepsPerEpoch} steps, batch ${config.training.batchSize}, ${config.training.optimizer} lr ${config.training.lr}, seed ${config.training.seed}, ${seconds.toFixed(1)} s`,
      ],
      ["held-out accuracy", `${(100 * evaluation.accuracy).toFixed(1)}% of ${evaluation.trials} trials`],
    ],
    figures: rendered,
    tables: reportTables(evaluation, dynamics),
  });
  const file = run.path("report.html");
  writeFileAtomic(file, html);
  return { path: file, evaluation, dynamics };
}
