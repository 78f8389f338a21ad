/**
 * Direct multi-step forecasting with a linear readout: features at time t predict the series at
 * t + h, fitted by ridge regression on a training span and scored on the rows after it (S4a).
 */
import { add } from "../core/ops/elementwise.ts";
import { sliceAxis } from "../core/ops/layout.ts";
import { matmul } from "../core/ops/matmul.ts";
import type { Tensor } from "../core/tensor.ts";
import { type LinearReadout, type RidgeOptions, RidgeTrainer } from "./ridge.ts";

/** Truth and prediction over a span, both `[rows, d]`. */
export interface ForecastSpan {
  readonly truth: Tensor;
  readonly prediction: Tensor;
}

/** One horizon's readout with its predictions and errors on the training and test rows. */
export interface HorizonFit {
  readonly horizon: number;
  readonly readout: LinearReadout;
  readonly trainMse: number;
  readonly testMse: number;
  /** Test RMSE in units of each variable's standard deviation over the test rows (see {@link normalizedRmse}). */
  readonly testNrmse: number;
  readonly train: ForecastSpan;
  readonly test: ForecastSpan;
}

/** Mean squared error over every element of two equally sized tensors. */
export function meanSquaredError(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += ((a.data[i] as number) - (b.data[i] as number)) ** 2;
  return s / a.size;
}

/**
 * `sqrt(mean_j MSE_j / Var_j)`: the RMSE of each column `j` of `[rows, d]` relative to the spread
 * of its truth, averaged over columns in squares, so 1 is as good as predicting each column's mean.
 */
export function normalizedRmse({ truth, prediction }: ForecastSpan): number {
  const [rows, d] = truth.shape as [number, number];
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let t = 0; t < rows; t++) mean += truth.data[t * d + j] as number;
    mean /= rows;
    let variance = 0;
    let error = 0;
    for (let t = 0; t < rows; t++) {
      const y = truth.data[t * d + j] as number;
      variance += (y - mean) ** 2;
      error += (y - (prediction.data[t * d + j] as number)) ** 2;
    }
    total += error / variance;
  }
  return Math.sqrt(total / d);
}

/** The feature rows `[start, end)` with the series `horizon` steps after each. */
function rows(features: Tensor, series: Tensor, start: number, end: number, horizon: number) {
  return { x: sliceAxis(features, 0, start, end), y: sliceAxis(series, 0, start + horizon, end + horizon) };
}

/**
 * Scores a readout that predicts `horizon` steps ahead: on the training rows `[trainStart, trainEnd)`
 * and the test rows `[trainEnd, N − horizon)`.
 * @param features `[N, F]` features, row t from the inputs up to t
 * @param series `[N, d]` the series
 */
export function scoreHorizon(
  readout: LinearReadout,
  features: Tensor,
  series: Tensor,
  trainStart: number,
  trainEnd: number,
  horizon: number,
): HorizonFit {
  const N = series.shape[0] as number;
  const predict = ({ x, y }: { x: Tensor; y: Tensor }) => ({
    truth: y,
    prediction: add(matmul(x, readout.weights), readout.bias),
  });
  const train = predict(rows(features, series, trainStart, trainEnd, horizon));
  const test = predict(rows(features, series, trainEnd, N - horizon, horizon));
  return {
    horizon,
    readout,
    trainMse: meanSquaredError(train.prediction, train.truth),
    testMse: meanSquaredError(test.prediction, test.truth),
    testNrmse: normalizedRmse(test),
    train,
    test,
  };
}

/**
 * Fits a ridge readout from the features at rows `[trainStart, trainEnd)` to the series `horizon`
 * steps later, then scores it (see {@link scoreHorizon}).
 * @example const one = fitHorizon(features, series, 2000, 8000, 1, { alpha: 1e-6, bias: "none" });
 */
export function fitHorizon(
  features: Tensor,
  series: Tensor,
  trainStart: number,
  trainEnd: number,
  horizon: number,
  ridge: RidgeOptions,
): HorizonFit {
  const { x, y } = rows(features, series, trainStart, trainEnd, horizon);
  const readout = new RidgeTrainer(ridge).accumulate(x, y).solve();
  return scoreHorizon(readout, features, series, trainStart, trainEnd, horizon);
}
