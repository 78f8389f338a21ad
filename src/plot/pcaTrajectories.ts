/** Low-dimensional state-space trajectories (e.g. hidden states projected on principal components). */
import { ShapeError, ValueError } from "../base/errors.ts";
import { type MatrixStackLike, at, asMatrices } from "./arrays.ts";
import { evenIndices } from "./decimate.ts";
import { type Figure, type Panel, PANEL, figureHeader } from "./figure.ts";

/** A fixed or slow point to mark, in the same coordinates as the trajectories. */
export interface MarkedPoint {
  /** Coordinates `[k]` (k = 2 or 3, as the trajectories). */
  readonly coords: ArrayLike<number>;
  /** A category shown by the marker shape, e.g. "stable", "saddle", "unstable". */
  readonly stability: string;
}

/** Options of {@link pcaTrajectories}. */
export interface PcaTrajectoriesOptions {
  readonly title?: string;
  /** One label per trial (e.g. the choice or condition) colouring its line. */
  readonly labels?: readonly (string | number)[];
  /** Legend title of the labels (default "condition"). */
  readonly colourTitle?: string;
  /** Fixed points, drawn as black markers shaped by stability. */
  readonly fixedPoints?: readonly MarkedPoint[];
  /** Explained variance ratio per component, shown in the axis titles. */
  readonly explainedVarianceRatio?: ArrayLike<number>;
}

const pcField = (c: number) => `pc${c + 1}`;

function axisTitle(c: number, ratio: ArrayLike<number> | undefined): string {
  const r = ratio?.[c];
  return r === undefined ? `PC ${c + 1} (a.u.)` : `PC ${c + 1} (a.u.; ${(100 * r).toFixed(1)}% var.)`;
}

function pairPanel(a: number, b: number, options: PcaTrajectoriesOptions, hasLabels: boolean): Panel {
  const x = {
    field: pcField(a),
    type: "quantitative",
    title: axisTitle(a, options.explainedVarianceRatio),
  } as const;
  const y = {
    field: pcField(b),
    type: "quantitative",
    title: axisTitle(b, options.explainedVarianceRatio),
  } as const;
  const colour = hasLabels
    ? { color: { field: "label", type: "nominal", title: options.colourTitle ?? "condition" } as const }
    : {};
  return {
    width: PANEL.square,
    height: PANEL.square,
    layer: [
      {
        data: { name: "trajectories" },
        mark: { type: "line", strokeWidth: 1, opacity: 0.8 },
        encoding: {
          x,
          y,
          detail: { field: "trial", type: "nominal" },
          order: { field: "t", type: "quantitative" },
          ...colour,
        },
      },
      {
        data: { name: "starts" },
        mark: { type: "point", shape: "circle", filled: true, size: 30 },
        encoding: { x, y, ...colour },
      },
      {
        data: { name: "fixedPoints" },
        mark: { type: "point", filled: true, size: 90, color: "black" },
        encoding: { x, y, shape: { field: "stability", type: "nominal", title: "fixed point" } },
      },
    ],
  };
}

/**
 * One line per trial through the first 2 or 3 coordinates, coloured by label, with a dot at each
 * start and fixed points as larger black markers. Three coordinates give the three pairwise
 * projections side by side. Trajectories longer than 2000 steps are subsampled evenly.
 * @param trajectories `[B, T, k]` with k = 2 or 3, e.g. `trajectoryPCA(hidden).trajectories`
 * @example pcaTrajectories(traj, { labels: choices, colourTitle: "choice", fixedPoints })
 */
export function pcaTrajectories(trajectories: MatrixStackLike, options: PcaTrajectoriesOptions = {}): Figure {
  const where = "pcaTrajectories";
  const trials = asMatrices(trajectories, where, "trajectories");
  const k = trials[0]?.cols ?? 2;
  if (k !== 2 && k !== 3)
    throw new ShapeError(`${where}: trajectories must have 2 or 3 coordinates, got ${k}`);
  const labels = options.labels;
  if (labels !== undefined && labels.length !== trials.length) {
    throw new ValueError(
      `${where}: labels must have one entry per trial (${trials.length}), got ${labels.length}`,
    );
  }
  const point = (trial: number, t: number, coords: (c: number) => number) => {
    const row: Record<string, number | string> = { trial, t };
    for (let c = 0; c < k; c++) row[pcField(c)] = coords(c);
    if (labels !== undefined) row["label"] = labels[trial] as string | number;
    return row;
  };
  const rows = trials.flatMap((m, b) => evenIndices(m.rows).map((t) => point(b, t, (c) => at(m, t, c))));
  const fixed = (options.fixedPoints ?? []).map((fp) => {
    const row: Record<string, number | string> = { stability: fp.stability };
    for (let c = 0; c < k; c++) row[pcField(c)] = fp.coords[c] as number;
    return row;
  });
  const pairs: [number, number][] =
    k === 2
      ? [[0, 1]]
      : [
          [0, 1],
          [0, 2],
          [1, 2],
        ];
  const panels = pairs.map(([a, b]) => pairPanel(a, b, options, labels !== undefined));
  return {
    ...figureHeader(options.title ?? "State-space trajectories"),
    datasets: { trajectories: rows, starts: rows.filter((r) => r["t"] === 0), fixedPoints: fixed },
    hconcat: panels,
  };
}
