/** Choice fractions per stimulus level, with binomial standard errors. */
import { ShapeError } from "../../base/errors.ts";

/** The choices at one stimulus level. */
export interface ChoiceFraction {
  /** The signed stimulus strength. */
  readonly x: number;
  /** Number of trials at this level. */
  readonly n: number;
  /** Number of positive choices. */
  readonly k: number;
  /** `k / n`. */
  readonly p: number;
  /** Binomial standard error `sqrt(p (1 − p) / n)`. */
  readonly se: number;
}

/**
 * Groups trials by stimulus level and returns, per level in increasing order, the fraction of
 * positive choices and its binomial standard error.
 * @param x signed stimulus strength per trial `[n]`
 * @param choice per trial: 1/true for the positive choice, 0/false otherwise `[n]`
 * @example psychometricPlot(choiceFractions(coherence, choseRight), fit.curve(grid))
 */
export function choiceFractions(x: ArrayLike<number>, choice: ArrayLike<number | boolean>): ChoiceFraction[] {
  if (x.length !== choice.length) {
    throw new ShapeError(
      `choiceFractions: x and choice must have the same length, got ${x.length} and ${choice.length}`,
    );
  }
  const groups = new Map<number, { n: number; k: number }>();
  for (let i = 0; i < x.length; i++) {
    const g = groups.get(x[i] as number) ?? { n: 0, k: 0 };
    g.n += 1;
    g.k += Number(choice[i]) > 0 ? 1 : 0;
    groups.set(x[i] as number, g);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([xi, { n, k }]) => {
      const p = k / n;
      return { x: xi, n, k, p, se: Math.sqrt((p * (1 - p)) / n) };
    });
}
