/**
 * S4a: next-generation reservoir computing (NG-RC) forecasting the Lorenz attractor, as in BrainPy's
 * tutorial "Training a Brain Dynamics Model" (first part).
 *
 * The tutorial integrates Lorenz (σ 10, ρ 28, β 8/3, RK4) for 100 time units at dt 0.01, builds an
 * NVAR feature map (4 taps, stride 5, order 2: 12 delayed coordinates and their 78 unique quadratic
 * monomials) followed by a dense readout, warms the taps up on t ∈ [0, 20), fits the readout by ridge
 * regression (α = 1e-6) on t ∈ [20, 80) and predicts t ∈ [80, 100). It reports a one-step-ahead test
 * MSE of 2.27e-9 and plots the 1-, 10- and 100-step-ahead forecasts ("forecasting larger time steps
 * makes the learning more difficult"); no error is printed for 10 and 100 steps, so we report ours.
 *
 * BrainPy's dense readout has a bias that its ridge solver penalises like every weight; here that is
 * the NVAR's constant feature with `bias: "none"`, which is the same regression (91 features).
 * The NVAR is causal, so one pass over the whole series gives exactly the features the tutorial's
 * warm-up → fit → predict sequence (with the tap buffer carried across) computes.
 *
 * Our one-step test MSE is far below the tutorial's (about 6e-12). The regression is badly
 * conditioned (entries of XᵀX span ten orders of magnitude and α = 1e-6 barely regularises), so
 * the solver decides the last digits: the RidgeTrainer's float64 Cholesky gives 6e-12, while an
 * explicit float64 inverse of the same XᵀX + αI gives 7e-2. Float32 features change nothing (7e-12).
 *
 * Run: `npx tsx examples/s4a-ngrc-lorenz.ts` (add `--ci` for the reduced size).
 */
import { join } from "node:path";
import { type Tensor, add, fromData, matmul, reshape, sliceAxis } from "../src/core/index.ts";
import { nvar, runCell } from "../src/models/index.ts";
import { forecastPlot, writeFigure } from "../src/plot/index.ts";
import { flowSeries, lorenz } from "../src/tasks/index.ts";
import { RidgeTrainer } from "../src/train/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";

/** Time spans (model time units) of the full tutorial and of the reduced CI run. */
const SIZES = {
  full: { duration: 100, warmup: 20, trainEnd: 80 },
  ci: { duration: 40, warmup: 5, trainEnd: 30 },
} as const;

const DT = 0.01;
const RIDGE_ALPHA = 1e-6;
const HORIZONS = [1, 10, 100] as const;
const BAR = 1e-8;
const NAMES = ["x", "y", "z"];

/** One horizon's fit: the ridge readout's predictions and errors on the training and test rows. */
interface HorizonFit {
  readonly horizon: number;
  readonly trainMse: number;
  readonly testMse: number;
  readonly train: { readonly truth: Tensor; readonly prediction: Tensor };
  readonly test: { readonly truth: Tensor; readonly prediction: Tensor };
}

/** Mean squared error over every element of two equally sized float64 tensors. */
function meanSquaredError(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += ((a.data[i] as number) - (b.data[i] as number)) ** 2;
  return s / a.size;
}

/**
 * Fits a ridge readout from the features at rows `[trainStart, trainEnd)` to the series `horizon`
 * steps later, then predicts the test rows `[trainEnd, N − horizon)`.
 * @param features `[N, F]` NVAR features, row t from the inputs up to t
 * @param series `[N, 3]` the Lorenz series
 */
function fitHorizon(
  features: Tensor,
  series: Tensor,
  trainStart: number,
  trainEnd: number,
  horizon: number,
): HorizonFit {
  const N = series.shape[0] as number;
  const rows = (start: number, end: number) => ({
    x: sliceAxis(features, 0, start, end),
    y: sliceAxis(series, 0, start + horizon, end + horizon),
  });
  const train = rows(trainStart, trainEnd);
  const test = rows(trainEnd, N - horizon);
  const readout = new RidgeTrainer({ alpha: RIDGE_ALPHA, bias: "none" }).accumulate(train.x, train.y).solve();
  const predict = (x: Tensor) => add(matmul(x, readout.weights), readout.bias);
  const trainPrediction = predict(train.x);
  const testPrediction = predict(test.x);
  return {
    horizon,
    trainMse: meanSquaredError(trainPrediction, train.y),
    testMse: meanSquaredError(testPrediction, test.y),
    train: { truth: train.y, prediction: trainPrediction },
    test: { truth: test.y, prediction: testPrediction },
  };
}

export async function main(options: ExampleOptions): Promise<ExampleResult> {
  const t0 = performance.now();
  const size = SIZES[options.size];
  // The series is deterministic (BrainPy's initial state); the seed has nothing to draw here.
  const { ts, vars } = flowSeries(lorenz, size.duration, { dt: DT });
  const N = ts.length;
  const data = new Float64Array(N * 3);
  NAMES.forEach((name, j) => {
    const column = vars[name] as Float64Array;
    for (let t = 0; t < N; t++) data[t * 3 + j] = column[t] as number;
  });
  const series = fromData(data, [N, 3]);

  const cell = nvar({ nIn: 3, delay: 4, stride: 5, order: 2, constant: true });
  const names = cell.featureNames();
  console.log(`NVAR: ${cell.nOut} features (${names.slice(0, 3).join(", ")}, …, ${names.at(-1) ?? ""})`);
  const { outputs } = runCell(cell, {}, reshape(series, [N, 1, 3]));
  const features = reshape(outputs, [N, cell.nOut]);

  const warmup = Math.round(size.warmup / DT);
  const trainEnd = Math.round(size.trainEnd / DT);
  const fits = HORIZONS.map((h) => fitHorizon(features, series, warmup, trainEnd, h));
  for (const f of fits) {
    console.log(
      `${f.horizon}-step ahead: train MSE ${f.trainMse.toExponential(3)}, test MSE ${f.testMse.toExponential(3)}`,
    );
  }
  const [one, ten, hundred] = fits as [HorizonFit, HorizonFit, HorizonFit];

  const testStart = `time after t = ${size.trainEnd} (model time units)`;
  const figures: [string, Parameters<typeof writeFigure>[1]][] = [
    [
      "fit-train-1step.svg",
      forecastPlot(one.train.truth, one.train.prediction, DT, NAMES, {
        title: "NG-RC on Lorenz: 1-step-ahead fit on the training span",
        timeTitle: `time after t = ${size.warmup} (model time units)`,
      }),
    ],
    ...[one, ten, hundred].map((f): [string, Parameters<typeof writeFigure>[1]] => [
      `forecast-test-${f.horizon}step.svg`,
      forecastPlot(f.test.truth, f.test.prediction, DT, NAMES, {
        title: `NG-RC on Lorenz: ${f.horizon}-step-ahead forecast on the test span`,
        timeTitle: testStart,
      }),
    ]),
  ];
  const paths: string[] = [];
  for (const [file, figure] of figures) {
    const path = join(options.outDir, file);
    await writeFigure(path, figure);
    paths.push(path);
  }

  return {
    example: "S4a",
    metric: "one-step-ahead test MSE",
    value: one.testMse,
    bar: BAR,
    passed: one.testMse <= BAR,
    seconds: since(t0),
    figures: paths,
    extra: {
      features: cell.nOut,
      trainMse1: one.trainMse,
      testMse10: ten.testMse,
      testMse100: hundred.testMse,
    },
  };
}

await runIfMain(import.meta.url, "S4a", main);
