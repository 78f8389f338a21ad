/** The report of a forecast run: predictions against truth on the test span per horizon, and the errors. */
import { forecastPlot } from "../../plot/forecastPlot.ts";
import type { ForecastConfig } from "../recipes/forecastConfig.ts";
import { evaluateForecastRun } from "../runs/forecast.ts";
import type { Run } from "../runs/run.ts";
import { trainingSeconds, writeReport } from "./write.ts";

const sci = (x: number) => x.toExponential(3);

/**
 * Scores the forecast run's readouts and writes its `report.html`.
 * @returns the report's path and a one-line result
 */
export async function reportForecastRun(
  run: Run,
  config: ForecastConfig,
): Promise<{ path: string; headline: string }> {
  const { recipe, fits } = evaluateForecastRun(run, config);
  const { series, training } = config;
  const testStart = series.warmup + series.train;
  const first = fits[0];
  const path = await writeReport(run, {
    title: `braints report: ${config.model.type === "esn" ? "echo state network" : "NG-RC"} forecasting ${series.name}`,
    summary: [
      [
        "series",
        `${series.name} (${recipe.names.join(", ")}), dt ${series.dt}: warm-up ${series.warmup}, training ${series.train}, test ${series.test} time units`,
      ],
      ["model", `${recipe.description}; a linear readout per horizon`],
      [
        "training",
        `ridge regression, α ${training.alpha}, horizons ${training.horizons.join(", ")} steps, ${trainingSeconds(run.readMetrics())}`,
      ],
      ...(first
        ? [
            [
              `${first.horizon}-step test error`,
              `MSE ${sci(first.testMse)}, NRMSE ${sci(first.testNrmse)}`,
            ] as const,
          ]
        : []),
    ],
    figures: fits.map((f) => ({
      id: `forecast-${f.horizon}step`,
      heading: `${f.horizon}-step-ahead forecast`,
      caption: `Truth (solid) and the readout's prediction ${f.horizon} step${f.horizon === 1 ? "" : "s"} ahead (dashed) over the test span; test MSE ${sci(f.testMse)}.`,
      figure: forecastPlot(f.test.truth, f.test.prediction, series.dt, recipe.names, {
        title: `${series.name}: ${f.horizon}-step-ahead forecast on the test span`,
        timeTitle: `time after t = ${testStart} (model time units)`,
      }),
    })),
    tables: [
      {
        caption: "Errors per horizon (NRMSE: RMSE over each variable's standard deviation on the test span)",
        header: ["horizon (steps)", "training MSE", "test MSE", "test NRMSE"],
        rows: fits.map((f) => [f.horizon, sci(f.trainMse), sci(f.testMse), sci(f.testNrmse)]),
      },
    ],
  });
  return {
    path,
    headline: first
      ? `${first.horizon}-step test MSE ${sci(first.testMse)}, NRMSE ${sci(first.testNrmse)}`
      : "",
  };
}
