/**
 * Fused derivative loops of the activations: `g ⊙ k(y)` in one pass and one buffer instead of
 * three ops and three buffers. Every intermediate is rounded to the dtype exactly where the
 * composed ops (`mul(g, sub(1, mul(y, y)))`) round it, so the values are the same bit for bit:
 * float32 products and differences of float32 values are exact in double, and `Math.fround` then
 * rounds them as a float32 operation would.
 */
import type { FloatArray } from "./elementwise.ts";
import { Tensor, allocateToOverwrite } from "./tensor.ts";

type GradLoop = (g: FloatArray, y: FloatArray, out: FloatArray) => void;

/** `g ⊙ k(y)` through the float32 or the float64 loop (each operator has its own, see BinaryLoops). */
function fused(g: Tensor, y: Tensor, float32: GradLoop, float64: GradLoop): Tensor {
  const out = allocateToOverwrite(y.dtype, y.size);
  (out instanceof Float32Array ? float32 : float64)(g.data, y.data, out);
  return new Tensor(y.shape, out);
}

const r = Math.fround;

const tanh32: GradLoop = (gd, yd, o) => {
  for (let i = 0; i < o.length; i++) {
    const v = yd[i] as number;
    o[i] = (gd[i] as number) * r(1 - r(v * v));
  }
};
const tanh64: GradLoop = (gd, yd, o) => {
  for (let i = 0; i < o.length; i++) {
    const v = yd[i] as number;
    o[i] = (gd[i] as number) * (1 - v * v);
  }
};
const sigmoid32: GradLoop = (gd, yd, o) => {
  for (let i = 0; i < o.length; i++) {
    const v = yd[i] as number;
    o[i] = (gd[i] as number) * r(v * r(1 - v));
  }
};
const sigmoid64: GradLoop = (gd, yd, o) => {
  for (let i = 0; i < o.length; i++) {
    const v = yd[i] as number;
    o[i] = (gd[i] as number) * (v * (1 - v));
  }
};

/** tanh's derivative from its output: `g (1 − y²)`. `g` and `y` have one shape and dtype. */
export const tanhGrad = (g: Tensor, y: Tensor): Tensor => fused(g, y, tanh32, tanh64);

/** The logistic sigmoid's derivative from its output: `g y (1 − y)`. */
export const sigmoidGrad = (g: Tensor, y: Tensor): Tensor => fused(g, y, sigmoid32, sigmoid64);
