/** Learning curves of a network trained on several tasks: one small panel per task. */
import { ValueError } from "../base/errors.ts";
import { type Figure, OKABE_ITO, figureHeader } from "./figure.ts";

/** One task's held-out metric after a training step. */
export interface TaskCurvePoint {
  readonly task: string;
  readonly step: number;
  readonly value: number;
}

/** Options of {@link taskCurves}. */
export interface TaskCurvesOptions {
  readonly title?: string;
  /** Label of the metric axis (default "held-out accuracy"). */
  readonly metricTitle?: string;
  /** A level every task should reach, drawn as a dashed line in each panel. */
  readonly bar?: number;
  /** Panels per row (default 5). */
  readonly columns?: number;
}

/**
 * A grid of small panels, one per task in the order first seen, each the task's held-out metric
 * (on `[0, 1]`) against the training step, on one shared step axis.
 * @param points `[{ task, step, value }]`, e.g. every epoch's `accuracy/<task>` metrics
 * @example await writeFigure("tasks.svg", taskCurves([{ task: "go", step: 100, value: 0.9 }], { bar: 0.75 }));
 */
export function taskCurves(points: readonly TaskCurvePoint[], options: TaskCurvesOptions = {}): Figure {
  if (points.length === 0) throw new ValueError("taskCurves: points must not be empty");
  const tasks = [...new Set(points.map((p) => p.task))];
  const y = {
    field: "value",
    type: "quantitative",
    title: options.metricTitle ?? "held-out accuracy",
    scale: { domain: [0, 1], nice: false },
  } as const;
  const x = { field: "step", type: "quantitative", title: "training step (updates)" } as const;
  const layer: object[] = [
    {
      mark: { type: "line", color: OKABE_ITO[0], point: { filled: true, size: 16, color: OKABE_ITO[0] } },
      encoding: { x, y },
    },
  ];
  if (options.bar !== undefined) {
    layer.push({
      // One rule per panel, not one per data row.
      transform: [{ aggregate: [{ op: "count", as: "n" }] }],
      mark: { type: "rule", strokeDash: [4, 3], color: "#555555" },
      encoding: { y: { datum: options.bar, type: "quantitative" } },
    });
  }
  return {
    ...figureHeader(options.title ?? "Held-out accuracy per task"),
    data: { values: points.map((p) => ({ ...p })) },
    facet: { field: "task", type: "nominal", sort: tasks, title: null },
    columns: options.columns ?? 5,
    spec: { width: 150, height: 90, layer },
  } as Figure;
}
