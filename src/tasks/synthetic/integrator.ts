/**
 * The "integrate white noise" task of the BrainPy/brainstate tutorials: a constant per-sequence bias
 * plus white noise; the target is the running sum.
 */
import type { Rng } from "../../base/random.ts";
import { requireInteger, requireNonNegative, requireOneOf, requirePositive } from "../validate.ts";

/** Options of {@link integratorBatch}. */
export interface IntegratorOptions {
  /** Sequences per batch. */
  readonly batchSize: number;
  /** Step (time units). Default 0.04, so a unit-length sequence has 25 steps. */
  readonly dt?: number;
  /** Steps per sequence. Default `floor(1 / dt)`. */
  readonly numStep?: number;
  /** Bias scale. Default 0.025. */
  readonly mean?: number;
  /** Noise scale; per-step sd is `scale / sqrt(dt)`. Default 0.01. */
  readonly scale?: number;
  /**
   * [quirk] The tutorials draw `bias = 2·mean·(ξ − 0.5)` with ξ ~ N(0, 1), so biases centre on −mean.
   * `"normal"` (default) keeps that; `"uniform"` draws ξ ~ U[0, 1) (bias in [−mean, mean)).
   */
  readonly biasDistribution?: "normal" | "uniform";
  /** `"cumsum"` (default): target = running sum; `"decision"`: ±1 at the last step by the sign of the sum. */
  readonly target?: "cumsum" | "decision";
}

/** A batch of integrator sequences, time-major. */
export interface IntegratorBatch {
  /** `[T, B, 1]`. */
  readonly inputs: Float32Array;
  /** `[T, B, 1]`: running sum (not multiplied by dt), or the decision target. */
  readonly targets: Float32Array;
  /** `[T, B]`: 1 everywhere for `"cumsum"`, only the last step for `"decision"`. */
  readonly mask: Float32Array;
  readonly T: number;
  readonly batchSize: number;
}

/**
 * Draws a batch: `input_t = bias_b + (scale/√dt)·η_t`, `target_t = Σ_{s≤t} input_s`.
 * @example
 * const { inputs, targets } = integratorBatch(Rng.fromSeed(0), { batchSize: 512 }); // [25, 512, 1]
 */
export function integratorBatch(rng: Rng, opts: IntegratorOptions): IntegratorBatch {
  const where = "integratorBatch";
  const { batchSize: B, dt = 0.04, mean = 0.025, scale = 0.01 } = opts;
  const { biasDistribution = "normal", target = "cumsum" } = opts;
  const T = opts.numStep ?? Math.floor(1 / dt + 1e-9);
  requireInteger(where, "batchSize", B, 1);
  requirePositive(where, "dt", dt);
  requireInteger(where, "numStep", T, 1);
  requireNonNegative(where, "scale", scale);
  requireOneOf(where, "biasDistribution", biasDistribution, ["normal", "uniform"]);
  requireOneOf(where, "target", target, ["cumsum", "decision"]);
  const bias = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const xi = biasDistribution === "normal" ? rng.normal() : rng.uniform();
    bias[b] = 2 * mean * (xi - 0.5);
  }
  const sd = scale / Math.sqrt(dt);
  const inputs = new Float32Array(T * B);
  const targets = new Float32Array(T * B);
  const mask = new Float32Array(T * B);
  const sum = new Float64Array(B);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const x = (bias[b] as number) + sd * rng.normal();
      inputs[t * B + b] = x;
      sum[b] = (sum[b] as number) + x;
      if (target === "cumsum") targets[t * B + b] = sum[b] as number;
    }
  }
  if (target === "cumsum") mask.fill(1);
  else {
    for (let b = 0; b < B; b++) {
      targets[(T - 1) * B + b] = (sum[b] as number) > 0 ? 1 : -1;
      mask[(T - 1) * B + b] = 1;
    }
  }
  return { inputs, targets, mask, T, batchSize: B };
}
