/** Condition-averaged activity (peri-stimulus time histograms) and units' selectivity between conditions. */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";

/** A condition label of a trial: one value, or a conjunction joined by the caller (e.g. `"0×12.8"`). */
export type ConditionLabel = string | number;

/** The mean activity of the trials sharing one condition label. */
export interface ConditionAverage {
  readonly label: ConditionLabel;
  /** Trials with this label. */
  readonly trials: number;
  /** Mean activity `[T, H]` (float64) over the label's trials still running at each step; NaN where none is. */
  readonly mean: Tensor;
}

function checkActivity(
  where: string,
  activity: Tensor,
  labels: readonly ConditionLabel[],
): [number, number, number] {
  if (activity.rank !== 3) {
    throw new ShapeError(`${where}: activity must have shape [T, B, H], got ${fmtShape(activity.shape)}`);
  }
  const [T, B, H] = activity.shape as [number, number, number];
  if (labels.length !== B)
    throw new ShapeError(`${where}: labels must have one entry per trial (B = ${B}), got ${labels.length}`);
  return [T, B, H];
}

/**
 * Condition averages (PSTHs) of `activity` (`[T, B, H]`, time-major) grouped by each trial's label:
 * `r̄_c[t, i] = mean over trials b with label c and t < lengths[b] of r[t, b, i]`. Groups come in
 * order of first appearance unless `order` lists the labels.
 * @param labels one label per trial `[B]`, e.g. `batch.trials.map((t) => t.conditions.ground_truth)`
 * @param lengths valid steps of each trial `[B]` (default: all T)
 * @example const byChoice = conditionAverages(hidden, batch.trials.map((t) => t.conditions.ground_truth), batch.lengths);
 */
export function conditionAverages(
  activity: Tensor,
  labels: readonly ConditionLabel[],
  lengths?: ArrayLike<number>,
  order?: readonly ConditionLabel[],
): ConditionAverage[] {
  const [T, B, H] = checkActivity("conditionAverages", activity, labels);
  const groups = order ?? [...new Set(labels)];
  return groups.map((label) => {
    const members = labels.flatMap((l, b) => (l === label ? [b] : []));
    const sum = new Float64Array(T * H);
    const count = new Float64Array(T);
    for (const b of members) {
      const steps = Math.min(T, lengths?.[b] ?? T);
      for (let t = 0; t < steps; t++) {
        count[t] = (count[t] as number) + 1;
        for (let i = 0; i < H; i++)
          sum[t * H + i] = (sum[t * H + i] as number) + (activity.data[(t * B + b) * H + i] as number);
      }
    }
    for (let t = 0; t < T; t++)
      for (let i = 0; i < H; i++) sum[t * H + i] = (sum[t * H + i] as number) / (count[t] as number);
    return { label, trials: members.length, mean: fromData(sum, [T, H]) };
  });
}

/** Options of {@link selectivity}. */
export interface SelectivityOptions {
  /** Steps `[start, end)` whose activity is averaged per trial (default: all T). */
  readonly window?: readonly [number, number];
  /**
   * `"dprime"`: `(μa − μb) / √((σa² + σb²) / 2)` (default); `"normalized"`: `(μa − μb) / (|μa| + |μb|)`,
   * in [−1, 1] for non-negative rates. Both are 0 where the denominator is 0.
   */
  readonly measure?: "dprime" | "normalized";
}

/**
 * Each unit's selectivity for condition `a` over condition `b`: every trial's activity `[T, B, H]` is
 * averaged over the window, then the trials labelled `a` are compared with those labelled `b`
 * (d′ with population variances, or the normalised difference of the means). Returns `[H]`.
 * @example const dPrime = selectivity(hidden, choices, 1, 0, { window: [stimStart, stimEnd] });
 */
export function selectivity(
  activity: Tensor,
  labels: readonly ConditionLabel[],
  a: ConditionLabel,
  b: ConditionLabel,
  options: SelectivityOptions = {},
): Float64Array {
  const [T, B, H] = checkActivity("selectivity", activity, labels);
  const [start, end] = options.window ?? [0, T];
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= T)) {
    throw new ValueError(
      `selectivity: window must be integers 0 <= start < end <= T = ${T}, got [${start}, ${end}]`,
    );
  }
  const stats = (label: ConditionLabel) => {
    const members = labels.flatMap((l, n) => (l === label ? [n] : []));
    if (members.length === 0)
      throw new ValueError(`selectivity: no trial has the label ${JSON.stringify(label)}`);
    const mean = new Float64Array(H);
    const sq = new Float64Array(H);
    for (const n of members) {
      for (let i = 0; i < H; i++) {
        let s = 0;
        for (let t = start; t < end; t++) s += activity.data[(t * B + n) * H + i] as number;
        const v = s / (end - start);
        mean[i] = (mean[i] as number) + v / members.length;
        sq[i] = (sq[i] as number) + (v * v) / members.length;
      }
    }
    return { mean, variance: mean.map((m, i) => Math.max((sq[i] as number) - m * m, 0)) };
  };
  const A = stats(a);
  const Bs = stats(b);
  const dprime = (options.measure ?? "dprime") === "dprime";
  return A.mean.map((ma, i) => {
    const mb = Bs.mean[i] as number;
    const den = dprime
      ? Math.sqrt(((A.variance[i] as number) + (Bs.variance[i] as number)) / 2)
      : Math.abs(ma) + Math.abs(mb);
    return den > 0 ? (ma - mb) / den : 0;
  });
}
