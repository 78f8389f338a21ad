/** The product over the last axis, `[..., n] @ [n, m] → [..., m]`, as one 2-D matmul. */
import { type Tensor, matmul, reshape } from "../core/index.ts";

/**
 * `x @ w` for `x` of any rank: the leading axes are flattened so the product (and its gradient for
 * `w`) is one matrix multiply instead of one per time step.
 */
export function dense(x: Tensor, w: Tensor): Tensor {
  if (x.rank === 2) return matmul(x, w);
  const lead = x.shape.slice(0, -1);
  const n = x.shape[x.rank - 1] as number;
  const m = w.shape[1] as number;
  return reshape(matmul(reshape(x, [-1, n]), w), [...lead, m]);
}
