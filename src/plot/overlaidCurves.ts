/** Many runs' curves on one panel (a sweep's training curves), coloured by configuration. */
import { ValueError } from "../base/errors.ts";
import { type Figure, MAX_LEGEND_SERIES, PANEL, figureHeader } from "./figure.ts";

/** One point of one run's curve. */
export interface RunCurvePoint {
  /** The run the point belongs to (one line per run). */
  readonly run: string;
  /** The group that colours it, e.g. its configuration without the seed. */
  readonly group: string;
  readonly x: number;
  readonly y: number;
}

/** Options of {@link overlaidCurves}. */
export interface OverlaidCurvesOptions {
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Log-scaled y axis (default false). */
  readonly logScale?: boolean;
}

/**
 * One line per run, coloured by group (with a legend up to eight groups), all on one panel.
 * @example overlaidCurves([{ run: "0001", group: "lr 0.01", x: 1, y: 0.7 }], { yTitle: "accuracy" })
 */
export function overlaidCurves(
  points: readonly RunCurvePoint[],
  options: OverlaidCurvesOptions = {},
): Figure {
  if (points.length === 0) throw new ValueError("overlaidCurves: points must not be empty");
  const groups = new Set(points.map((p) => p.group)).size;
  return {
    ...figureHeader(options.title ?? "Curves"),
    width: PANEL.width,
    height: 220,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: "line", point: { size: 14 }, opacity: 0.8 },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xTitle ?? "x" },
      y: {
        field: "y",
        type: "quantitative",
        title: options.yTitle ?? "y",
        scale: options.logScale ? { type: "log" } : { zero: false },
      },
      color: { field: "group", type: "nominal", title: null, legend: groups > MAX_LEGEND_SERIES ? null : {} },
      detail: { field: "run", type: "nominal" },
    },
  } as Figure;
}
