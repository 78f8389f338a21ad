/** Finite-difference gradient checking in float64 along random directions. */
import { expect } from "vitest";
import {
  Rng,
  type Tensor,
  type Tree,
  mul,
  randomNormal,
  sum,
  treeLeaves,
  treeMap,
  valueAndGrad,
  add,
} from "../../src/index.ts";

/** Dot product of two trees of the same structure. */
function treeDot(a: Tree, b: Tree): number {
  const bl = new Map(treeLeaves(b).map((l) => [l.path, l.leaf]));
  let s = 0;
  for (const { path, leaf } of treeLeaves(a)) {
    const other = bl.get(path) as Tensor;
    for (let i = 0; i < leaf.size; i++) s += (leaf.data[i] as number) * (other.data[i] as number);
  }
  return s;
}

/**
 * Checks `valueAndGrad` of `f` against central differences of the scalar `Σ w ⊙ f(params)` along
 * `directions` random directions. Returns the largest relative error seen.
 */
export function checkGradients<P extends Tree>(
  f: (params: P) => Tensor,
  params: P,
  options: { seed?: number; directions?: number; eps?: number; rtol?: number; atol?: number } = {},
): number {
  const rng = Rng.fromSeed(options.seed ?? 0);
  const probe = f(params);
  const w = randomNormal(rng, probe.shape, 1, 0, probe.dtype);
  const loss = (p: P) => sum(mul(f(p), w));
  const { grads } = valueAndGrad(loss)(params);
  const eps = options.eps ?? 1e-6;
  let worst = 0;
  for (let d = 0; d < (options.directions ?? 3); d++) {
    const v = treeMap(params, (t) => randomNormal(rng, t.shape, 1, 0, t.dtype));
    const shifted = (s: number) =>
      loss(treeMap(params, (t, path) => add(t, mul(leafAt(v, path), s))) as P).item();
    const fd = (shifted(eps) - shifted(-eps)) / (2 * eps);
    const an = treeDot(grads, v);
    const err = Math.abs(fd - an) / Math.max(1, Math.abs(fd), Math.abs(an));
    worst = Math.max(worst, err);
    expect(
      Math.abs(fd - an),
      `direction ${d}: finite difference ${fd} vs autodiff ${an}`,
    ).toBeLessThanOrEqual(
      (options.atol ?? 1e-7) + (options.rtol ?? 1e-6) * Math.max(Math.abs(fd), Math.abs(an)),
    );
  }
  return worst;
}

function leafAt(tree: Tree, path: string): Tensor {
  const found = treeLeaves(tree).find((l) => l.path === path);
  if (!found) throw new Error(`no leaf at ${path}`);
  return found.leaf;
}
