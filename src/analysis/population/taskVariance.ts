/** Task variance of every unit in every task, as in Yang et al. (2019, Nature Neuroscience 22:297). */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";

/** Options of {@link taskVariance}. */
export interface TaskVarianceOptions {
  /**
   * A unit whose variance summed over tasks is at most this is inactive: its normalised row stays 0
   * and clustering should leave it out (default 1e-3, Yang et al.'s threshold).
   */
  readonly minVariance?: number;
}

/** The result of {@link taskVariance}. */
export interface TaskVariance {
  /** `TV[i, k]` `[H, K]` (float64): unit i's variance across trials in task k, averaged over time. */
  readonly variance: Tensor;
  /** `TV[i, k] / maxₖ TV[i, k]` `[H, K]` (float64), in [0, 1]; rows of inactive units are 0. */
  readonly normalized: Tensor;
  /** Per unit, whether `Σₖ TV[i, k] > minVariance`. */
  readonly active: readonly boolean[];
}

/**
 * Task variance of each of H units in each of K tasks. `activity[k]` holds the unit activities of
 * task k over `B ≥ 2` trials (stimulus conditions) aligned in time, `[T, B, H]` (time-major, T may
 * differ between tasks). For unit i and task k
 *
 *   `TV[i, k] = (1/T) Σₜ Var_b( r[t, b, i] )`   (population variance over trials),
 *
 * the variance across conditions at each time averaged over time, then normalised per unit by its
 * maximum over tasks.
 * @example const { normalized, active } = taskVariance(tasks.map((t) => hiddenOf(t))); // each [T, B, H]
 */
export function taskVariance(activity: readonly Tensor[], options: TaskVarianceOptions = {}): TaskVariance {
  const K = activity.length;
  if (K === 0) throw new ValueError("taskVariance: activity must hold at least one task, got none");
  const H = activity[0]?.shape[2];
  const minVariance = options.minVariance ?? 1e-3;
  if (!(minVariance >= 0)) throw new ValueError(`taskVariance: minVariance must be >= 0, got ${minVariance}`);
  const variance = new Float64Array((H ?? 0) * K);
  activity.forEach((r, k) => {
    if (r.rank !== 3 || r.shape[2] !== H || (r.shape[1] as number) < 2) {
      throw new ShapeError(
        `taskVariance: activity[${k}] must have shape [T, B >= 2, ${H ?? "H"}], got ${fmtShape(r.shape)}`,
      );
    }
    const [T, B] = r.shape as [number, number, number];
    const x = r.data;
    for (let i = 0; i < (H as number); i++) {
      let acc = 0;
      for (let t = 0; t < T; t++) {
        const at = (b: number) => x[(t * B + b) * (H as number) + i] as number;
        let m = 0;
        for (let b = 0; b < B; b++) m += at(b) / B;
        for (let b = 0; b < B; b++) acc += (at(b) - m) ** 2 / B;
      }
      variance[i * K + k] = acc / T;
    }
  });
  const n = H as number;
  const normalized = new Float64Array(n * K);
  const active: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const row = variance.subarray(i * K, (i + 1) * K);
    const on = row.reduce((a, v) => a + v, 0) > minVariance;
    active.push(on);
    const max = Math.max(...row);
    if (on) for (let k = 0; k < K; k++) normalized[i * K + k] = (row[k] as number) / max;
  }
  return { variance: fromData(variance, [n, K]), normalized: fromData(normalized, [n, K]), active };
}
