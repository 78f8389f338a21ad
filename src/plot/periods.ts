/**
 * Trial periods drawn with time-series panels: every other period shaded behind the data, and a
 * strip above the panels naming each period, so a reader sees when the stimulus, the delay or the
 * decision happen without a legend.
 */
import { PANEL } from "./figure.ts";

/** One period of a trial, in milliseconds from the trial's start. */
export interface TrialPeriod {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

const SHADE = "#ebebeb";

/** Periods in time order, empty ones dropped, with their parity, centre and width in pixels. */
function periodRows(periods: readonly TrialPeriod[], totalMs: number) {
  return [...periods]
    .filter((p) => p.endMs > p.startMs)
    .sort((a, b) => a.startMs - b.startMs)
    .map((p, i) => ({
      ...p,
      shaded: i % 2 === 1,
      mid: (p.startMs + p.endMs) / 2,
      px: Math.max(0, ((p.endMs - p.startMs) / totalMs) * PANEL.width - 3),
    }));
}

const x = { field: "startMs", type: "quantitative" } as const;

/**
 * Grey bands behind every other period: a layer (none without such periods) for a panel whose x
 * axis is time in ms.
 */
export function periodShading(periods: readonly TrialPeriod[], totalMs: number) {
  const values = periodRows(periods, totalMs).filter((p) => p.shaded);
  if (values.length === 0) return [];
  return [
    { data: { values }, mark: { type: "rect", color: SHADE }, encoding: { x, x2: { field: "endMs" } } },
  ];
}

/** Thin white rules at period boundaries, for panels whose cells would hide the bands (a layer, or none). */
export function periodBoundaries(periods: readonly TrialPeriod[], totalMs: number) {
  const values = periodRows(periods, totalMs).slice(1);
  if (values.length === 0) return [];
  return [{ data: { values }, mark: { type: "rule", color: "white", strokeWidth: 1.5 }, encoding: { x } }];
}

/**
 * A strip naming each period over its span (names longer than the span are cut with an ellipsis),
 * with the same bands as the panels below it.
 */
export function periodStrip(periods: readonly TrialPeriod[], totalMs: number, time: object) {
  const values = periodRows(periods, totalMs);
  return {
    width: PANEL.width,
    height: 16,
    layer: [
      {
        data: { values },
        mark: { type: "rect", stroke: "#bbbbbb", strokeWidth: 0.5 },
        encoding: {
          x: { ...time, field: "startMs", axis: null },
          x2: { field: "endMs" },
          fill: { condition: { test: "datum.shaded", value: SHADE }, value: "white" },
        },
      },
      {
        data: { values },
        mark: { type: "text", fontSize: 10, color: "#333333", limit: { expr: "datum.px" } },
        encoding: { x: { field: "mid", type: "quantitative" }, text: { field: "name" } },
      },
    ],
  } as const;
}
