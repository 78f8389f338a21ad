/** Gradient clipping and weight penalties over parameter trees. */
import { ValueError } from "../base/errors.ts";
import { add, mul } from "../core/ops/elementwise.ts";
import { sum as reduceSum } from "../core/ops/reduce.ts";
import { Tensor } from "../core/tensor.ts";
import { type Tree, treeLeaves, treeMap } from "../core/tree.ts";

/** The Euclidean norm of all leaves together. */
export function globalNorm(tree: Tree): number {
  let s = 0;
  for (const { leaf } of treeLeaves(tree))
    for (let i = 0; i < leaf.size; i++) s += (leaf.data[i] as number) ** 2;
  return Math.sqrt(s);
}

/**
 * Rescales the whole gradient tree so its global norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`). Returns the clipped tree and the norm before clipping.
 */
export function clipByGlobalNorm<T extends Tree>(grads: T, maxNorm: number): { grads: T; norm: number } {
  if (!(maxNorm > 0)) throw new ValueError(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (norm <= maxNorm || !Number.isFinite(norm)) return { grads, norm };
  const scale = maxNorm / (norm + 1e-6);
  return { grads: treeMap(grads, (g) => mul(g, scale)), norm };
}

/**
 * `coefficient · Σ w²` over the leaves whose path `include` accepts (default: every leaf), a
 * differentiable tensor to add to a loss.
 * @example add(loss, l2Penalty(params, 2e-4, (path) => path.endsWith("weight")))
 */
export function l2Penalty(
  params: Tree,
  coefficient: number,
  include: (path: string) => boolean = () => true,
): Tensor {
  const terms = treeLeaves(params)
    .filter(({ path }) => include(path))
    .map(({ leaf }) => reduceSum(mul(leaf, leaf)));
  if (terms.length === 0) return new Tensor([], new Float32Array(1));
  return mul(
    terms.reduce((a, b) => add(a, b)),
    coefficient,
  );
}
