/** Membrane potential traces, one row per neuron, with the firing threshold and spike times marked. */
import { type MatrixLike, assertRows, at, asMatrix } from "./arrays.ts";
import { type Figure, OKABE_ITO, PANEL, figureHeader } from "./figure.ts";
import { seriesNames, seriesRows } from "./series.ts";

/** Options of {@link voltageTraces}. */
export interface VoltageTracesOptions {
  readonly title?: string;
  /** The firing threshold, drawn as a dashed horizontal rule in every row. */
  readonly threshold?: number;
  /** Spikes `[T, N]` (nonzero = spike), drawn as dots at the threshold (or at V when no threshold). */
  readonly spikes?: MatrixLike;
  /** Names of the neurons (default `neuron 1 …`). */
  readonly neuronNames?: readonly string[];
  /** Label of the voltage axis, with units (default "V (a.u.)"). */
  readonly voltageTitle?: string;
}

/**
 * One row per neuron of `V` (`[T, N]`; pass a few columns), sharing the time axis: the trace,
 * decimated to ≤ 2000 points by min–max buckets so spikes and resets stay visible, the threshold as a
 * dashed rule and each spike as a dot.
 * @param dtMs step size in milliseconds
 * @example voltageTraces(V.slice(..), 0.1, { threshold: 1, spikes })
 */
export function voltageTraces(V: MatrixLike, dtMs: number, options: VoltageTracesOptions = {}): Figure {
  const where = "voltageTraces";
  const v = asMatrix(V, where, "V");
  const names = seriesNames(v.cols, options.neuronNames, "neuron", where);
  const x = {
    field: "t",
    type: "quantitative",
    title: "time (ms)",
    scale: { domain: [0, v.rows * dtMs], nice: false },
  } as const;
  const y = {
    field: "value",
    type: "quantitative",
    title: options.voltageTitle ?? "V (a.u.)",
    axis: { tickCount: 3 },
  } as const;
  const rows: { t: number; value: number; series: string; kind: string }[] = seriesRows(v, names, dtMs).map(
    (r) => ({ ...r, kind: "V" }),
  );
  if (options.spikes !== undefined) {
    const s = asMatrix(options.spikes, where, "spikes");
    assertRows(s, v.rows, where, "spikes");
    for (let t = 0; t < s.rows; t++) {
      for (let n = 0; n < Math.min(s.cols, v.cols); n++) {
        if (at(s, t, n) !== 0) {
          rows.push({
            t: t * dtMs,
            value: options.threshold ?? at(v, t, n),
            series: names[n] as string,
            kind: "spike",
          });
        }
      }
    }
  }
  const threshold = options.threshold;
  // One threshold row per neuron, so each row of panels draws its rule once.
  if (threshold !== undefined)
    for (const series of names) rows.push({ t: 0, value: threshold, series, kind: "threshold" });
  return {
    ...figureHeader(options.title ?? "Membrane potential"),
    data: { values: rows },
    facet: {
      row: {
        field: "series",
        type: "nominal",
        title: null,
        sort: names,
        header: { labelAngle: 0, labelAlign: "left" },
      },
    },
    spec: {
      width: PANEL.width,
      height: Math.max(40, Math.min(PANEL.height, 360 / Math.max(1, v.cols))),
      layer: [
        {
          transform: [{ filter: "datum.kind === 'V'" }],
          mark: { type: "line", strokeWidth: 1, color: "black" },
          encoding: { x, y },
        },
        ...(threshold === undefined
          ? []
          : [
              {
                transform: [{ filter: "datum.kind === 'threshold'" }],
                mark: { type: "rule", strokeDash: [4, 4], color: "#777777" },
                encoding: { y },
              },
            ]),
        {
          transform: [{ filter: "datum.kind === 'spike'" }],
          mark: { type: "point", filled: true, size: 22, color: OKABE_ITO[1] },
          encoding: { x, y },
        },
      ],
    },
    spacing: 4,
  } as Figure;
}
