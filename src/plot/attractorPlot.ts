/** A forecast in state space: the predicted trajectory drawn over the true attractor. */
import { ShapeError, fmtShape } from "../base/errors.ts";
import { type MatrixLike, asMatrix, at } from "./arrays.ts";
import { evenIndices } from "./decimate.ts";
import { type Figure, OKABE_ITO, PANEL, figureHeader } from "./figure.ts";
import { seriesNames } from "./series.ts";

/** Options of {@link attractorPlot}. */
export interface AttractorPlotOptions {
  readonly title?: string;
  /** The two dimensions drawn against each other (default the first and the last, e.g. x and z). */
  readonly dims?: readonly [number, number];
}

/**
 * Truth (a wide grey path) and prediction (a thin vermillion path on top) in the plane of two of
 * their dimensions: where a forecast keeps to the attractor and where it leaves it. Paths longer than
 * 2000 samples are subsampled evenly.
 * @param truth `[T, d]` observed series; `prediction` the forecast `[T, d]`
 * @param names the dimensions' names (default `x 1 …`)
 * @example attractorPlot(testTruth, testPrediction, ["x", "y", "z"])
 */
export function attractorPlot(
  truth: MatrixLike,
  prediction: MatrixLike,
  names?: readonly string[],
  options: AttractorPlotOptions = {},
): Figure {
  const where = "attractorPlot";
  const a = asMatrix(truth, where, "truth");
  const b = asMatrix(prediction, where, "prediction");
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(
      `${where}: prediction must have the shape of truth ${fmtShape([a.rows, a.cols])}, got ${fmtShape([b.rows, b.cols])}`,
    );
  }
  const dims = seriesNames(a.cols, names, "x", where);
  const [i, j] = options.dims ?? [0, a.cols - 1];
  if (!(i >= 0 && j >= 0 && i < a.cols && j < a.cols && i !== j)) {
    throw new ShapeError(
      `${where}: dims must be two different dimensions in [0, ${a.cols}), got [${i}, ${j}]`,
    );
  }
  const rows = (m: typeof a, source: string) =>
    evenIndices(m.rows).map((t) => ({ t, u: at(m, t, i), v: at(m, t, j), source }));
  const encoding = (field: "u" | "v", d: number) => ({
    field,
    type: "quantitative",
    title: dims[d],
    scale: { zero: false },
  });
  const colour = {
    field: "source",
    type: "nominal",
    title: null,
    scale: { domain: ["truth", "prediction"], range: ["#9a9a9a", OKABE_ITO[1]] },
  } as const;
  const path = (source: string, strokeWidth: number) => ({
    data: { values: rows(source === "truth" ? a : b, source) },
    mark: { type: "line", strokeWidth, opacity: source === "truth" ? 0.9 : 0.85 },
    encoding: {
      x: encoding("u", i),
      y: encoding("v", j),
      order: { field: "t", type: "quantitative" },
      color: colour,
    },
  });
  return {
    ...figureHeader(options.title ?? "Predicted and true attractor"),
    width: PANEL.square,
    height: PANEL.square,
    layer: [path("truth", 3), path("prediction", 1)],
  } as Figure;
}
