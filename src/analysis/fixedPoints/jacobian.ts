/** Jacobians of a state map at many points by reverse-mode autodiff, in one batched backward pass. */
import { grad } from "../../core/autodiff.ts";
import { ShapeError, fmtShape } from "../../base/errors.ts";
import { mul } from "../../core/ops/elementwise.ts";
import { cast } from "../../core/ops/layout.ts";
import { sum } from "../../core/ops/reduce.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import type { StateMap } from "./stateMap.ts";

/**
 * The Jacobian `J[i][j] = ∂F(h)ᵢ / ∂hⱼ` of `F` at each row of `points` (`[M, H]`), each returned as
 * an `[H, H]` row-major float64 array. Every point is repeated H times and row j of copy j is seeded
 * with the unit cotangent eⱼ, so one backward pass over a batch of `M · H` states yields all M·H
 * vector-Jacobian products (rows of F may not interact: see {@link StateMap}).
 */
export function jacobians(F: StateMap, points: Tensor): Float64Array[] {
  if (points.rank !== 2) {
    throw new ShapeError(`jacobians: points must have shape [M, H], got ${fmtShape(points.shape)}`);
  }
  const [M, H] = points.shape as [number, number];
  const src = cast(points, "float64").data;
  const repeated = new Float64Array(M * H * H);
  const seeds = new Float64Array(M * H * H);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < H; j++) {
      repeated.set(src.subarray(i * H, (i + 1) * H), (i * H + j) * H);
      seeds[(i * H + j) * H + j] = 1;
    }
  }
  const E = fromData(seeds, [M * H, H]);
  const rows = grad((p: { h: Tensor }) => sum(mul(F(p.h), E)))({ h: fromData(repeated, [M * H, H]) }).h.data;
  return Array.from({ length: M }, (_, i) => Float64Array.from(rows.subarray(i * H * H, (i + 1) * H * H)));
}
