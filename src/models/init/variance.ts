/**
 * Variance-scaling initialisers (Kaiming/He, Xavier/Glorot, PyTorch's `nn.Linear` default) for
 * weights in the `[in, out]` layout (the product is `x @ W`). PyTorch stores `[out, in]`: transpose
 * to compare. For rank > 2 the last axis is `out` and the others multiply into `in`.
 */
import type { Rng } from "../../base/random.ts";
import type { Shape } from "../../base/shape.ts";
import { type DType, type Tensor, fromData, randomNormal, randomUniform } from "../../core/tensor.ts";

/** Which fan sets the variance. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";

/** Options of {@link varianceScaling}. */
export interface VarianceScalingOptions {
  /** Variance multiplier: `Var(W) = scale / fan`. */
  readonly scale?: number;
  readonly mode?: FanMode;
  /** `"normal"`, `"truncatedNormal"` (cut at ±2 std, std corrected as in JAX/BrainPy) or `"uniform"`. */
  readonly distribution?: "normal" | "truncatedNormal" | "uniform";
  readonly dtype?: DType;
}

/** `[fanIn, fanOut]` of a weight shape in the `[in, out]` layout. */
export function fans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  const fanOut = shape[shape.length - 1] as number;
  const fanIn = shape.length === 1 ? fanOut : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return [fanIn, fanOut];
}

/** Std correction for a standard normal truncated at ±2 (JAX's `variance_scaling`). */
const TRUNCATED_STD = 0.8796256610342398;

/**
 * Random weights with `Var(W) = scale / fan`.
 * @param shape weight shape `[in, out]`
 * @example varianceScaling(rng, [64, 64], { scale: 2, mode: "fanIn" }) // Kaiming normal
 */
export function varianceScaling(rng: Rng, shape: Shape, options: VarianceScalingOptions = {}): Tensor {
  const { scale = 1, mode = "fanIn", distribution = "normal", dtype = "float32" } = options;
  const [fanIn, fanOut] = fans(shape);
  const fan = mode === "fanIn" ? fanIn : mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
  const std = Math.sqrt(scale / Math.max(1, fan));
  if (distribution === "uniform")
    return randomUniform(rng, shape, -std * Math.sqrt(3), std * Math.sqrt(3), dtype);
  if (distribution === "normal") return randomNormal(rng, shape, std, 0, dtype);
  const t = randomNormal(rng, shape, 1, 0, "float64");
  const out = dtype === "float64" ? new Float64Array(t.size) : new Float32Array(t.size);
  for (let i = 0; i < out.length; i++) {
    let z = t.data[i] as number;
    while (Math.abs(z) > 2) z = rng.normal();
    out[i] = (z * std) / TRUNCATED_STD;
  }
  return fromData(out, shape);
}

/** Kaiming (He) normal: `N(0, scale / fanIn)`, scale 2 for ReLU. */
export function kaimingNormal(rng: Rng, shape: Shape, scale = 2, dtype: DType = "float32"): Tensor {
  return varianceScaling(rng, shape, { scale, mode: "fanIn", distribution: "normal", dtype });
}

/** Kaiming (He) uniform: `U(±sqrt(3 scale / fanIn))`. */
export function kaimingUniform(rng: Rng, shape: Shape, scale = 2, dtype: DType = "float32"): Tensor {
  return varianceScaling(rng, shape, { scale, mode: "fanIn", distribution: "uniform", dtype });
}

/** Xavier (Glorot) normal: `N(0, gain² · 2 / (fanIn + fanOut))`. */
export function xavierNormal(rng: Rng, shape: Shape, gain = 1, dtype: DType = "float32"): Tensor {
  return varianceScaling(rng, shape, { scale: gain * gain, mode: "fanAvg", distribution: "normal", dtype });
}

/** Xavier (Glorot) uniform: `U(±gain · sqrt(6 / (fanIn + fanOut)))`. */
export function xavierUniform(rng: Rng, shape: Shape, gain = 1, dtype: DType = "float32"): Tensor {
  return varianceScaling(rng, shape, { scale: gain * gain, mode: "fanAvg", distribution: "uniform", dtype });
}

/**
 * PyTorch's default for `nn.Linear`, `nn.RNN`, `nn.GRU` and `nn.LSTM`: `U(±1 / sqrt(fanIn))`,
 * where `fanIn` is the layer's input size (the hidden size for the recurrent layers).
 */
export function pytorchUniform(rng: Rng, shape: Shape, fanIn: number, dtype: DType = "float32"): Tensor {
  const k = 1 / Math.sqrt(fanIn);
  return randomUniform(rng, shape, -k, k, dtype);
}
