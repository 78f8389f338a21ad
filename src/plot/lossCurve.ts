/** Training curves: loss per step and, when recorded, a held-out metric in a second panel. */
import { ValueError } from "../base/errors.ts";
import { decimateIndices } from "./decimate.ts";
import { type Figure, OKABE_ITO, PANEL, figureHeader } from "./figure.ts";

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
  /** Label of the loss axis, with units (default "loss"). */
  readonly lossTitle?: string;
  /** Label of the metric axis (default "held-out metric"). */
  readonly metricTitle?: string;
  /** The metric axis' range, e.g. `[0, 1]` for an accuracy (default: fitted to the values). */
  readonly metricDomain?: readonly [number, number];
  /** A target the metric should reach, drawn as a dashed line and named (e.g. a tutorial's bar). */
  readonly bar?: { readonly value: number; readonly label: string };
}

/**
 * The loss per training step (decimated to ≤ 2000 points), and the held-out metric per evaluated step
 * in a second panel below when any entry has one (with the `bar` it should reach, when given). Both
 * panels span the same steps, so an evaluation sits under the losses that led to it.
 * @param history `[{ step, loss, metric? }]` in step order, as `Trainer.fit` returns
 * @example await writeFigure("loss.svg", lossCurve(history, { metricTitle: "accuracy", metricDomain: [0, 1] }));
 */
export function lossCurve(history: readonly LossPoint[], options: LossCurveOptions = {}): Figure {
  const allPositive = history.every((h) => h.loss > 0);
  const logScale = options.logScale ?? allPositive;
  if (logScale && !allPositive) {
    throw new ValueError("lossCurve: logScale needs every loss > 0, got a loss <= 0. Pass logScale: false");
  }
  const lossTitle = options.lossTitle ?? "loss";
  const steps = history.map((h) => h.step);
  const domain =
    steps.length === 0 ? [0, 1] : [Math.min(...steps), Math.max(Math.max(...steps), Math.min(...steps) + 1)];
  const x = {
    field: "step",
    type: "quantitative",
    title: "training step (updates)",
    scale: { domain, nice: false },
  } as const;
  const losses = decimateIndices(history.map((h) => h.loss)).map((i) => history[i] as LossPoint);
  const panels: object[] = [
    {
      width: PANEL.width,
      height: PANEL.height,
      data: { values: losses.map(({ step, loss }) => ({ step, value: loss })) },
      mark: { type: "line", color: OKABE_ITO[0], strokeWidth: 1.2 },
      encoding: {
        x,
        y: {
          field: "value",
          type: "quantitative",
          title: logScale ? `${lossTitle}, log scale` : lossTitle,
          scale: logScale ? { type: "log", nice: false } : { zero: false },
        },
      },
    },
  ];
  const metrics = history.flatMap(({ step, metric }) =>
    metric === undefined ? [] : [{ step, value: metric }],
  );
  if (metrics.length > 0) {
    const y = {
      field: "value",
      type: "quantitative",
      title: options.metricTitle ?? "held-out metric",
      scale: options.metricDomain ? { domain: [...options.metricDomain], nice: false } : { zero: false },
    } as const;
    const bar = options.bar;
    panels.push({
      width: PANEL.width,
      height: PANEL.height,
      layer: [
        {
          data: { values: metrics },
          mark: { type: "line", color: OKABE_ITO[1], point: { filled: true, color: OKABE_ITO[1] } },
          encoding: { x, y },
        },
        ...(bar
          ? [
              {
                data: { values: [{ value: bar.value, label: bar.label }] },
                mark: { type: "rule", strokeDash: [5, 4], color: "#555555" },
                encoding: { y },
              },
              {
                data: { values: [{ value: bar.value, label: bar.label }] },
                mark: { type: "text", align: "right", baseline: "bottom", dy: -2, dx: -2, color: "#333333" },
                encoding: { y, x: { value: PANEL.width }, text: { field: "label" } },
              },
            ]
          : []),
      ],
    });
  }
  return {
    ...figureHeader(options.title ?? "Training loss"),
    vconcat: panels,
    resolve: { scale: { x: "shared" } },
  } as Figure;
}
