/**
 * The forecast recipe (S4a): from a forecast run config to a next-generation reservoir computer on
 * a chaotic flow: the series over warm-up + training + test spans, its NVAR features, and one ridge
 * readout per horizon (the steps ahead it predicts), fitted on the training span and scored on the
 * test span. One closed-form solve per horizon; there is nothing to iterate or resume.
 */
import { type Tensor, zeros } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { type NVARCell, nvar } from "../../models/reservoir/nvar.ts";
import { flows } from "../../tasks/series/flows.ts";
import type { LinearReadout } from "../../train/ridge.ts";
import type { ForecastConfig } from "./forecastConfig.ts";
import { type HorizonFit, fitHorizon, scoreHorizon } from "../../train/horizonFit.ts";
import { ConfigError } from "./parseConfig.ts";
import { flowMatrix, nvarFeatures } from "../../train/seriesFeatures.ts";

/** What {@link forecastRecipe} prepares. */
export interface ForecastRecipe {
  readonly config: ForecastConfig;
  /** The variables' names, e.g. x, y, z. */
  readonly names: readonly string[];
  readonly cell: NVARCell;
  /** `[N, d]` the series over the three spans. */
  readonly series: Tensor;
  /** `[N, F]` its NVAR features. */
  readonly features: Tensor;
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

/**
 * Integrates the series and computes its features; checks that the spans fit the taps and horizons.
 * @throws ConfigError when the warm-up is shorter than the NVAR's taps reach, or the test span is not
 *   longer than the largest horizon
 * @example const fits = forecastRecipe(parseRunConfig({ kind: "forecast" }) as ForecastConfig).fit();
 */
export function forecastRecipe(config: ForecastConfig): ForecastRecipe {
  const { series: spans, model, training } = config;
  const flow = flows[spans.name];
  const cell = nvar({ nIn: flow.variables.length, ...model });
  const trainStart = Math.round(spans.warmup / spans.dt);
  const trainEnd = Math.round((spans.warmup + spans.train) / spans.dt);
  const series = flowMatrix(flow, spans.warmup + spans.train + spans.test, spans.dt);
  const N = series.shape[0] as number;
  const longest = Math.max(...training.horizons);
  check(
    trainStart >= cell.warmup,
    `series.warmup must cover the NVAR's (delay − 1) · stride = ${cell.warmup} steps (${cell.warmup * spans.dt} time units), got ${spans.warmup}`,
  );
  check(trainEnd > trainStart, `series.train must be at least one step (${spans.dt}), got ${spans.train}`);
  check(
    N - trainEnd > longest,
    `series.test must be longer than the largest horizon, ${longest} steps (${longest * spans.dt} time units), got ${spans.test}`,
  );
  const features = nvarFeatures(cell, series);
  const d = flow.variables.length;
  const shape = { weights: zeros([cell.nOut, d], "float64"), bias: zeros([d], "float64") };
  return {
    config,
    names: flow.variables,
    cell,
    series,
    features,
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

/** The readouts of fitted horizons as a parameter tree (what a forecast run's model file holds). */
export function readoutTree(fits: readonly HorizonFit[]): Tree {
  return Object.fromEntries(
    fits.map((f) => [key(f.horizon), { weights: f.readout.weights, bias: f.readout.bias }]),
  );
}
