/** Parameter trees: plain nested objects and arrays whose leaves are tensors. */
import { BraintsError } from "../base/errors.ts";
import { Tensor } from "./tensor.ts";

/** A tensor, or an object/array of trees. `{ w: Tensor, layers: [{ b: Tensor }] }` is a tree. */
export type Tree = Tensor | readonly Tree[] | { readonly [key: string]: Tree };

/** A tree of the same structure as `T` with other leaves. */
export type TreeOf<T, L> = T extends Tensor
  ? L
  : T extends readonly (infer E)[]
    ? TreeOf<E, L>[]
    : { [K in keyof T]: TreeOf<T[K], L> };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Tensor);
}

/** The leaves in a fixed order (object keys sorted), with their dotted paths. */
export function treeLeaves(tree: Tree, prefix = ""): { path: string; leaf: Tensor }[] {
  if (tree instanceof Tensor) return [{ path: prefix, leaf: tree }];
  const join = (k: string | number) => (prefix ? `${prefix}.${k}` : String(k));
  if (Array.isArray(tree)) return tree.flatMap((t: Tree, i: number) => treeLeaves(t, join(i)));
  if (isPlainObject(tree)) {
    return Object.keys(tree)
      .sort()
      .flatMap((k) => treeLeaves((tree as Record<string, Tree>)[k] as Tree, join(k)));
  }
  throw new BraintsError(`tree: leaves must be Tensors, got ${typeof tree} at '${prefix}'`);
}

/** Maps every leaf (with its path) through `f`, keeping the structure. */
export function treeMap<T extends Tree>(tree: T, f: (leaf: Tensor, path: string) => Tensor): T {
  return mapAt(tree, f, "") as T;
}

function mapAt(tree: Tree, f: (leaf: Tensor, path: string) => Tensor, prefix: string): Tree {
  if (tree instanceof Tensor) return f(tree, prefix);
  const join = (k: string | number) => (prefix ? `${prefix}.${k}` : String(k));
  if (Array.isArray(tree)) return tree.map((t: Tree, i: number) => mapAt(t, f, join(i)));
  if (isPlainObject(tree)) {
    const out: Record<string, Tree> = {};
    for (const k of Object.keys(tree)) out[k] = mapAt((tree as Record<string, Tree>)[k] as Tree, f, join(k));
    return out;
  }
  throw new BraintsError(`tree: leaves must be Tensors, got ${typeof tree} at '${prefix}'`);
}
