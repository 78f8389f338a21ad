/** The object of fixed-point analysis: a discrete-time state update applied to a batch of states. */
import type { Tensor } from "../../core/tensor.ts";
import { mul, sub } from "../../core/ops/elementwise.ts";
import { sum } from "../../core/ops/reduce.ts";

/**
 * A state update `h ↦ F(h)` on a batch of states `[N, H] → [N, H]`, built from tensor ops so it is
 * differentiable. Rows must not interact (each output row depends only on its input row), as for an
 * RNN cell with a fixed input: `h => cell.step(params, h, xConst).state`.
 */
export type StateMap = (h: Tensor) => Tensor;

/** The speed `q(h) = ½ ‖F(h) − h‖²` of every row of `h` (`[N, H]` → `[N]`); zero at fixed points. */
export function speed(F: StateMap, h: Tensor): Tensor {
  const d = sub(F(h), h);
  return mul(sum(mul(d, d), 1), 0.5);
}
