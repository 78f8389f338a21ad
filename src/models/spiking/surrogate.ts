/**
 * Spike functions: a Heaviside step `s = [x >= 0]` in the forward pass and a smooth surrogate
 * derivative `σ'(x)` in the backward pass (Neftci, Mostafa & Zenke 2019). Each surrogate has a
 * `scale` that sets its width (larger = sharper).
 */
import {
  type Tensor,
  abs,
  add,
  customVjp,
  div,
  exp,
  greaterEqual,
  maximum,
  mul,
  sigmoid,
  square,
  sub,
} from "../../core/index.ts";
import { oneOf, positive } from "../validate.ts";

/** The surrogate derivatives on offer. */
export const SURROGATES = ["sigmoid", "fastSigmoid", "arctan", "triangle", "gaussian"] as const;

export type SurrogateName = (typeof SURROGATES)[number];

/** A surrogate by name with its scale (defaults in {@link SURROGATE_DEFAULT_SCALE}). */
export type SurrogateSpec = SurrogateName | { readonly name: SurrogateName; readonly scale?: number };

/**
 * Default scales: sigmoid 4 (BrainPy's `surrogate.sigmoid`), fastSigmoid 100 (BrainPy's
 * `spike_with_sigmoid_grad`, the LIF default in S4c), arctan 2 (SpikingJelly), triangle 1, gaussian 1.
 */
export const SURROGATE_DEFAULT_SCALE: Readonly<Record<SurrogateName, number>> = {
  sigmoid: 4,
  fastSigmoid: 100,
  arctan: 2,
  triangle: 1,
  gaussian: 1,
};

/**
 * The surrogate derivatives `σ'(x)` with scale k:
 * - sigmoid:     `k · sig(kx) (1 − sig(kx))`
 * - fastSigmoid: `1 / (k|x| + 1)²` (SuperSpike)
 * - arctan:      `(k/2) / (1 + (π k x / 2)²)`
 * - triangle:    `k · max(0, 1 − k|x|)` (piecewise linear)
 * - gaussian:    `k / sqrt(2π) · exp(−(kx)² / 2)`
 */
export const surrogateDerivatives: Readonly<Record<SurrogateName, (x: Tensor, k: number) => Tensor>> = {
  sigmoid: (x, k) => {
    const s = sigmoid(mul(x, k));
    return mul(mul(s, sub(1, s)), k);
  },
  fastSigmoid: (x, k) => div(1, square(add(mul(abs(x), k), 1))),
  arctan: (x, k) => div(k / 2, add(1, square(mul(x, (Math.PI * k) / 2)))),
  triangle: (x, k) => mul(maximum(sub(1, mul(abs(x), k)), 0), k),
  gaussian: (x, k) => mul(exp(mul(square(x), (-k * k) / 2)), k / Math.sqrt(2 * Math.PI)),
};

/** Name and scale of a spec, checked. */
export function resolveSurrogate(where: string, spec: SurrogateSpec): { name: SurrogateName; scale: number } {
  const name = oneOf(where, "surrogate", typeof spec === "string" ? spec : spec.name, SURROGATES);
  const scale = typeof spec === "string" ? undefined : spec.scale;
  return { name, scale: positive(where, "surrogate scale", scale ?? SURROGATE_DEFAULT_SCALE[name]) };
}

/**
 * A spike function: forward `[x >= 0]` (0/1), backward `g · σ'(x)`.
 * @example const spike = spikeFunction("fastSigmoid", 100); const s = spike(sub(v, vTh));
 */
export function spikeFunction(name: SurrogateName, scale?: number): (x: Tensor) => Tensor {
  const resolved = resolveSurrogate("spikeFunction", scale === undefined ? name : { name, scale });
  const derivative = surrogateDerivatives[resolved.name];
  const f = customVjp(
    `spike:${resolved.name}`,
    (x) => greaterEqual(x as Tensor, 0),
    (g, [x]) => [mul(g, derivative(x as Tensor, resolved.scale))],
  );
  return (x) => f(x);
}
