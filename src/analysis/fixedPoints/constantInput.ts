/** Fixed points under a chosen constant input: the state map of a cell held at one input, and that input. */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import { type Tree, treeMap } from "../../core/tree.ts";
import { cast } from "../../core/ops/layout.ts";
import type { Cell } from "../../models/cell.ts";
import type { PeriodBounds } from "../../tasks/trialBuilder.ts";
import type { StateMap } from "./stateMap.ts";

/**
 * The state map `h ↦ F(h, x)` of a cell whose state is one vector `{ h }`, at the constant input
 * `x` `[nIn]` (zeros: the autonomous network), in float64 so fixed points converge to 1e-10:
 * for a leaky RNN `F(h, x) = (1 − α) h + α f(x W_in + h W_rec + b)`.
 * @example
 * const F = constantInputMap(cell, params.cell, periodMeanInput(inputs, batch.trials, "stimulus"));
 * const { fixedPoints } = findFixedPoints(F, { initialStates });
 */
export function constantInputMap<P extends Tree>(
  cell: Cell<P, { h: Tensor }>,
  params: P,
  input: ArrayLike<number>,
): StateMap {
  if (input.length !== cell.nIn) {
    throw new ShapeError(
      `constantInputMap: input must have the cell's nIn = ${cell.nIn} entries, got ${input.length}`,
    );
  }
  const p64 = treeMap(params, (leaf) => cast(leaf, "float64"));
  const x = Float64Array.from(input);
  return (h: Tensor) => {
    const N = h.shape[0] as number;
    const xs = new Float64Array(N * x.length);
    for (let n = 0; n < N; n++) xs.set(x, n * x.length);
    return cell.step(p64, { h }, fromData(xs, [N, x.length])).state.h;
  };
}

/**
 * The mean input `[nIn]` over one period of every trial, e.g. the stimulus period: the input
 * "that period holds" for a fixed-point search under input.
 * @param inputs the batch's inputs `[T, B, nIn]` (time-major)
 * @param trials each trial's period bounds `[B]`, e.g. `batch.trials`
 * @param period the period's name
 */
export function periodMeanInput(
  inputs: Tensor,
  trials: readonly { readonly periods: Readonly<Record<string, PeriodBounds>> }[],
  period: string,
): Float64Array {
  if (inputs.rank !== 3 || inputs.shape[1] !== trials.length) {
    throw new ShapeError(
      `periodMeanInput: inputs must have shape [T, ${trials.length} (trials), nIn], got ${fmtShape(inputs.shape)}`,
    );
  }
  const [T, B, nIn] = inputs.shape as [number, number, number];
  const mean = new Float64Array(nIn);
  let count = 0;
  trials.forEach((trial, b) => {
    const bounds = trial.periods[period];
    if (!bounds) {
      throw new ValueError(
        `periodMeanInput: trial ${b} has no period "${period}" (it has ${Object.keys(trial.periods).join(", ")})`,
      );
    }
    for (let t = bounds.start; t < Math.min(bounds.end, T); t++, count++)
      for (let j = 0; j < nIn; j++)
        mean[j] = (mean[j] as number) + (inputs.data[(t * B + b) * nIn + j] as number);
  });
  if (count === 0) throw new ValueError(`periodMeanInput: the period "${period}" has no steps in any trial`);
  return mean.map((s) => s / count);
}
