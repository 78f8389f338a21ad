/** Psychometric curves: choice fractions per stimulus strength with error bars, and a fitted curve. */
import { type Figure, PANEL, figureHeader } from "./figure.ts";

/** A measured choice fraction at one stimulus strength. */
export interface ChoicePoint {
  /** Signed stimulus strength. */
  readonly x: number;
  /** Fraction of trials with the positive choice. */
  readonly p: number;
  /** Its standard error (binomial: `sqrt(p (1 − p) / n)`). */
  readonly se: number;
}

/** A point of a fitted curve. */
export interface CurvePoint {
  readonly x: number;
  readonly p: number;
}

/** Options of {@link psychometricPlot}. */
export interface PsychometricPlotOptions {
  readonly title?: string;
  /** Label of the stimulus axis, with units (default "signed stimulus strength"). */
  readonly xTitle?: string;
  /** Label of the choice axis (default "P(choice = positive)"). */
  readonly yTitle?: string;
}

/**
 * Choice fractions as points with ±1 SE bars and, when given, the fitted curve as a line.
 * @param points measured fractions, e.g. from `choiceFractions`
 * @param curve a fitted curve sampled densely, e.g. `fit.curve(xs)`
 * @example psychometricPlot(choiceFractions(x, choice), fitLogistic(x, choice).curve(grid), { xTitle: "coherence (%)" })
 */
export function psychometricPlot(
  points: readonly ChoicePoint[],
  curve: readonly CurvePoint[] = [],
  options: PsychometricPlotOptions = {},
): Figure {
  const x = {
    field: "x",
    type: "quantitative",
    title: options.xTitle ?? "signed stimulus strength",
  } as const;
  const yTitle = options.yTitle ?? "P(choice = positive)";
  const y = { field: "p", type: "quantitative" as const, title: yTitle, scale: { domain: [0, 1] } };
  const bars = points.map(({ x: xi, p, se }) => ({
    x: xi,
    lo: Math.max(0, p - se),
    hi: Math.min(1, p + se),
  }));
  return {
    ...figureHeader(options.title ?? "Psychometric curve"),
    width: PANEL.square,
    height: PANEL.square * 0.75,
    layer: [
      {
        data: { values: curve.map(({ x: xi, p }) => ({ x: xi, p })) },
        mark: { type: "line", color: "#4c78a8" },
        encoding: { x, y },
      },
      {
        data: { values: bars },
        mark: { type: "rule", color: "black" },
        encoding: { x, y: { field: "lo", type: "quantitative", title: yTitle }, y2: { field: "hi" } },
      },
      {
        data: { values: points.map(({ x: xi, p }) => ({ x: xi, p })) },
        mark: { type: "point", filled: true, color: "black", size: 40 },
        encoding: { x, y },
      },
    ],
  };
}
