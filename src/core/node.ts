/**
 * The autodiff graph. A tensor that depends on a traced input carries a {@link Node}; nodes point
 * back to their inputs, so the graph lives exactly as long as the tensors that reach it. There is
 * no global tape: the reverse pass walks back from the output.
 */
import type { Shape } from "../base/shape.ts";
import type { Data, DType, Tensor } from "./tensor.ts";

/**
 * Where a derivative may add its contribution for input `i` in place: the buffer holding that
 * input's cotangent sum so far (zeros if none yet), which the reverse pass owns and gives no one
 * else. A derivative that adds into it returns null for that input.
 */
export interface Accumulate {
  (input: number): Data;
  /**
   * Adds `term` into input `input`'s cotangent sum later, once, together with the other terms
   * for it that have the same `flush`: before anything reads the sum, the reverse pass calls
   * `flush(sum, terms)`, which adds them all (e.g. a weight's per-step gradients `xₜᵀ gₜ` of a
   * scan as one product of the stacked `xₜ` and `gₜ`). The buffers in `term.reads` stay unchanged
   * and alive until then.
   */
  later<T extends DeferredTerm>(
    input: number,
    term: T,
    flush: (sum: Data, terms: readonly T[]) => void,
  ): void;
}

/** A contribution to a cotangent sum added later (see {@link Accumulate.later}). */
export interface DeferredTerm {
  /** The buffers the term reads when it is flushed. */
  readonly reads: readonly Data[];
}

/**
 * Maps the cotangents of a node's outputs (null where an output got no gradient) to its inputs',
 * or adds them into `into` (see {@link Accumulate}).
 */
export type VjpFn = (cotangents: readonly (Tensor | null)[], into: Accumulate) => readonly (Tensor | null)[];

export interface Node {
  /** Creation order: a node is always created after every node it depends on. */
  readonly id: number;
  /** The primitive's name, for messages and debugging. */
  readonly prim: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly { readonly shape: Shape; readonly dtype: DType }[];
  /** Absent on leaves (the traced parameters). */
  readonly vjp: VjpFn | undefined;
  /**
   * True when `vjp` is a library derivative, which keeps no reference to its cotangents, its
   * accumulators or the buffers it allocates once it returns: the reverse pass may then recycle
   * them (see pool.ts). False for user code and for derivatives that run a reverse pass of their own.
   */
  readonly recycles: boolean;
}

let nextNodeId = 1;

/** Allocates node ids in creation order (bookkeeping only; it never affects values). */
export function newNodeId(): number {
  return nextNodeId++;
}

/** The id the next node will get: nodes with smaller ids were created before this moment. */
export function peekNodeId(): number {
  return nextNodeId;
}
