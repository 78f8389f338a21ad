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
 * `names` when given (checked to have `count` entries), otherwise `prefix 0 … prefix count−1`.
 */
export function seriesNames(
  count: number,
  names: readonly string[] | undefined,
  prefix: string,
  where: string,
): string[] {
  if (names === undefined) return Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
  if (names.length !== count) {
    throw new ShapeError(`${where}: need ${count} names, got ${names.length} (${names.join(", ")})`);
  }
  return [...names];
}
