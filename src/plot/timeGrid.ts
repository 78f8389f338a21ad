/**
 * A signal `[T, n]` as a grid of cells (time across, one row per channel or unit): what a paper
 * shows when there are too many channels for lines and a legend (32 ring inputs, 128 hidden units).
 */
import { type Matrix, at } from "./arrays.ts";
import { PANEL } from "./figure.ts";

/** At most this many time bins are drawn; longer signals are averaged over consecutive steps. */
const MAX_BINS = 200;

/** Options of {@link timeGridLayer}. */
export interface TimeGridOptions {
  /** Title of the row axis, e.g. "input channel" or "hidden unit". */
  readonly rowTitle: string;
  /** Title of the colour legend, with units. */
  readonly valueTitle: string;
}

/** Row height in pixels for `n` rows: readable names up to ~40 rows, then a compact grid. */
export function gridHeight(n: number): number {
  return Math.round(Math.min(Math.max(PANEL.height, 9 * n), 420));
}

/**
 * The cells of `m` (`[T, n]`) with row names `names`, each step `[t·dt, (t+1)·dt)` (averaged over
 * bins when T > 200), coloured on viridis when every value is ≥ 0 and on a blue–orange diverging
 * scale centred at 0 otherwise.
 * @returns a layer (data, mark and encoding) for a panel whose x axis is time in ms
 */
export function timeGridLayer(m: Matrix, names: readonly string[], dtMs: number, options: TimeGridOptions) {
  const f = Math.max(1, Math.ceil(m.rows / MAX_BINS));
  const cells: { t0: number; t1: number; row: string; value: number }[] = [];
  let nonNegative = true;
  for (let b = 0; b * f < m.rows; b++) {
    const lo = b * f;
    const hi = Math.min(m.rows, lo + f);
    names.forEach((row, j) => {
      let sum = 0;
      for (let t = lo; t < hi; t++) sum += at(m, t, j);
      const value = sum / (hi - lo);
      if (value < 0) nonNegative = false;
      cells.push({ t0: lo * dtMs, t1: hi * dtMs, row, value });
    });
  }
  return {
    data: { values: cells },
    mark: { type: "rect" },
    encoding: {
      x: { field: "t0", type: "quantitative" },
      x2: { field: "t1" },
      y: {
        field: "row",
        type: "ordinal",
        title: options.rowTitle,
        sort: [...names],
        axis: { labelOverlap: "greedy", labelFontSize: 9 },
      },
      color: {
        field: "value",
        type: "quantitative",
        title: options.valueTitle,
        scale: nonNegative ? { scheme: "viridis" } : { scheme: "blueorange", domainMid: 0 },
      },
    },
  } as const;
}
