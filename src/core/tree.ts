/** Parameter trees: plain nested objects and arrays whose leaves are tensors. */
import { BraintsError, ValueError } from "../base/errors.ts";
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

/** Separates the levels of a leaf's path: `{ layers: [{ b }] }` has the leaf `layers.0.b`. */
export const PATH_SEPARATOR = ".";

/**
 * Checks that an object key can stand in a path: a key with the separator (or an empty one) would
 * make two different leaves share a path (`{ "a.b": x, a: { b: y } }`).
 */
export function checkKey(key: string, prefix: string): string {
  if (key === "" || key.includes(PATH_SEPARATOR)) {
    throw new ValueError(
      `tree: key '${key}'${prefix ? ` under '${prefix}'` : ""} must not contain '${PATH_SEPARATOR}' and must not be empty: ` +
        `paths join keys with '${PATH_SEPARATOR}', so it would be ambiguous. Rename it (e.g. '${key.split(PATH_SEPARATOR).join("_") || "_"}')`,
    );
  }
  return key;
}

/** The path of `key` under `prefix`. */
export function joinPath(prefix: string, key: string | number): string {
  return prefix ? `${prefix}${PATH_SEPARATOR}${key}` : String(key);
}

/** The leaves in a fixed order (object keys sorted), with their dotted paths. */
export function treeLeaves(tree: Tree, prefix = ""): { path: string; leaf: Tensor }[] {
  const leaves: { path: string; leaf: Tensor }[] = [];
  collectLeaves(tree, prefix, leaves);
  return leaves;
}

/**
 * Appends `tree`'s leaves to `leaves` in {@link treeLeaves}' order: one array for the whole tree
 * rather than one per level (every training step walks its parameter and gradient trees).
 */
function collectLeaves(tree: Tree, prefix: string, leaves: { path: string; leaf: Tensor }[]): void {
  if (tree instanceof Tensor) leaves.push({ path: prefix, leaf: tree });
  else if (Array.isArray(tree))
    tree.forEach((t: Tree, i: number) => collectLeaves(t, joinPath(prefix, i), leaves));
  else if (isPlainObject(tree)) {
    for (const k of Object.keys(tree).sort()) {
      collectLeaves((tree as Record<string, Tree>)[k] as Tree, joinPath(prefix, checkKey(k, prefix)), leaves);
    }
  } else throw new BraintsError(`tree: leaves must be Tensors, got ${typeof tree} at '${prefix}'`);
}

/** Maps every leaf (with its path) through `f`, keeping the structure. */
export function treeMap<T extends Tree>(tree: T, f: (leaf: Tensor, path: string) => Tensor): T {
  return mapAt(tree, f, "") as T;
}

function mapAt(tree: Tree, f: (leaf: Tensor, path: string) => Tensor, prefix: string): Tree {
  if (tree instanceof Tensor) return f(tree, prefix);
  if (Array.isArray(tree)) return tree.map((t: Tree, i: number) => mapAt(t, f, joinPath(prefix, i)));
  if (isPlainObject(tree)) {
    const out: Record<string, Tree> = {};
    for (const k of Object.keys(tree)) {
      out[k] = mapAt((tree as Record<string, Tree>)[k] as Tree, f, joinPath(prefix, checkKey(k, prefix)));
    }
    return out;
  }
  throw new BraintsError(`tree: leaves must be Tensors, got ${typeof tree} at '${prefix}'`);
}
