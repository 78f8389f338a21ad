/** Long-format rows (one per plotted sample) from matrix columns, the layout Vega-Lite lines want. */
import { ShapeError } from "../base/errors.ts";
import { type Matrix, column } from "./arrays.ts";
import { decimateIndices } from "./decimate.ts";

/** One plotted sample: time, value, and the name of the series (column) it belongs to. */
export interface SeriesRow {
  readonly t: number;
  readonly value: number;
  readonly series: string;
}

/**
 * One row per kept sample of every column of `m` (`[T, n]`), at time `t = step * dt`; each column
 * is decimated to at most `maxPoints` samples (see {@link decimateIndices}).
 */
export function seriesRows(m: Matrix, names: readonly string[], dt: number, maxPoints?: number): SeriesRow[] {
  const rows: SeriesRow[] = [];
  names.forEach((series, j) => {
    const values = column(m, j);
    for (const i of decimateIndices(values, maxPoints))
      rows.push({ t: i * dt, value: values[i] as number, series });
  });
  return rows;
}

/**
 * Rows of a step-wise signal: each sample holds for `[t, t + dt)`, so beside the samples of
 * {@link seriesRows} every column gets a last row at `T · dt` repeating its final value. Drawn with
 * `interpolate: "step-after"`, a value that starts at step k starts at `k · dt` (no ramps between steps).
 */
export function stepRows(m: Matrix, names: readonly string[], dt: number, maxPoints?: number): SeriesRow[] {
  const rows = seriesRows(m, names, dt, maxPoints);
  if (m.rows === 0) return rows;
  names.forEach((series, j) =>
    rows.push({ t: m.rows * dt, value: column(m, j)[m.rows - 1] as number, series }),
  );
  return rows;
}

/**
 * `names` when given (checked to have `count` entries), otherwise `prefix 1 … prefix count`
 * (numbered from 1, as channel, choice and neuron names are everywhere in the figures).
 */
export function seriesNames(
  count: number,
  names: readonly string[] | undefined,
  prefix: string,
  where: string,
): string[] {
  if (names === undefined) return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);
  if (names.length !== count) {
    throw new ShapeError(`${where}: need ${count} names, got ${names.length} (${names.join(", ")})`);
  }
  return [...names];
}
