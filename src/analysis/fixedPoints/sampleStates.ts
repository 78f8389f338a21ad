/** Starting states for fixed-point searches, drawn from recorded trajectories. */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Rng } from "../../base/random.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";

/**
 * `count` states drawn uniformly (with replacement) from all time points of all trials of `hidden`
 * (`[T, B, H]`), each perturbed by i.i.d. normal noise of standard deviation `noiseStd`; `[count, H]`
 * float64. Sampling from the visited region is what makes the search find the points that matter.
 * @example sampleStates(states, 256, rng, 0.05)
 */
export function sampleStates(hidden: Tensor, count: number, rng: Rng, noiseStd = 0): Tensor {
  if (hidden.rank !== 3) {
    throw new ShapeError(`sampleStates: hidden must have shape [T, B, H], got ${fmtShape(hidden.shape)}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new ValueError(`sampleStates: count must be a positive integer, got ${count}`);
  }
  const [T, B, H] = hidden.shape as [number, number, number];
  const out = new Float64Array(count * H);
  for (let i = 0; i < count; i++) {
    const row = rng.integer(0, T * B);
    for (let j = 0; j < H; j++)
      out[i * H + j] = (hidden.data[row * H + j] as number) + noiseStd * rng.normal();
  }
  return fromData(out, [count, H]);
}
