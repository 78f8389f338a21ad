/**
 * Stacking per-step tensors along a new time axis in linear time. The core's `stack` goes through
 * `concat`, whose forward currently pads every input to the full output and sums (quadratic in the
 * number of steps), which makes T = 2000 unusable; this copies each step once. Remove when `concat`
 * copies blocks directly.
 */
import { type Tensor, customVjp, fromData, unstack } from "../core/index.ts";
import { ShapeError, fmtShape } from "../base/errors.ts";

const stackFn = customVjp(
  "stackSteps",
  (...steps) => {
    const first = steps[0] as Tensor;
    const n = first.size;
    const f64 = steps.some((s) => s.dtype === "float64");
    const out = f64 ? new Float64Array(n * steps.length) : new Float32Array(n * steps.length);
    steps.forEach((s, t) => out.set(s.data, t * n));
    return fromData(out, [steps.length, ...first.shape]);
  },
  (g) => unstack(g, 0),
);

/** `[T, ...shape]` from T tensors of equal shape (the gradient is split back per step). */
export function stackSteps(steps: readonly Tensor[]): Tensor {
  const first = steps[0];
  if (!first) throw new ShapeError("stackSteps: need at least one step, got []");
  for (const s of steps) {
    if (s.size !== first.size || s.rank !== first.rank || s.shape.some((d, i) => d !== first.shape[i])) {
      throw new ShapeError(
        `stackSteps: all steps must have shape ${fmtShape(first.shape)}, got ${fmtShape(s.shape)}`,
      );
    }
  }
  return stackFn(...steps);
}
