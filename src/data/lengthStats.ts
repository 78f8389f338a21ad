/**
 * Trial-length statistics, to choose a sequence length (NeuroGym's `trial_length_stats`).
 */
import { Rng } from "../base/random.ts";
import type { Conditions } from "../tasks/spec.ts";
import type { Task } from "../tasks/task.ts";

/** Summary of sampled trial lengths (steps). */
export interface TrialLengthStats {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly percentile95: number;
  readonly max: number;
}

/**
 * Samples `nTrials` trials (from a fresh copy of the task, so its session state is untouched) and
 * summarises their lengths in steps.
 */
export function trialLengthStats<C extends Conditions>(
  task: Task<C>,
  opts: { readonly nTrials?: number; readonly seed?: number } = {},
): TrialLengthStats {
  const n = opts.nTrials ?? 10_000;
  const rng = Rng.fromSeed(opts.seed ?? 0);
  const t = task.fresh();
  const lengths = new Float64Array(n);
  for (let i = 0; i < n; i++) lengths[i] = t.sampleTrial(rng, { noise: false }).info.nSteps;
  lengths.sort();
  let sum = 0;
  for (const v of lengths) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of lengths) ss += (v - mean) ** 2;
  return {
    mean,
    std: Math.sqrt(ss / n),
    min: lengths[0] ?? 0,
    percentile95: quantile(lengths, 0.95),
    max: lengths[n - 1] ?? 0,
  };
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
