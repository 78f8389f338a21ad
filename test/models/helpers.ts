/** Shared helpers of the model tests: float64 copies of trees and closeness checks. */
import { expect } from "vitest";
import { type Tensor, type Tree, cast, treeLeaves, treeMap } from "../../src/index.ts";

/** The same tree with float64 leaves (for finite-difference gradient checks). */
export function toFloat64<T extends Tree>(tree: T): T {
  return treeMap(tree, (t) => cast(t, "float64"));
}

/** Largest |a − b| over two tensors of the same size. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let d = 0;
  for (let i = 0; i < a.size; i++) d = Math.max(d, Math.abs((a.data[i] as number) - (b.data[i] as number)));
  return d;
}

/** Expects every leaf of `a` within `tol · (1 + max|b|)` of the leaf of `b` at the same path. */
export function expectTreesClose(a: Tree, b: Tree, tol: number): void {
  const other = new Map(treeLeaves(b).map((l) => [l.path, l.leaf]));
  for (const { path, leaf } of treeLeaves(a)) {
    const ref = other.get(path) as Tensor;
    const scale = Math.max(1, ...Array.from(ref.data, Math.abs));
    expect(maxAbsDiff(leaf, ref), `leaf ${path}`).toBeLessThanOrEqual(tol * scale);
  }
}
