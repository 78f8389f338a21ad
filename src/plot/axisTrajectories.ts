/** Condition-averaged trajectories on one task-relevant axis over time (Mante et al. 2013, Fig. 2). */
import { ValueError } from "../base/errors.ts";
import { decimateIndices } from "./decimate.ts";
import { type Figure, PANEL, figureHeader } from "./figure.ts";

/** One condition's mean trajectory on the axis. */
export interface AxisTrajectory {
  /** The category colouring the line, e.g. the choice. */
  readonly label: string;
  /** A graded condition shown by the line's opacity, e.g. the coherence (omit for none). */
  readonly strength?: number;
  /** The projection at each step `[T]` (NaN steps are skipped). */
  readonly values: ArrayLike<number>;
}

/** Options of {@link axisTrajectories}. */
export interface AxisTrajectoriesOptions {
  readonly title?: string;
  /** Step length in ms for the time axis. */
  readonly dtMs: number;
  /** Value axis title (default "projection on the choice axis (a.u.)"). */
  readonly yTitle?: string;
  /** Legend title of the labels (default "choice"). */
  readonly labelTitle?: string;
  /** Legend title of the strengths (default "coherence"). */
  readonly strengthTitle?: string;
}

/**
 * One line per condition: its projection on an axis against time (`t = step · dtMs`), coloured by
 * `label` and, when strengths are given, fainter for weaker conditions.
 * @example axisTrajectories(groups.map((g) => ({ label: g.choice, strength: g.coh, values: g.onChoiceAxis })), { dtMs: 100 })
 */
export function axisTrajectories(lines: readonly AxisTrajectory[], options: AxisTrajectoriesOptions): Figure {
  if (!(options.dtMs > 0)) throw new ValueError(`axisTrajectories: dtMs must be > 0, got ${options.dtMs}`);
  const rows: { t: number; value: number; label: string; strength: number; line: number }[] = [];
  lines.forEach((l, line) => {
    const values = Array.from(l.values);
    for (const i of decimateIndices(values)) {
      const value = values[i] as number;
      if (Number.isFinite(value))
        rows.push({ t: i * options.dtMs, value, label: l.label, strength: l.strength ?? 1, line });
    }
  });
  const graded = lines.some((l) => l.strength !== undefined);
  return {
    ...figureHeader(options.title ?? "Condition-averaged trajectories on the choice axis"),
    width: PANEL.width,
    height: PANEL.square,
    data: { values: rows },
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (ms)" },
      y: {
        field: "value",
        type: "quantitative",
        title: options.yTitle ?? "projection on the choice axis (a.u.)",
      },
      color: { field: "label", type: "nominal", title: options.labelTitle ?? "choice" },
      detail: { field: "line", type: "nominal" },
      ...(graded
        ? {
            opacity: {
              field: "strength",
              type: "ordinal",
              title: options.strengthTitle ?? "coherence",
              scale: { range: [0.25, 1] },
            },
          }
        : {}),
    },
  };
}
