/** Spiking runs: the trained classifier read back and scored on fresh spike trains (`eval.json`). */
import type { Tree } from "../../core/tree.ts";
import { writeFileAtomic } from "../../io/atomic.ts";
import { accuracy } from "../../train/metrics.ts";
import { type SpikingRecipe, configuredSpikeTrains, spikingRecipe } from "../recipes/spiking.ts";
import type { SpikingConfig } from "../recipes/spikingConfig.ts";
import { finalEvaluationSeed } from "../recipes/runConfig.ts";
import { spikeLogits, spikeTrainAccuracy } from "../../train/spikeTrains.ts";
import { trainedModelFile } from "./modelFile.ts";
import type { Run } from "./run.ts";

/** A spiking run's recipe with its trained weights. */
export interface TrainedSpikingModel {
  readonly recipe: SpikingRecipe;
  readonly params: Tree;
}

/** What {@link evaluateSpikingRun} measures. */
export interface SpikingEvaluation {
  /** Accuracy on the training spike trains (the tutorial's metric: memorisation). */
  readonly trainAccuracy: number;
  /** Accuracy on fresh spike trains; the labels are random, so chance (0.5) is the honest result. */
  readonly heldOutAccuracy: number;
  readonly samples: number;
  readonly seed: number;
}

/** Reads the run's trained classifier (`model.safetensors`), checked against its config's network. */
export function loadSpikingModel(run: Run, config: SpikingConfig): TrainedSpikingModel {
  const recipe = spikingRecipe(config);
  return { recipe, params: run.load(trainedModelFile(run), recipe.initialParams()).params };
}

/**
 * Scores the trained classifier on its training set and on `samples` fresh spike trains from `seed`
 * (default: `finalEvaluationSeed`), and writes `eval.json`.
 * @returns the evaluation and the model it scored
 */
export function evaluateSpikingRun(
  run: Run,
  config: SpikingConfig,
  options: { readonly samples?: number; readonly seed?: number } = {},
): { evaluation: SpikingEvaluation; model: TrainedSpikingModel } {
  const model = loadSpikingModel(run, config);
  const { recipe, params } = model;
  const samples = options.samples ?? config.evaluation.samples;
  const seed = options.seed ?? finalEvaluationSeed(config);
  const fresh = configuredSpikeTrains(config.data, samples, seed, "eval");
  const result = {
    trainAccuracy: accuracy(spikeLogits(recipe.model, params, recipe.train.xs), recipe.train.labels),
    heldOutAccuracy: spikeTrainAccuracy(recipe.model, params, fresh),
    samples,
    seed,
  };
  writeFileAtomic(run.path("eval.json"), `${JSON.stringify(result, null, 1)}\n`);
  return { evaluation: result, model };
}
