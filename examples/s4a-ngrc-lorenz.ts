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
import { nvar } from "../src/models/index.ts";
import { forecastPlot } from "../src/plot/index.ts";
import { lorenz } from "../src/tasks/index.ts";
import { type HorizonFit, fitHorizon, flowMatrix, nvarFeatures } from "../src/train/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";
import { writeFigure } from "../src/node.ts";

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

export async function main(options: ExampleOptions): Promise<ExampleResult> {
  const t0 = performance.now();
  const size = SIZES[options.size];
  // The series is deterministic (BrainPy's initial state); the seed has nothing to draw here.
  const series = flowMatrix(lorenz, size.duration, DT);

  const cell = nvar({ nIn: 3, delay: 4, stride: 5, order: 2, constant: true });
  const names = cell.featureNames();
  console.log(`NVAR: ${cell.nOut} features (${names.slice(0, 3).join(", ")}, …, ${names.at(-1) ?? ""})`);
  const features = nvarFeatures(cell, series);

  const warmup = Math.round(size.warmup / DT);
  const trainEnd = Math.round(size.trainEnd / DT);
  const ridge = { alpha: RIDGE_ALPHA, bias: "none" } as const;
  const fits = HORIZONS.map((h) => fitHorizon(features, series, warmup, trainEnd, h, ridge));
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
