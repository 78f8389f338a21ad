/**
 * Early stopping by asynchronous successive halving (ASHA; Li et al. 2020, as Ray Tune's
 * `ASHAScheduler` stops trials): at rung epochs `r·η^k` a trial goes on only if its objective is
 * not worse than the `1 − 1/η` quantile of the values every trial recorded at that rung so far.
 */

/**
 * The rung epochs of a trial of `epochs` epochs: `minEpochs · reduction^k` for k = 0, 1, ..., below
 * `epochs` (the last epoch is no rung: the trial ends there anyway).
 * @example rungEpochs(1, 3, 20) // [1, 3, 9]
 */
export function rungEpochs(minEpochs: number, reduction: number, epochs: number): number[] {
  const rungs: number[] = [];
  for (let r = minEpochs; r < epochs; r *= reduction) rungs.push(r);
  return rungs;
}

/** The `q` quantile (0 ≤ q ≤ 1) of `values` with linear interpolation between order statistics (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + (at - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * The cutoff of a rung: with `goal` max, the `1 − 1/reduction` quantile of the values recorded there
 * (a trial below it stops); with `goal` min, the `1/reduction` quantile (a trial above it stops).
 * @param recorded the rung's values so far, the deciding trial's own included (at least one)
 */
export function rungCutoff(recorded: readonly number[], reduction: number, goal: "max" | "min"): number {
  return quantile(recorded, goal === "max" ? 1 - 1 / reduction : 1 / reduction);
}

/** Whether a trial whose objective is `value` stops at a rung with this cutoff (a non-finite value always stops). */
export function stopsAtRung(value: number | null, cutoff: number, goal: "max" | "min"): boolean {
  if (value === null) return true;
  return goal === "max" ? value < cutoff : value > cutoff;
}
