/**
 * Dale's law and connectivity masks: constraints applied to raw parameters every time they are
 * used, so they hold for any parameter values an optimizer produces.
 */
import { type Tensor, abs, eye, mul, ones, sub, tensor } from "../../core/index.ts";

/**
 * Signs per unit under Dale's law: the first `round(fraction · n)` units are excitatory (+1), the
 * rest inhibitory (−1).
 */
export function daleSigns(n: number, excitatoryFraction: number): number[] {
  const nE = Math.round(excitatoryFraction * n);
  return Array.from({ length: n }, (_, i) => (i < nE ? 1 : -1));
}

/**
 * The effective weight `|W| · diag(sign)` in the `[in, out]` layout: row i (presynaptic unit i)
 * carries unit i's sign.
 */
export function signConstrained(w: Tensor, signs: readonly number[]): Tensor {
  return mul(abs(w), tensor(signs, [signs.length, 1]));
}

/**
 * A constant 0/1 mask `[rows, cols]`: the given mask (default all ones) with the diagonal removed
 * when `autapses` is false.
 */
export function connectivityMask(
  rows: number,
  cols: number,
  mask: readonly (readonly number[])[] | undefined,
  autapses = true,
): Tensor | undefined {
  if (mask === undefined && autapses) return undefined;
  const base = mask
    ? tensor(
        mask.map((r) => [...r]),
        [rows, cols],
      )
    : ones([rows, cols]);
  return autapses ? base : mul(base, sub(1, eye(rows)));
}
