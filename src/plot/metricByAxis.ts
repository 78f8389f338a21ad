/** A sweep's metric against each of its axes: every trial, and the mean ± SD over the trials sharing a value. */
import { ValueError } from "../base/errors.ts";
import { type Figure, OKABE_ITO, figureHeader } from "./figure.ts";

/** One trial's metric at its value of one axis. */
export interface AxisPoint {
  /** The axis (a config key path). */
  readonly axis: string;
  /** The value as shown on the axis. */
  readonly value: string;
  /** Where the value sorts on its axis (its position in the axis's values). */
  readonly order: number;
  readonly metric: number;
}

/** Options of {@link metricByAxis}. */
export interface MetricByAxisOptions {
  readonly title?: string;
  /** Label of the metric axis (default "metric"). */
  readonly metricTitle?: string;
}

/**
 * One panel per axis: each trial's metric at its value of the axis (grey points), the mean over the
 * trials sharing the value (the other axes and the seeds; black points joined by a line) and ± one
 * standard deviation around it (error bars).
 * @example metricByAxis([{ axis: "training.lr", value: "0.01", order: 0, metric: 0.83 }], { metricTitle: "accuracy" })
 */
export function metricByAxis(points: readonly AxisPoint[], options: MetricByAxisOptions = {}): Figure {
  if (points.length === 0) throw new ValueError("metricByAxis: points must not be empty");
  const x = { field: "value", type: "ordinal", title: null, sort: { field: "order" } } as const;
  const y = {
    field: "metric",
    type: "quantitative",
    title: options.metricTitle ?? "metric",
    scale: { zero: false },
  } as const;
  return {
    ...figureHeader(options.title ?? "Metric against each axis"),
    data: { values: points.map((p) => ({ ...p })) },
    facet: { field: "axis", type: "nominal", title: null, sort: [...new Set(points.map((p) => p.axis))] },
    columns: 3,
    resolve: { scale: { x: "independent" } },
    spec: {
      width: 200,
      height: 160,
      layer: [
        {
          mark: { type: "point", filled: true, opacity: 0.45, color: "#888888", size: 30 },
          encoding: { x, y },
        },
        { mark: { type: "errorbar", extent: "stdev", color: OKABE_ITO[0] }, encoding: { x, y } },
        { mark: { type: "line", color: OKABE_ITO[0] }, encoding: { x, y: { ...y, aggregate: "mean" } } },
        {
          mark: { type: "point", filled: true, color: OKABE_ITO[0], size: 50 },
          encoding: { x, y: { ...y, aggregate: "mean" } },
        },
      ],
    },
  } as Figure;
}
