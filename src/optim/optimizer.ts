/**
 * Optimizers as init/update pairs over parameter trees (as in optax): `init(params)` makes the
 * state, `update(grads, state, params)` returns new parameters and state. Nothing is mutated.
 */
import { ShapeError, ValueError, fmtShape } from "../base/errors.ts";
import { sameShape } from "../base/shape.ts";
import { Tensor, allocate } from "../core/tensor.ts";
import { type Tree, treeLeaves, treeMap } from "../core/tree.ts";
import { forgetResident } from "../kernels/index.ts";

/** The state every optimizer keeps: the update count plus per-parameter buffers by leaf path. */
export interface OptimizerState {
  /** Number of updates applied so far. */
  readonly step: number;
  /** Named buffers (e.g. `m`, `v`), each a map from leaf path to a buffer of the leaf's size. */
  readonly buffers: Readonly<Record<string, Readonly<Record<string, Float32Array | Float64Array>>>>;
}

/** Options of {@link Optimizer.update}. */
export interface UpdateOptions {
  /**
   * The caller gives up `state` and `params` (default false): the update writes the new values
   * into their arrays, which the result then holds, instead of into new ones. Saves three arrays
   * of each parameter's size per step (expensive in a browser, see BENCHMARKS.md) for a loop of
   * the form `({ params, state } = opt.update(grads, state, params, { donate: true }))` that keeps
   * neither; any other tensor or state sharing those arrays changes with them, and no two leaves
   * may share an array.
   */
  readonly donate?: boolean;
}

export interface Optimizer {
  /** A short description, e.g. `adam(lr=0.01)`. */
  readonly name: string;
  init(params: Tree): OptimizerState;
  update<P extends Tree>(
    grads: P,
    state: OptimizerState,
    params: P,
    options?: UpdateOptions,
  ): { params: P; state: OptimizerState };
}

/**
 * One leaf's slice of work: its current value and its buffers, to update in place (copies, or
 * the caller's own arrays with `donate`), and its gradient.
 */
export interface LeafUpdate {
  readonly path: string;
  readonly param: Float32Array | Float64Array;
  readonly grad: Float32Array | Float64Array;
  readonly buffers: Record<string, Float32Array | Float64Array>;
}

/**
 * Builds an optimizer from a per-leaf in-place update. The helper copies parameters and buffers,
 * checks that gradients match the parameters, and rebuilds the tree.
 */
export function makeOptimizer(
  name: string,
  bufferNames: readonly string[],
  updateLeaf: (leaf: LeafUpdate, step: number) => void,
): Optimizer {
  return {
    name,
    init(params) {
      const buffers: Record<string, Record<string, Float32Array | Float64Array>> = {};
      for (const b of bufferNames) {
        buffers[b] = Object.fromEntries(
          treeLeaves(params).map(({ path, leaf }) => [path, allocate(leaf.dtype, leaf.size)]),
        );
      }
      return { step: 0, buffers };
    },
    update(grads, state, params, options = {}) {
      const copy = <A extends Float32Array | Float64Array>(a: A): A =>
        options.donate ? a : (a.slice() as A);
      const gradLeaves = new Map(treeLeaves(grads).map((l) => [l.path, l.leaf]));
      const step = state.step + 1;
      const buffers: Record<string, Record<string, Float32Array | Float64Array>> = {};
      for (const b of bufferNames) buffers[b] = {};
      const updated = new Map<string, Tensor>();
      for (const { path, leaf } of treeLeaves(params)) {
        const g = gradLeaves.get(path);
        if (!g || !sameShape(g.shape, leaf.shape)) {
          throw new ShapeError(
            `${name}.update: gradient for '${path}' must have shape ${fmtShape(leaf.shape)}, got ${g ? fmtShape(g.shape) : "none"}`,
          );
        }
        const own: Record<string, Float32Array | Float64Array> = {};
        for (const b of bufferNames) {
          const prev = state.buffers[b]?.[path];
          if (!prev || prev.length !== leaf.size) {
            throw new ValueError(
              `${name}.update: optimizer state has no '${b}' buffer of size ${leaf.size} for '${path}'`,
            );
          }
          own[b] = copy(prev);
          (buffers[b] as Record<string, Float32Array | Float64Array>)[path] = own[b];
        }
        const param = copy(leaf.data);
        // A donated parameter's floats change under the same array: kernels that kept a copy
        // of them (see forgetResident) must read the new ones.
        if (options.donate && param instanceof Float32Array) forgetResident(param);
        updateLeaf({ path, param, grad: g.data, buffers: own }, step);
        updated.set(path, new Tensor(leaf.shape, param));
      }
      return {
        params: treeMap(params, (_leaf, path) => updated.get(path) as Tensor),
        state: { step, buffers },
      };
    },
  };
}
