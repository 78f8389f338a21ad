/** Matrices (e.g. recurrent weights) as colour grids on a diverging scale centred at zero. */
import { type Matrix, type MatrixLike, at, asMatrix } from "./arrays.ts";
import { type Figure, PANEL, figureHeader } from "./figure.ts";

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  readonly title?: string;
  /** Label of the row axis (default "row (postsynaptic unit)"). */
  readonly rowTitle?: string;
  /** Label of the column axis (default "column (presynaptic unit)"). */
  readonly columnTitle?: string;
  /** Legend title (default "weight"). */
  readonly valueTitle?: string;
  /** Larger matrices are averaged over square blocks so each side has at most this many cells (default 128). */
  readonly maxSide?: number;
}

/** Averages `m` over `f × f` blocks (the last block in each direction may be smaller). */
function blockAverage(m: Matrix, f: number): Matrix {
  const rows = Math.ceil(m.rows / f);
  const cols = Math.ceil(m.cols / f);
  const sums = new Float64Array(rows * cols);
  const counts = new Float64Array(rows * cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const k = Math.floor(i / f) * cols + Math.floor(j / f);
      sums[k] = (sums[k] as number) + at(m, i, j);
      counts[k] = (counts[k] as number) + 1;
    }
  }
  return { rows, cols, data: sums.map((s, k) => s / (counts[k] as number)) };
}

/**
 * One rect per entry of `matrix` (`[rows, cols]`), coloured on a blue–orange scale with white at 0.
 * Matrices with a side longer than `maxSide` are block-averaged first (the axis then counts blocks,
 * and the title says so).
 * @example heatmap(params.wRec, { title: "Recurrent weights" })
 */
export function heatmap(matrix: MatrixLike, options: HeatmapOptions = {}): Figure {
  const full = asMatrix(matrix, "heatmap", "matrix");
  const f = Math.max(1, Math.ceil(Math.max(full.rows, full.cols) / (options.maxSide ?? 128)));
  const m = f === 1 ? full : blockAverage(full, f);
  const cells: { row: number; col: number; value: number }[] = [];
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) cells.push({ row: i, col: j, value: at(m, i, j) });
  const blocks = f === 1 ? "" : ` (means over ${f}×${f} blocks)`;
  const side = Math.min(PANEL.width, Math.max(PANEL.height, 6 * Math.max(m.rows, m.cols)));
  return {
    ...figureHeader((options.title ?? "Matrix") + blocks),
    width: (side * m.cols) / Math.max(m.rows, m.cols),
    height: (side * m.rows) / Math.max(m.rows, m.cols),
    data: { values: cells },
    mark: { type: "rect" },
    encoding: {
      x: {
        field: "col",
        type: "ordinal",
        title: options.columnTitle ?? "column (presynaptic unit)",
        axis: { labelOverlap: true },
      },
      y: {
        field: "row",
        type: "ordinal",
        title: options.rowTitle ?? "row (postsynaptic unit)",
        axis: { labelOverlap: true },
      },
      color: {
        field: "value",
        type: "quantitative",
        title: options.valueTitle ?? "weight",
        scale: { scheme: "blueorange", domainMid: 0 },
      },
    },
  };
}
