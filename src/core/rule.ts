/** The shape of a primitive: its forward computation and its derivative, side by side. */
import type { Accumulate } from "./node.ts";
import type { Tensor } from "./tensor.ts";

export interface Rule<A> {
  /** The primitive's name (a key of the primitive table). */
  readonly name: string;
  /**
   * True when the derivative runs code from outside the library (a user's custom derivative),
   * which may keep references to the cotangents it sees: the reverse pass then recycles none of
   * its buffers. A library derivative must keep no reference, after it returns, to its
   * cotangents, to the buffers `into` hands it, or to any buffer it allocated other than through
   * the cotangents it returns (see pool.ts).
   */
  readonly runsUserCode?: boolean;
  /**
   * False when the derivative reads only the inputs' shapes and dtypes, never their values
   * (`add`'s, a slice's): the graph then keeps no reference to the inputs' buffers, which the
   * collector may free before the reverse pass. Default true.
   */
  readonly readsInputs?: boolean;
  /** As {@link Rule.readsInputs}, for the outputs (false for `matmul`, `mul`, `add`). Default true. */
  readonly readsOutputs?: boolean;
  /** Computes the outputs from untraced inputs. Never mutates the inputs. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor[];
  /**
   * The vector-Jacobian product: cotangents of the outputs (null where an output received none)
   * to cotangents of the inputs (null for inputs that are not differentiable).
   */
  vjp(
    cotangents: readonly (Tensor | null)[],
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    attrs: A,
    /** Which inputs are traced; a rule may skip the others' derivatives. */
    needs: readonly boolean[],
    /** Adds into a traced input's cotangent sum in place, instead of returning a buffer for it. */
    into: Accumulate,
  ): (Tensor | null)[];
}

/** Defines a single-output primitive from a forward function and a derivative for its one cotangent. */
export function rule1<A>(
  name: string,
  forward: (inputs: readonly Tensor[], attrs: A) => Tensor,
  vjp: (
    g: Tensor,
    inputs: readonly Tensor[],
    output: Tensor,
    attrs: A,
    needs: readonly boolean[],
    into: Accumulate,
  ) => (Tensor | null)[],
): Rule<A> {
  return {
    name,
    forward: (inputs, attrs) => [forward(inputs, attrs)],
    vjp: (cts, inputs, outputs, attrs, needs, into) => {
      const g = cts[0];
      return g ? vjp(g, inputs, outputs[0] as Tensor, attrs, needs, into) : inputs.map(() => null);
    },
  };
}

/**
 * `rule` with its derivative declared to read no values of its inputs and/or outputs (see
 * {@link Rule.readsInputs}): only for derivatives that read their shapes and dtypes alone.
 */
export function readingOnly<A>(
  rule: Rule<A>,
  reads: { readonly inputs: boolean; readonly outputs: boolean },
): Rule<A> {
  return { ...rule, readsInputs: reads.inputs, readsOutputs: reads.outputs };
}

/** For {@link readingOnly}: a derivative that reads the shapes alone. */
export const NO_VALUES = { inputs: false, outputs: false } as const;
