/** The sorted task-variance map of Yang et al. (2019, Fig. 2b): units grouped by cluster against tasks. */
import { ShapeError, ValueError } from "../base/errors.ts";
import { type MatrixLike, asMatrix, at } from "./arrays.ts";
import { type Figure, PANEL, type Panel, figureHeader } from "./figure.ts";

/** Options of {@link taskVarianceMap}. */
export interface TaskVarianceMapOptions {
  readonly title?: string;
  /** Task names, one per column of the matrix (default `task 1`, `task 2`, ...). */
  readonly tasks?: readonly string[];
  /** The cluster of each unit in `order` (same length): drawn as a coloured band above the map. */
  readonly clusters?: readonly number[];
}

/**
 * The normalised task variances `[H, K]` (unit × task) as a map with one row per task and one
 * column per unit, the units in `order` (e.g. `clusterUnits(...).order`, which may leave units
 * out), so each cluster is a block of columns; with `clusters`, a band above the map marks which
 * cluster each column belongs to. Colour runs from 0 (the unit is silent in that task) to 1 (the
 * task it varies most in), every cell drawn (no block averaging, so no two tasks are merged).
 * @example taskVarianceMap(tv.normalized, clusters.order, { tasks: names, clusters: sortedLabels })
 */
export function taskVarianceMap(
  normalized: MatrixLike,
  order: readonly number[],
  options: TaskVarianceMapOptions = {},
): Figure {
  const m = asMatrix(normalized, "taskVarianceMap", "normalized");
  if (order.length === 0)
    throw new ValueError("taskVarianceMap: order must list at least one unit, got none");
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= m.rows) {
      throw new ShapeError(`taskVarianceMap: order must hold unit indices in [0, ${m.rows}), got ${i}`);
    }
  }
  const tasks = options.tasks ?? Array.from({ length: m.cols }, (_, k) => `task ${k + 1}`);
  if (tasks.length !== m.cols) {
    throw new ShapeError(`taskVarianceMap: tasks must name the ${m.cols} columns, got ${tasks.length} names`);
  }
  const clusters = options.clusters;
  if (clusters && clusters.length !== order.length) {
    throw new ShapeError(
      `taskVarianceMap: clusters must give one label per unit of order (${order.length}), got ${clusters.length}`,
    );
  }
  const cells = order.flatMap((unit, position) =>
    tasks.map((task, k) => ({
      position,
      unit,
      task,
      value: at(m, unit, k),
      ...(clusters ? { cluster: (clusters[position] as number) + 1 } : {}),
    })),
  );
  const width = Math.min(800, Math.max(PANEL.width, 3 * order.length));
  const x = { field: "position", type: "ordinal", title: "unit (sorted by cluster)", axis: null } as const;
  const map: Panel = {
    width,
    height: 14 * tasks.length,
    mark: { type: "rect" },
    encoding: {
      x,
      y: { field: "task", type: "nominal", sort: [...tasks], title: null },
      color: {
        field: "value",
        type: "quantitative",
        title: "normalised task variance",
        scale: { scheme: "magma", domain: [0, 1], reverse: true },
        legend: { titleLimit: 260 },
      },
    },
  };
  const title = options.title ?? "Normalised task variance";
  if (!clusters) return { ...figureHeader(title), data: { values: cells }, vconcat: [map] };
  const band: Panel = {
    width,
    height: 10,
    transform: [{ filter: { field: "task", equal: tasks[0] as string } }],
    mark: { type: "rect" },
    encoding: {
      x,
      color: {
        field: "cluster",
        type: "ordinal",
        title: "cluster",
        scale: { scheme: "tableau20" },
      },
    },
  };
  return {
    ...figureHeader(title),
    data: { values: cells },
    vconcat: [band, map],
    spacing: 2,
    resolve: { scale: { color: "independent" } },
  };
}
