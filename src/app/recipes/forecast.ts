/**
 * The forecast recipe (S4a): from a forecast run config to a reservoir computer on a chaotic flow:
 * the series over warm-up + training + test spans, its features (NVAR, the next-generation
 * reservoir, or an echo state network's states), and one ridge readout per horizon (the steps
 * ahead it predicts), fitted on the training span and scored on the test span. One closed-form
 * solve per horizon; there is nothing to iterate or resume.
 */
import { Rng } from "../../base/random.ts";
import { cast, concat, reshape } from "../../core/ops/layout.ts";
import { type Tensor, ones, zeros } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { runCell } from "../../models/cell.ts";
import { esn } from "../../models/reservoir/esn.ts";
import { nvar } from "../../models/reservoir/nvar.ts";
import { flows } from "../../tasks/series/flows.ts";
import type { LinearReadout } from "../../train/ridge.ts";
import type { ForecastConfig, ForecastModelConfig } from "./forecastConfig.ts";
import { type HorizonFit, fitHorizon, scoreHorizon } from "../../train/horizonFit.ts";
import { ConfigError } from "./parseConfig.ts";
import { flowMatrix, nvarFeatures } from "../../train/seriesFeatures.ts";

/** What {@link forecastRecipe} prepares. */
export interface ForecastRecipe {
  readonly config: ForecastConfig;
  /** The variables' names, e.g. x, y, z. */
  readonly names: readonly string[];
  /** `[N, d]` the series over the three spans. */
  readonly series: Tensor;
  /** `[N, F]` its features: row t from the series up to t. */
  readonly features: Tensor;
  /** The feature model, as the model file records it (its `model` metadata). */
  readonly model: { readonly name: string; readonly config: Readonly<Record<string, unknown>> };
  /** The features in words, e.g. "NVAR with 4 taps, stride 5, order 2, constant: 28 features". */
  readonly description: string;
  /** The first training row (the end of the warm-up). */
  readonly trainStart: number;
  /** The first test row. */
  readonly trainEnd: number;
  /** The readout parameters the model file holds, zero (for checking a file's shapes). */
  readonly readoutShapes: Tree;
  /** Solves every horizon's readout and scores it. */
  fit(): HorizonFit[];
  /** Scores saved readouts (as {@link ForecastRecipe.readoutShapes}) on the same spans. */
  score(readouts: Tree): HorizonFit[];
}

/** The key of a horizon's readout in the parameter tree. */
const key = (horizon: number) => `h${horizon}`;

function check(condition: boolean, message: string): void {
  if (!condition) throw new ConfigError(`config: ${message}`);
}

/** The features `[N, F]` of `series` `[N, d]` under a model config, and the steps the warm-up must cover (the NVAR's taps). */
interface FeatureMap {
  readonly features: Tensor;
  readonly warmupSteps: number;
  readonly model: ForecastRecipe["model"];
  readonly description: string;
}

function featureMap(model: ForecastModelConfig, series: Tensor): FeatureMap {
  const [N, d] = series.shape as [number, number];
  if (model.type === "nvar") {
    const { type: _, ...options } = model;
    const cell = nvar({ nIn: d, ...options });
    return {
      features: nvarFeatures(cell, series),
      warmupSteps: cell.warmup,
      model: { name: "ngrc", config: { nvar: cell.config } },
      description: `NVAR with ${model.delay} taps, stride ${model.stride}, order ${model.order}${model.constant ? ", constant" : ""}: ${cell.nOut} features`,
    };
  }
  const { type: _, units, seed, ...options } = model;
  const cell = esn({ nIn: d, nReservoir: units, ...options });
  const params = cell.init(Rng.fromSeed(seed));
  const { outputs } = runCell(cell, params, reshape(cast(series, "float32"), [N, 1, d]));
  const states = cast(reshape(outputs, [N, units]), "float64");
  return {
    // [1, u, r]: the readout's bias, the input, and the reservoir's state.
    features: concat([ones([N, 1], "float64"), series, states], 1),
    warmupSteps: 0,
    model: { name: "esn", config: { esn: cell.config, seed } },
    description: `echo state network of ${units} units (spectral radius ${model.spectralRadius}, leak ${model.leak}, seed ${seed}): ${1 + d + units} features (constant, input, state)`,
  };
}

/**
 * Integrates the series and computes its features; checks that the spans fit the taps and horizons.
 * @throws ConfigError when the warm-up is shorter than the NVAR's taps reach, or the test span is not
 *   longer than the largest horizon
 * @example const fits = forecastRecipe(parseRunConfig({ kind: "forecast" }) as ForecastConfig).fit();
 */
export function forecastRecipe(config: ForecastConfig): ForecastRecipe {
  const { series: spans, model, training } = config;
  const flow = flows[spans.name];
  const trainStart = Math.round(spans.warmup / spans.dt);
  const trainEnd = Math.round((spans.warmup + spans.train) / spans.dt);
  const series = flowMatrix(flow, spans.warmup + spans.train + spans.test, spans.dt);
  const N = series.shape[0] as number;
  const longest = Math.max(...training.horizons);
  check(trainEnd > trainStart, `series.train must be at least one step (${spans.dt}), got ${spans.train}`);
  check(
    N - trainEnd > longest,
    `series.test must be longer than the largest horizon, ${longest} steps (${longest * spans.dt} time units), got ${spans.test}`,
  );
  const { features, warmupSteps, model: saved, description } = featureMap(model, series);
  check(
    trainStart >= warmupSteps,
    `series.warmup must cover the NVAR's (delay − 1) · stride = ${warmupSteps} steps (${warmupSteps * spans.dt} time units), got ${spans.warmup}`,
  );
  const F = features.shape[1] as number;
  const d = flow.variables.length;
  const shape = { weights: zeros([F, d], "float64"), bias: zeros([d], "float64") };
  return {
    config,
    names: flow.variables,
    series,
    features,
    model: saved,
    description,
    trainStart,
    trainEnd,
    readoutShapes: Object.fromEntries(training.horizons.map((h) => [key(h), shape])),
    fit: () =>
      training.horizons.map((h) =>
        fitHorizon(features, series, trainStart, trainEnd, h, { alpha: training.alpha, bias: "none" }),
      ),
    score: (readouts) =>
      training.horizons.map((h) => {
        // The tree was checked against readoutShapes when it was read.
        const readout = (readouts as { readonly [k: string]: Tree })[key(h)] as unknown as LinearReadout;
        return scoreHorizon(readout, features, series, trainStart, trainEnd, h);
      }),
  };
}

/** What a forecast run's model file records about its model: the feature model and the horizons. */
export function forecastModelInfo(recipe: ForecastRecipe): { name: string; config: Record<string, unknown> } {
  return {
    name: recipe.model.name,
    config: { ...recipe.model.config, horizons: recipe.config.training.horizons },
  };
}

/** The readouts of fitted horizons as a parameter tree (what a forecast run's model file holds). */
export function readoutTree(fits: readonly HorizonFit[]): Tree {
  return Object.fromEntries(
    fits.map((f) => [key(f.horizon), { weights: f.readout.weights, bias: f.readout.bias }]),
  );
}
