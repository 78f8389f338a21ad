/**
 * tanh and the logistic sigmoid over whole arrays in plain TypeScript: float64 arithmetic, rounded
 * once at the store. The TypeScript backend's `KernelBackend.activateArray`, and the float64
 * `tanh` and `sigmoid` primitives on every backend.
 */
import type { ArrayActivation } from "../backend.ts";

type FloatArray = Float32Array | Float64Array;

/** `1 / (1 + e^-x)` without overflow: `e^x / (1 + e^x)` for negative x. */
export const stableSigmoid = (x: number): number =>
  x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));

/** `out ← tanh(x)` elementwise (`x` and `out` may be the same array). */
export function tanhArray(x: FloatArray, out: FloatArray): void {
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(x[i] as number);
}

/** `out ← σ(x)` elementwise (`x` and `out` may be the same array). */
export function sigmoidArray(x: FloatArray, out: FloatArray): void {
  for (let i = 0; i < out.length; i++) out[i] = stableSigmoid(x[i] as number);
}

/** `KernelBackend.activateArray` in plain TypeScript. */
export function activateArrayRef(kind: ArrayActivation, x: FloatArray, out: FloatArray): void {
  (kind === "tanh" ? tanhArray : sigmoidArray)(x, out);
}
