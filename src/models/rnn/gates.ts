/**
 * Shared parts of the gated cells (GRU, LSTM) in PyTorch's conventions: stacked gate weights
 * `wIh` `[nIn, G·H]`, `wHh` `[H, G·H]` and two biases `bIh`, `bHh` `[G·H]`, gate blocks along the last
 * axis in PyTorch's order. PyTorch stores `weight_ih_l0` as `[G·H, nIn]`: `wIh = weight_ih_l0.T`
 * (the gate blocks then line up as columns).
 */
import { type Rng, type Tensor, sliceAxis } from "../../core/index.ts";
import { pytorchUniform } from "../init/variance.ts";
import { positiveInt } from "../validate.ts";

/** Parameters of a gated cell. */
export type GatedParams = {
  readonly wIh: Tensor;
  readonly wHh: Tensor;
  readonly bIh: Tensor;
  readonly bHh: Tensor;
};

/** Sizes of a gated cell. */
export interface GatedConfig {
  readonly nIn: number;
  readonly nHidden: number;
}

/** Checks sizes. */
export function gatedConfig(where: string, o: GatedConfig): GatedConfig {
  return { nIn: positiveInt(where, "nIn", o.nIn), nHidden: positiveInt(where, "nHidden", o.nHidden) };
}

/** PyTorch's init: every weight and bias `U(±1/sqrt(H))`. */
export function initGated(rng: Rng, { nIn, nHidden: H }: GatedConfig, gates: number): GatedParams {
  return {
    wIh: pytorchUniform(rng, [nIn, gates * H], H),
    wHh: pytorchUniform(rng, [H, gates * H], H),
    bIh: pytorchUniform(rng, [gates * H], H),
    bHh: pytorchUniform(rng, [gates * H], H),
  };
}

/** Splits `[B, G·H]` into its G gate blocks `[B, H]`. */
export function gateBlocks(t: Tensor, gates: number): Tensor[] {
  const H = (t.shape[t.rank - 1] as number) / gates;
  return Array.from({ length: gates }, (_, g) => sliceAxis(t, -1, g * H, (g + 1) * H));
}
