/**
 * Forecast runs: the ridge readouts solved and saved with one metrics line, and scored again from
 * the saved model (`eval.json`).
 */
import { writeFileAtomic } from "../../io/atomic.ts";
import type { ForecastConfig } from "../recipes/forecastConfig.ts";
import { type ForecastRecipe, forecastModelInfo, forecastRecipe, readoutTree } from "../recipes/forecast.ts";
import type { HorizonFit } from "../../train/horizonFit.ts";
import { horizonKey } from "./metricLabels.ts";
import { trainedModelFile } from "./modelFile.ts";
import type { Run } from "./run.ts";

/** The errors of every horizon as a metrics record. */
function errors(fits: readonly HorizonFit[]): Record<string, number> {
  return Object.fromEntries(
    fits.flatMap((f) => [
      [horizonKey("trainMse", f.horizon), f.trainMse],
      [horizonKey("testMse", f.horizon), f.testMse],
      [horizonKey("testNrmse", f.horizon), f.testNrmse],
    ]),
  );
}

/**
 * Solves every horizon's readout, then writes one metrics line (epoch 1, no gradient steps, the
 * first horizon's training MSE as its loss) and the model file with the readouts.
 */
export function solveForecast(run: Run, recipe: ForecastRecipe): HorizonFit[] {
  const t0 = performance.now();
  const fits = recipe.fit();
  run.writeMetrics([
    {
      epoch: 1,
      step: 0,
      trainLoss: fits[0]?.trainMse ?? NaN,
      metrics: errors(fits),
      seconds: (performance.now() - t0) / 1000,
      losses: [],
      gradNorms: [],
    },
  ]);
  run.saveModel(readoutTree(fits), forecastModelInfo(recipe));
  return fits;
}

/** A forecast run's recipe and its saved readouts scored on the test span. */
export interface ForecastEvaluation {
  readonly recipe: ForecastRecipe;
  readonly fits: readonly HorizonFit[];
}

/**
 * Scores the run's saved readouts on its series and writes `eval.json` (every horizon's errors).
 * @throws RunDirectoryError before training has finished
 */
export function evaluateForecastRun(run: Run, config: ForecastConfig): ForecastEvaluation {
  const recipe = forecastRecipe(config);
  const { params } = run.load(trainedModelFile(run), recipe.readoutShapes);
  const fits = recipe.score(params);
  const horizons = fits.map((f) => ({
    horizon: f.horizon,
    trainMse: f.trainMse,
    testMse: f.testMse,
    testNrmse: f.testNrmse,
  }));
  writeFileAtomic(run.path("eval.json"), `${JSON.stringify({ series: config.series, horizons }, null, 1)}\n`);
  return { recipe, fits };
}
