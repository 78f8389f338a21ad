/** Time-series forecasts: truth and prediction per dimension, one row of panels per dimension. */
import { type MatrixLike, asMatrix } from "./arrays.ts";
import { ShapeError, fmtShape } from "../base/errors.ts";
import { type Figure, OKABE_ITO, PANEL, figureHeader } from "./figure.ts";
import { seriesNames, seriesRows } from "./series.ts";

/** Options of {@link forecastPlot}. */
export interface ForecastPlotOptions {
  readonly title?: string;
  /** Label of the time axis, with units (default "time (model time units)"). */
  readonly timeTitle?: string;
}

/**
 * Truth (a wide grey line) and prediction (a thin dashed line on top of it) for each dimension,
 * stacked, each row with its own value scale: where they agree, the truth shows around the prediction. Lines longer than 2000 samples are decimated.
 * @param truth `[T, d]` observed series
 * @param prediction `[T, d]` forecast over the same steps
 * @param dt time between samples (in the units of `timeTitle`)
 * @param names the dimensions' names (default `x 1 …`), e.g. ["x", "y", "z"]
 * @example forecastPlot(testTarget, testPrediction, 0.01, ["x", "y", "z"])
 */
export function forecastPlot(
  truth: MatrixLike,
  prediction: MatrixLike,
  dt: number,
  names?: readonly string[],
  options: ForecastPlotOptions = {},
): Figure {
  const where = "forecastPlot";
  const a = asMatrix(truth, where, "truth");
  const b = asMatrix(prediction, where, "prediction");
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(
      `${where}: prediction must have the shape of truth ${fmtShape([a.rows, a.cols])}, got ${fmtShape([b.rows, b.cols])}`,
    );
  }
  const dims = seriesNames(a.cols, names, "x", where);
  const tag = (source: string) => (r: { t: number; value: number; series: string }) => ({ ...r, source });
  const values = [
    ...seriesRows(a, dims, dt).map(tag("truth")),
    ...seriesRows(b, dims, dt).map(tag("prediction")),
  ];
  const colour = {
    field: "source",
    type: "nominal",
    title: null,
    scale: { domain: ["truth", "prediction"], range: ["#9a9a9a", OKABE_ITO[1]] },
  } as const;
  const x = {
    field: "t",
    type: "quantitative",
    title: options.timeTitle ?? "time (model time units)",
  } as const;
  const y = { field: "value", type: "quantitative", title: "value", scale: { zero: false } } as const;
  return {
    ...figureHeader(options.title ?? "Forecast"),
    data: { values },
    facet: { row: { field: "series", type: "nominal", title: null, sort: dims } },
    spec: {
      width: PANEL.width,
      height: PANEL.height * 0.75,
      // Truth first, wide and grey; the prediction on top, thin and dashed, so both stay visible.
      layer: [
        {
          transform: [{ filter: "datum.source === 'truth'" }],
          mark: { type: "line", strokeWidth: 3.5 },
          encoding: { x, y, color: colour },
        },
        {
          transform: [{ filter: "datum.source === 'prediction'" }],
          mark: { type: "line", strokeWidth: 1.3, strokeDash: [5, 2] },
          encoding: { x, y, color: colour },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
}
