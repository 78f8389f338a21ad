/** The sorted task-variance map of Yang et al. (2019, Fig. 2b): units grouped by cluster against tasks. */
import { ShapeError, ValueError } from "../base/errors.ts";
import { type MatrixLike, asMatrix, at } from "./arrays.ts";
import type { Figure } from "./figure.ts";
import { heatmap } from "./heatmap.ts";

/**
 * A heatmap of normalised task variances `[H, K]` (unit × task) with the rows in `order` (e.g.
 * `clusterUnits(...).order`, which may leave units out), so each cluster is a band of rows.
 * Columns are the tasks in their given order (column k = task k).
 * @example taskVarianceMap(tv.normalized, clusters.order)
 */
export function taskVarianceMap(
  normalized: MatrixLike,
  order: readonly number[],
  title = "Normalised task variance",
): Figure {
  const m = asMatrix(normalized, "taskVarianceMap", "normalized");
  if (order.length === 0)
    throw new ValueError("taskVarianceMap: order must list at least one unit, got none");
  const rows = order.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= m.rows) {
      throw new ShapeError(`taskVarianceMap: order must hold unit indices in [0, ${m.rows}), got ${i}`);
    }
    return Array.from({ length: m.cols }, (_, k) => at(m, i, k));
  });
  return heatmap(rows, {
    title,
    rowTitle: "unit (sorted by cluster)",
    columnTitle: "task",
    valueTitle: "normalised task variance",
  });
}
