/** One task trial: input channels, the target class and the network's output over time, stacked. */
import { type MatrixLike, type VectorLike, assertRows, asMatrix, asVector } from "./arrays.ts";
import { type Figure, type Panel, PANEL, figureHeader } from "./figure.ts";
import { seriesNames, seriesRows } from "./series.ts";

/** The data of {@link trialPlot}. */
export interface TrialPlotData {
  /** Observations `[T, nIn]`. */
  readonly inputs: MatrixLike;
  /** Target class per step `[T]` (0 = fixation in NeuroGym tasks). */
  readonly targets: VectorLike;
  /** Network outputs `[T, nOut]`: logits or class probabilities. */
  readonly outputs: MatrixLike;
  /** Step size in milliseconds. */
  readonly dtMs: number;
  /** Names of the input channels (default `input 0 …`). */
  readonly channelNames?: readonly string[];
  /** Names of the output units (default `output 0 …`). */
  readonly outputNames?: readonly string[];
}

/** Options of {@link trialPlot}. */
export interface TrialPlotOptions {
  readonly title?: string;
  /** Label of the output axis (default "network output"; e.g. "P(choice)" for probabilities). */
  readonly outputTitle?: string;
}

const time = { field: "t", type: "quantitative", title: "time (ms)" } as const;

function linePanel(values: object[], yTitle: string, colourTitle: string): Panel {
  return {
    width: PANEL.width,
    height: PANEL.height,
    data: { values },
    mark: "line",
    encoding: {
      x: time,
      y: { field: "value", type: "quantitative", title: yTitle },
      color: { field: "series", type: "nominal", title: colourTitle, sort: null },
    },
  };
}

/**
 * Three stacked panels sharing the time axis: input channels, the target class (a step line) and
 * the outputs. Series longer than 2000 steps are decimated.
 * @example trialPlot({ inputs: trial.ob, targets: trial.gt, outputs: probs, dtMs: 20, channelNames: ["fixation", "left", "right"] })
 */
export function trialPlot(data: TrialPlotData, options: TrialPlotOptions = {}): Figure {
  const where = "trialPlot";
  const inputs = asMatrix(data.inputs, where, "inputs");
  const outputs = asMatrix(data.outputs, where, "outputs");
  const targets = asVector(data.targets, where, "targets");
  assertRows(outputs, inputs.rows, where, "outputs");
  const targetColumn = { rows: targets.length, cols: 1, data: targets };
  assertRows(targetColumn, inputs.rows, where, "targets");
  const inNames = seriesNames(inputs.cols, data.channelNames, "input", where);
  const outNames = seriesNames(outputs.cols, data.outputNames, "output", where);
  const targetPanel: Panel = {
    width: PANEL.width,
    height: PANEL.height / 2,
    data: { values: seriesRows(targetColumn, ["target"], data.dtMs) },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: time,
      y: { field: "value", type: "quantitative", title: "target class", axis: { tickMinStep: 1 } },
    },
  };
  return {
    ...figureHeader(options.title ?? "Trial"),
    vconcat: [
      linePanel(seriesRows(inputs, inNames, data.dtMs), "input (a.u.)", "input channel"),
      targetPanel,
      linePanel(
        seriesRows(outputs, outNames, data.dtMs),
        options.outputTitle ?? "network output",
        "output unit",
      ),
    ],
    resolve: { scale: { color: "independent" } },
  };
}
