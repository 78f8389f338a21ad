/**
 * The echo state network reservoir (Jaeger 2001): a fixed random leaky tanh network whose states a
 * trained linear readout maps to outputs. It runs on the leaky RNN's fused kernel.
 */
import { type Tensor, fromData, randomUniform, zeros } from "../../core/index.ts";
import type { Rng } from "../../base/random.ts";
import type { Cell } from "../cell.ts";
import { spectralRadius } from "../init/spectral.ts";
import { type LeakyRNNParams, type LeakyRNNState, leakyRNNConfig, leakyRNNFromConfig } from "../rnn/leaky.ts";
import { inRange, nonNegative, positive, positiveInt } from "../validate.ts";

/** Options of {@link esn}. */
export interface ESNOptions {
  readonly nIn: number;
  readonly nReservoir: number;
  /** Target spectral radius of W (default 0.9). */
  readonly spectralRadius?: number;
  /** Probability that a recurrent connection exists (default 1: dense). */
  readonly connectivity?: number;
  /** Input weights are `U(±inputScaling)` (default 1). */
  readonly inputScaling?: number;
  /** Biases are `U(±biasScaling)` (default 0). */
  readonly biasScaling?: number;
  /** Leak a in (0, 1] (default 1). */
  readonly leak?: number;
  /** Std of Gaussian noise inside the tanh (default 0; drawn only when an rng is passed). */
  readonly noise?: number;
}

/** Resolved ESN config. */
export type ESNConfig = Required<ESNOptions>;

/**
 * An ESN reservoir cell: `r' = (1 − a) r + a tanh(u W_in + r W + b + ξ)`, ξ ~ N(0, noise²).
 * W has i.i.d. N(0, 1) entries present with probability `connectivity`, rescaled (power iteration,
 * float64) so that its spectral radius is `spectralRadius`. Parameters (`wIn`, `wRec` = W, `b`) are
 * fixed by design: train only the readout (ridge or FORCE). Shapes: u `[B, nIn]`, r `[B, N]`.
 * @example const reservoir = esn({ nIn: 3, nReservoir: 300, spectralRadius: 0.9, connectivity: 0.1, leak: 0.3 });
 */
export function esn(options: ESNOptions): Cell<LeakyRNNParams, LeakyRNNState, ESNConfig> {
  const where = "esn";
  const config: ESNConfig = {
    nIn: positiveInt(where, "nIn", options.nIn),
    nReservoir: positiveInt(where, "nReservoir", options.nReservoir),
    spectralRadius: positive(where, "spectralRadius", options.spectralRadius ?? 0.9),
    connectivity: inRange(where, "connectivity", options.connectivity ?? 1, Number.MIN_VALUE, 1),
    inputScaling: nonNegative(where, "inputScaling", options.inputScaling ?? 1),
    biasScaling: nonNegative(where, "biasScaling", options.biasScaling ?? 0),
    leak: inRange(where, "leak", options.leak ?? 1, Number.MIN_VALUE, 1),
    noise: nonNegative(where, "noise", options.noise ?? 0),
  };
  const N = config.nReservoir;
  // The leaky RNN adds sqrt(2/α) σ_rec N(0,1) to the drive; σ_rec = noise sqrt(α/2) gives N(0, noise²).
  const dynamics = leakyRNNFromConfig(
    where,
    leakyRNNConfig(where, {
      nIn: config.nIn,
      nHidden: N,
      tauMs: 1,
      dtMs: config.leak,
      activation: "tanh",
      order: "rate",
      sigmaRec: config.noise * Math.sqrt(config.leak / 2),
    }),
  );
  return {
    ...dynamics,
    config,
    init(rng: Rng) {
      const w = new Float64Array(N * N);
      for (let i = 0; i < w.length; i++) if (rng.uniform() < config.connectivity) w[i] = rng.normal();
      const rho = spectralRadius(w);
      const scaled = Float32Array.from(w, (x) => (rho > 0 ? (x * config.spectralRadius) / rho : x));
      const b: Tensor =
        config.biasScaling > 0
          ? randomUniform(rng, [N], -config.biasScaling, config.biasScaling)
          : zeros([N]);
      return {
        wIn: randomUniform(rng, [config.nIn, N], -config.inputScaling, config.inputScaling),
        wRec: fromData(scaled, [N, N]),
        b,
      };
    },
  };
}
