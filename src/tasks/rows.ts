/**
 * Where a trial's rows sit in memory: in arrays of its own, or interleaved with other trials as one
 * column of a time-major `[T, B, ·]` batch or stream cache, so that a trial can be written straight
 * into the batch instead of being copied there.
 */

/**
 * A trial's rows inside `ob`, `gt` and `mask`: row `r` of the trial is `mask[row0 + r·step]`,
 * `ob[(row0 + r·step)·obDim + d]` and `gt[(row0 + r·step)·gtDim + g]`. A trial of its own has
 * `row0` 0 and `step` 1; column `b` of a time-major `[T, B, ·]` batch from row `t0` on has
 * `row0 = t0·B + b` and `step = B`.
 */
export interface TrialRows {
  readonly ob: Float32Array;
  readonly gt: Int32Array | Float32Array;
  readonly mask: Float32Array;
  readonly row0: number;
  readonly step: number;
}

/**
 * Room for one trial in a stream's cache: its rows from `row0` on, `rows` of them at most (a
 * longer trial is cut to its first `rows`). The rows must be zero when the trial is written.
 */
export interface TrialSlot extends TrialRows {
  readonly rows: number;
}

/** The rows of a trial in arrays of its own (`row0` 0, `step` 1). */
export function ownRows(trial: {
  readonly ob: Float32Array;
  readonly gt: Int32Array | Float32Array;
  readonly mask: Float32Array;
}): TrialRows {
  return { ob: trial.ob, gt: trial.gt, mask: trial.mask, row0: 0, step: 1 };
}

/** Copies rows `[0, n)` of `from` to rows `[0, n)` of `to`, `obDim` observations and `gtDim` targets a row. */
export function copyRows(from: TrialRows, to: TrialRows, n: number, obDim: number, gtDim: number): void {
  const { ob: fo, gt: fg, mask: fm, row0: f0, step: fs } = from;
  const { ob: to_, gt: tg, mask: tm, row0: t0, step: ts } = to;
  for (let r = 0; r < n; r++) {
    const fr = f0 + r * fs;
    const tr = t0 + r * ts;
    for (let d = 0; d < obDim; d++) to_[tr * obDim + d] = fo[fr * obDim + d] as number;
    for (let g = 0; g < gtDim; g++) tg[tr * gtDim + g] = fg[fr * gtDim + g] as number;
    tm[tr] = fm[fr] as number;
  }
}
