/**
 * One task trial over time: the named periods, the input channels, the target action with the loss
 * weight of each step, and (when given) the network's outputs, in panels sharing the time axis.
 */
import { type Matrix, type MatrixLike, type VectorLike, assertRows, asMatrix, asVector } from "./arrays.ts";
import { type Figure, MAX_LEGEND_SERIES, PANEL, figureHeader } from "./figure.ts";
import { type TrialPeriod, periodBoundaries, periodShading, periodStrip } from "./periods.ts";
import { seriesNames, stepRows } from "./series.ts";
import { gridHeight, timeGridLayer } from "./timeGrid.ts";

/** The data of {@link trialPlot}. */
export interface TrialPlotData {
  /** Observations `[T, nIn]`. */
  readonly inputs: MatrixLike;
  /** Target action per step `[T]` (0 = fixate in NeuroGym tasks). */
  readonly targets: VectorLike;
  /** Network outputs `[T, nOut]`: logits or action probabilities (omit for the task alone). */
  readonly outputs?: MatrixLike;
  /** Loss weight per step `[T]` (the task's loss mask). */
  readonly mask?: VectorLike;
  /** The trial's periods, shaded and named. */
  readonly periods?: readonly TrialPeriod[];
  /** Step size in milliseconds. */
  readonly dtMs: number;
  /** Names of the input channels (default `input 1 …`). */
  readonly channelNames?: readonly string[];
  /** Names of the actions: the target classes and the output units (default `action 0 …`, 0 = fixate). */
  readonly actionNames?: readonly string[];
}

/** Options of {@link trialPlot}. */
export interface TrialPlotOptions {
  readonly title?: string;
  /** Label of the output axis (default "network output"; e.g. "P(action)" for probabilities). */
  readonly outputTitle?: string;
}

/** A panel of step-wise lines (≤ 8 series) or a time × series grid (more), behind it the periods. */
function signalPanel(
  m: Matrix,
  names: readonly string[],
  dtMs: number,
  periods: readonly TrialPeriod[],
  time: object,
  titles: { readonly value: string; readonly series: string },
) {
  const totalMs = m.rows * dtMs;
  if (m.cols > MAX_LEGEND_SERIES) {
    const grid = timeGridLayer(m, names, dtMs, { rowTitle: titles.series, valueTitle: titles.value });
    return {
      width: PANEL.width,
      height: gridHeight(m.cols),
      layer: [
        { ...grid, encoding: { ...grid.encoding, x: { ...grid.encoding.x, ...time, field: "t0" } } },
        ...periodBoundaries(periods, totalMs),
      ],
    };
  }
  return {
    width: PANEL.width,
    height: PANEL.height,
    layer: [
      ...periodShading(periods, totalMs),
      {
        data: { values: stepRows(m, names, dtMs) },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
        encoding: {
          x: { ...time, field: "t" },
          y: { field: "value", type: "quantitative", title: titles.value },
          color: { field: "series", type: "nominal", title: titles.series, sort: [...names] },
        },
      },
    ],
  };
}

/**
 * Panels sharing the time axis (ms): the periods named in a strip, the inputs, the target action
 * (its axis labelled with the action names) with the loss weight per step, and the outputs. Every
 * per-step signal is drawn as steps, each value holding for `[t, t + dt)`, so a period that starts
 * at 300 ms is seen to start there. More than 8 channels (or outputs) are drawn as a time × channel
 * grid instead of lines. Series longer than 2000 steps are decimated.
 * @example trialPlot({ inputs: trial.ob, targets: trial.gt, mask: trial.mask, periods, dtMs: 20, channelNames: task.obColumnNames, actionNames })
 */
export function trialPlot(data: TrialPlotData, options: TrialPlotOptions = {}): Figure {
  const where = "trialPlot";
  const inputs = asMatrix(data.inputs, where, "inputs");
  const T = inputs.rows;
  const targets = asVector(data.targets, where, "targets");
  const targetColumn: Matrix = { rows: targets.length, cols: 1, data: targets };
  assertRows(targetColumn, T, where, "targets");
  const outputs = data.outputs === undefined ? undefined : asMatrix(data.outputs, where, "outputs");
  if (outputs) assertRows(outputs, T, where, "outputs");
  const mask = data.mask === undefined ? undefined : asVector(data.mask, where, "mask");
  const maskColumn: Matrix | undefined = mask && { rows: mask.length, cols: 1, data: mask };
  if (maskColumn) assertRows(maskColumn, T, where, "mask");
  let nActions = outputs?.cols ?? data.actionNames?.length ?? 0;
  for (let t = 0; t < T; t++) nActions = Math.max(nActions, (targets[t] as number) + 1);
  const actions = data.actionNames ?? Array.from({ length: nActions }, (_, a) => `action ${a}`);
  const inNames = seriesNames(inputs.cols, data.channelNames, "input", where);
  const periods = data.periods ?? [];
  const totalMs = T * data.dtMs;
  const time = {
    field: "t",
    type: "quantitative",
    title: "time (ms)",
    scale: { domain: [0, totalMs], nice: false },
  } as const;
  const labelled = actions.length <= 12;
  const targetPanel = {
    width: PANEL.width,
    height: Math.max(PANEL.height / 2, Math.min(14 * actions.length, PANEL.height)),
    layer: [
      ...periodShading(periods, totalMs),
      {
        data: { values: stepRows(targetColumn, ["target"], data.dtMs) },
        mark: { type: "line", interpolate: "step-after", color: "black", strokeWidth: 1.5 },
        encoding: {
          x: { ...time, field: "t" },
          y: {
            field: "value",
            type: "quantitative",
            title: "target action",
            scale: { domain: [-0.3, Math.max(1, actions.length - 1) + 0.3], nice: false, zero: false },
            axis: labelled
              ? {
                  values: actions.map((_, a) => a),
                  labelExpr: `${JSON.stringify(actions)}[datum.value]`,
                  grid: false,
                }
              : { tickMinStep: 1 },
          },
        },
      },
    ],
  };
  const panels: object[] = [];
  if (periods.length > 0) panels.push(periodStrip(periods, totalMs, time));
  panels.push(
    signalPanel(inputs, inNames, data.dtMs, periods, time, {
      value: "input (a.u.)",
      series: "input channel",
    }),
    targetPanel,
  );
  if (maskColumn) {
    panels.push({
      width: PANEL.width,
      height: 40,
      layer: [
        ...periodShading(periods, totalMs),
        {
          data: { values: stepRows(maskColumn, ["loss weight"], data.dtMs) },
          mark: { type: "area", interpolate: "step-after", color: "#56B4E9", opacity: 0.8 },
          encoding: {
            x: { ...time, field: "t" },
            y: { field: "value", type: "quantitative", title: "loss weight", axis: { tickCount: 2 } },
          },
        },
      ],
    });
  }
  if (outputs) {
    const outNames = seriesNames(outputs.cols, data.actionNames, "output", where);
    panels.push(
      signalPanel(outputs, outNames, data.dtMs, periods, time, {
        value: options.outputTitle ?? "network output",
        series: "output unit",
      }),
    );
  }
  return {
    ...figureHeader(options.title ?? "Trial"),
    vconcat: panels,
    spacing: 6,
    resolve: { scale: { color: "independent" } },
  } as Figure;
}
