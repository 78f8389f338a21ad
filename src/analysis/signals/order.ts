/** The Kuramoto order parameter: how synchronised a population of phases is. */
import { ShapeError } from "../../base/errors.ts";
import { type Tensor, add, cos, mean, mul, sin, sqrt } from "../../core/index.ts";

/**
 * `R = |(1/N) Σ_j e^{iθ_j}| = sqrt(⟨cos θ⟩² + ⟨sin θ⟩²)` over the last axis (the N oscillators):
 * 1 when all phases agree, about `1/√N` for independent uniform phases. Differentiable.
 * @param theta `[..., N]` phases in radians
 * @returns `[...]`
 */
export function orderParameter(theta: Tensor): Tensor {
  if (theta.rank < 1) throw new ShapeError(`orderParameter: need phases [..., N], got a scalar`);
  const axis = theta.rank - 1;
  const c = mean(cos(theta), axis);
  const s = mean(sin(theta), axis);
  return sqrt(add(mul(c, c), mul(s, s)));
}
