/**
 * User-defined primitives: a forward function and its derivative, e.g. a spike's Heaviside step
 * with a surrogate gradient.
 */
import { apply1, detach } from "../autodiff.ts";
import { ShapeError, fmtShape } from "../../base/errors.ts";
import { type Rule, rule1 } from "../rule.ts";
import { sameShape } from "../../base/shape.ts";
import type { Tensor } from "../tensor.ts";

export interface CustomAttrs {
  readonly name: string;
  readonly forward: (...inputs: Tensor[]) => Tensor;
  readonly vjp: (g: Tensor, inputs: readonly Tensor[], output: Tensor) => readonly (Tensor | null)[];
}

export const customRules = {
  // The derivative is the user's: the reverse pass recycles none of the buffers it sees.
  custom: {
    runsUserCode: true,
    ...rule1<CustomAttrs>(
      "custom",
      (inputs, a) => detach(a.forward(...inputs)),
      (g, inputs, y, a) => {
        const grads = a.vjp(g, inputs, y);
        return inputs.map((x, i) => {
          const gi = grads[i] ?? null;
          if (gi && !sameShape(gi.shape, x.shape)) {
            throw new ShapeError(
              `${a.name}: the custom derivative for input ${i} must have shape ${fmtShape(x.shape)}, got ${fmtShape(gi.shape)}`,
            );
          }
          return gi;
        });
      },
    ),
  } satisfies Rule<CustomAttrs>,
};

/**
 * Wraps `forward` as a primitive whose derivative is `vjp` instead of the derivative of the
 * operations inside `forward`. `vjp(g, inputs, output)` returns one cotangent per input (null for
 * none), each of its input's shape.
 *
 * @example
 * // Heaviside forward, fast-sigmoid surrogate backward.
 * const spike = customVjp("spike", (v) => greater(v, 0), (g, [v]) => [div(g, square(add(mul(abs(v!), 10), 1)))]);
 */
export function customVjp(
  name: string,
  forward: (...inputs: Tensor[]) => Tensor,
  vjp: CustomAttrs["vjp"],
): (...inputs: Tensor[]) => Tensor {
  const attrs: CustomAttrs = { name, forward, vjp };
  return (...inputs) => apply1(customRules.custom, inputs, attrs);
}
