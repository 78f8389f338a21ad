/**
 * The vanilla RNN cell of the brainstate tutorial (S1): `h' = f([x; h] W + b)`, ReLU by default,
 * with an optional trainable initial state. It is the leaky RNN with `alpha = 1`.
 */
import type { Activation } from "../activation.ts";
import type { InitSpec } from "../init/spec.ts";
import { type LeakyRNNCell, leakyRNNConfig, leakyRNNFromConfig } from "./leaky.ts";

/** Options of {@link vanillaRNN}. */
export interface VanillaRNNOptions {
  readonly nIn: number;
  readonly nHidden: number;
  /** f (default `"relu"`; `"tanh"` for the classic Elman RNN). */
  readonly activation?: Activation;
  /** Learn `h0` `[nHidden]` (default false). */
  readonly trainableH0?: boolean;
  /**
   * Weight initialiser for both blocks of `W` (default `"xavierNormal"`, brainstate's choice; note
   * it is applied to each block, so the fans are `(nIn, H)` and `(H, H)` rather than `(nIn + H, H)`).
   */
  readonly init?: InitSpec;
}

/**
 * A vanilla RNN cell: `h_t = f(x_t W_in + h_{t−1} W_rec + b)`, which is `f([x; h] W + b)` with
 * `W = [W_in; W_rec]` (brainstate's concatenated `W` `[nIn + H, H]`: its first nIn rows are
 * `wIn`, the rest `wRec`). Bias starts at zero. Shapes: x `[B, nIn]`, h `[B, H]`.
 * @example const cell = vanillaRNN({ nIn: 1, nHidden: 100, trainableH0: true }); // S1
 */
export function vanillaRNN(options: VanillaRNNOptions): LeakyRNNCell {
  const init = options.init ?? "xavierNormal";
  const config = leakyRNNConfig("vanillaRNN", {
    nIn: options.nIn,
    nHidden: options.nHidden,
    activation: options.activation ?? "relu",
    trainableH0: options.trainableH0 ?? false,
    inputInit: init,
    recurrentInit: init,
    biasInit: "zeros",
  });
  return leakyRNNFromConfig("vanillaRNN", config);
}
