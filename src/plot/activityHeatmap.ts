/** Population activity over a trial: one row per unit, time across, the activity as colour. */
import { type MatrixLike, asMatrix, at, column } from "./arrays.ts";
import { type Figure, PANEL, figureHeader } from "./figure.ts";
import { type TrialPeriod, periodBoundaries, periodStrip } from "./periods.ts";
import { seriesNames } from "./series.ts";
import { gridHeight, timeGridLayer } from "./timeGrid.ts";

/** Options of {@link activityHeatmap}. */
export interface ActivityHeatmapOptions {
  readonly title?: string;
  /** Title of the colour legend, with units (default "activity (a.u.)"). */
  readonly valueTitle?: string;
  /** Title of the unit axis (default "hidden unit"). */
  readonly unitTitle?: string;
  /** Row order: by the time of each unit's peak (default, as sequence plots in papers) or by index. */
  readonly order?: "peak" | "index";
  /** Draw at most this many units: those with the largest variance over time (default 64). */
  readonly maxUnits?: number;
  /** The trial's periods, named above the grid and marked by white lines in it. */
  readonly periods?: readonly TrialPeriod[];
}

/**
 * A heatmap of `activity` (`[T, N]`, e.g. the hidden states of one trial): units (numbered from 1)
 * on rows, time in ms across, viridis for non-negative activity and a diverging scale centred at 0
 * otherwise. With more than `maxUnits` units the most variable ones are kept (the title says so).
 * @example activityHeatmap(hiddenOfTrial, 20, { periods })
 */
export function activityHeatmap(
  activity: MatrixLike,
  dtMs: number,
  options: ActivityHeatmapOptions = {},
): Figure {
  const m = asMatrix(activity, "activityHeatmap", "activity");
  const names = seriesNames(m.cols, undefined, "unit", "activityHeatmap");
  const variance = names.map((_, j) => {
    const c = column(m, j);
    const mean = c.reduce((a, b) => a + b, 0) / Math.max(1, c.length);
    return c.reduce((a, b) => a + (b - mean) ** 2, 0);
  });
  const maxUnits = options.maxUnits ?? 64;
  let kept = names.map((_, j) => j);
  if (kept.length > maxUnits)
    kept = kept.sort((a, b) => (variance[b] as number) - (variance[a] as number)).slice(0, maxUnits);
  const peak = (j: number) => {
    let best = 0;
    for (let t = 1; t < m.rows; t++) if (at(m, t, j) > at(m, best, j)) best = t;
    return best;
  };
  kept.sort((options.order ?? "peak") === "peak" ? (a, b) => peak(a) - peak(b) || a - b : (a, b) => a - b);
  const sub = {
    rows: m.rows,
    cols: kept.length,
    data: Float64Array.from({ length: m.rows * kept.length }, (_, k) =>
      at(m, Math.floor(k / kept.length), kept[k % kept.length] as number),
    ),
  };
  const rowNames = kept.map((j) => names[j] as string);
  const totalMs = m.rows * dtMs;
  const time = { title: "time (ms)", scale: { domain: [0, totalMs], nice: false } };
  const grid = timeGridLayer(sub, rowNames, dtMs, {
    rowTitle:
      options.unitTitle ?? `hidden unit${(options.order ?? "peak") === "peak" ? " (by time of peak)" : ""}`,
    valueTitle: options.valueTitle ?? "activity (a.u.)",
  });
  const periods = options.periods ?? [];
  const title =
    (options.title ?? "Unit activity") +
    (kept.length < m.cols ? ` (${kept.length} most variable of ${m.cols} units)` : "");
  const panel = {
    width: PANEL.width,
    height: gridHeight(kept.length),
    layer: [
      { ...grid, encoding: { ...grid.encoding, x: { ...grid.encoding.x, ...time } } },
      ...periodBoundaries(periods, totalMs),
    ],
  };
  return {
    ...figureHeader(title),
    vconcat:
      periods.length > 0
        ? [periodStrip(periods, totalMs, { type: "quantitative", ...time }), panel]
        : [panel],
    spacing: 6,
  } as Figure;
}
