/** Membrane potential traces, with the firing threshold and spike times marked. */
import { type MatrixLike, assertRows, at, asMatrix } from "./arrays.ts";
import { type Figure, PANEL, figureHeader } from "./figure.ts";
import { seriesNames, seriesRows } from "./series.ts";

/** Options of {@link voltageTraces}. */
export interface VoltageTracesOptions {
  readonly title?: string;
  /** The firing threshold, drawn as a dashed horizontal rule. */
  readonly threshold?: number;
  /** Spikes `[T, N]` (nonzero = spike), drawn as dots at the threshold (or at V when no threshold). */
  readonly spikes?: MatrixLike;
  /** Names of the neurons (default `neuron 0 …`). */
  readonly neuronNames?: readonly string[];
  /** Label of the voltage axis, with units (default "membrane potential (a.u.)"). */
  readonly voltageTitle?: string;
}

/**
 * One line per neuron of `V` (`[T, N]`; pass a few columns), decimated to ≤ 2000 points per line by
 * min–max buckets so spikes and resets stay visible.
 * @param dtMs step size in milliseconds
 * @example voltageTraces(V.slice(..), 0.1, { threshold: 1, spikes })
 */
export function voltageTraces(V: MatrixLike, dtMs: number, options: VoltageTracesOptions = {}): Figure {
  const where = "voltageTraces";
  const v = asMatrix(V, where, "V");
  const names = seriesNames(v.cols, options.neuronNames, "neuron", where);
  const x = { field: "t", type: "quantitative", title: "time (ms)" } as const;
  const yTitle = options.voltageTitle ?? "membrane potential (a.u.)";
  const colour = { field: "series", type: "nominal", title: "neuron", sort: null } as const;
  const spikeDots: { t: number; value: number; series: string }[] = [];
  if (options.spikes !== undefined) {
    const s = asMatrix(options.spikes, where, "spikes");
    assertRows(s, v.rows, where, "spikes");
    for (let t = 0; t < s.rows; t++) {
      for (let n = 0; n < Math.min(s.cols, v.cols); n++) {
        if (at(s, t, n) !== 0) {
          spikeDots.push({
            t: t * dtMs,
            value: options.threshold ?? at(v, t, n),
            series: names[n] as string,
          });
        }
      }
    }
  }
  const threshold = options.threshold;
  return {
    ...figureHeader(options.title ?? "Membrane potential"),
    width: PANEL.width,
    height: PANEL.height * 1.5,
    layer: [
      {
        data: { values: seriesRows(v, names, dtMs) },
        mark: { type: "line", strokeWidth: 1 },
        encoding: { x, y: { field: "value", type: "quantitative", title: yTitle }, color: colour },
      },
      {
        data: { values: threshold === undefined ? [] : [{ threshold }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
        encoding: { y: { field: "threshold", type: "quantitative", title: yTitle } },
      },
      {
        data: { values: spikeDots },
        mark: { type: "point", filled: true, size: 25 },
        encoding: { x, y: { field: "value", type: "quantitative", title: yTitle }, color: colour },
      },
    ],
  };
}
