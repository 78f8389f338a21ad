/** The recipe of a run config, seen the way a run uses it: BPTT recipes alike, the forecast apart. */
import type { Tree } from "../../core/tree.ts";
import type { SequenceModel } from "../../models/model.ts";
import { type ForecastRecipe, forecastRecipe } from "../recipes/forecast.ts";
import type { RunConfig } from "../recipes/runConfig.ts";
import { spikingRecipe } from "../recipes/spiking.ts";
import { supervisedRecipe } from "../recipes/supervised.ts";
import type { BatchSource, TrainerOptions } from "../../train/trainer.ts";

/** What a run needs of a recipe trained by BPTT with a `Trainer` (supervised and spiking). */
export interface BpttRecipe<B> {
  /** The model whose parameters the checkpoints hold. */
  readonly model: SequenceModel;
  readonly trainerOptions: TrainerOptions<Tree, B>;
  readonly batches: BatchSource<B>;
  readonly fitOptions: { readonly epochs: number; readonly stepsPerEpoch: number; readonly seed: number };
  initialParams(): Tree;
}

/** What to do with each kind of recipe (a BPTT recipe has its own batch type). */
export interface RecipeVisitor<R> {
  bptt<B>(recipe: BpttRecipe<B>): R;
  forecast(recipe: ForecastRecipe): R;
}

/**
 * Builds the recipe of `config` (checking what the schema cannot) and hands it to the visitor.
 * @throws ConfigError when the data, task or model options are refused
 */
export function withRecipe<R>(config: RunConfig, visit: RecipeVisitor<R>): R {
  switch (config.kind) {
    case "supervised": {
      const recipe = supervisedRecipe(config);
      return visit.bptt({ ...recipe, model: recipe.network.model });
    }
    case "spiking":
      return visit.bptt(spikingRecipe(config));
    case "forecast":
      return visit.forecast(forecastRecipe(config));
  }
}
