/** Training curves: loss per step and, when recorded, a held-out metric in a second panel. */
import { ValueError } from "../base/errors.ts";
import { decimateIndices } from "./decimate.ts";
import { type Figure, type Panel, PANEL, figureHeader } from "./figure.ts";

/** One entry of a training history. */
export interface LossPoint {
  readonly step: number;
  readonly loss: number;
  /** A held-out metric (e.g. accuracy), when evaluated at this step. */
  readonly metric?: number;
}

/** Options of {@link lossCurve}. */
export interface LossCurveOptions {
  readonly title?: string;
  /** Log-scaled loss axis; default: on when every loss is positive. */
  readonly logScale?: boolean;
  /** Label of the loss axis (default "loss"). */
  readonly lossTitle?: string;
  /** Label of the metric axis (default "held-out metric"). */
  readonly metricTitle?: string;
}

/** A panel of `{ step, value }` rows against training step, with the points drawn when `points`. */
function stepPanel(
  values: { step: number; value: number }[],
  yTitle: string,
  log: boolean,
  points: boolean,
): Panel {
  return {
    width: PANEL.width,
    height: PANEL.height,
    data: { values },
    mark: { type: "line", point: points },
    encoding: {
      x: { field: "step", type: "quantitative", title: "training step (updates)" },
      y: {
        field: "value",
        type: "quantitative",
        title: yTitle,
        scale: log ? { type: "log", nice: false } : { zero: false },
      },
    },
  };
}

/**
 * The loss per training step (decimated to ≤ 2000 points), and the held-out metric per evaluated step
 * in a second panel below when any entry has one.
 * @param history `[{ step, loss, metric? }]` in step order, as `Trainer.fit` returns
 * @example await writeFigure("loss.svg", lossCurve(history, { metricTitle: "accuracy" }));
 */
export function lossCurve(history: readonly LossPoint[], options: LossCurveOptions = {}): Figure {
  const allPositive = history.every((h) => h.loss > 0);
  const logScale = options.logScale ?? allPositive;
  if (logScale && !allPositive) {
    throw new ValueError("lossCurve: logScale needs every loss > 0, got a loss <= 0. Pass logScale: false");
  }
  const lossTitle = options.lossTitle ?? "loss";
  const losses = decimateIndices(history.map((h) => h.loss)).map((i) => history[i] as LossPoint);
  const panels = [
    stepPanel(
      losses.map(({ step, loss }) => ({ step, value: loss })),
      logScale ? `${lossTitle} (log scale)` : lossTitle,
      logScale,
      false,
    ),
  ];
  const metrics = history.flatMap(({ step, metric }) =>
    metric === undefined ? [] : [{ step, value: metric }],
  );
  if (metrics.length > 0)
    panels.push(stepPanel(metrics, options.metricTitle ?? "held-out metric", false, true));
  return { ...figureHeader(options.title ?? "Training loss"), vconcat: panels };
}
