/** The GRU cell in PyTorch's conventions (`torch.nn.GRU`): gate order r, z, n; two biases. */
import { type Tensor, add, gruLayer, gruReadout, mul, sigmoid, sub, tanh, zeros } from "../../core/index.ts";
import { type Cell, runCell } from "../cell.ts";
import { fusedRunResult } from "../fusedRun.ts";
import { dense } from "../dense.ts";
import { type GatedConfig, type GatedParams, gateBlocks, gatedConfig, initGated } from "./gates.ts";

/**
 * A GRU cell:
 * ```
 * r  = σ(x W_ir + b_ir + h W_hr + b_hr)
 * z  = σ(x W_iz + b_iz + h W_hz + b_hz)
 * n  = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * ```
 * Shapes: x `[B, nIn]`, h `[B, H]`. Weights as in {@link GatedParams}. A whole sequence runs in
 * one fused kernel call (`gruLayer`), with the same values and gradients as the steps.
 * @example const cell = gru({ nIn: 3, nHidden: 32 });
 */
export function gru(options: GatedConfig): Cell<GatedParams, { readonly h: Tensor }, GatedConfig> {
  const config = gatedConfig("gru", options);
  const H = config.nHidden;
  const cell: Cell<GatedParams, { readonly h: Tensor }, GatedConfig> = {
    name: "gru",
    config,
    nIn: config.nIn,
    nOut: H,
    init: (rng) => initGated(rng, config, 3),
    initialState: (params, B) => ({ h: zeros([B, H], params.wHh.dtype) }),
    step(p, { h }, x) {
      const [ir, iz, inn] = gateBlocks(add(dense(x, p.wIh), p.bIh), 3) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = gateBlocks(add(dense(h, p.wHh), p.bHh), 3) as [Tensor, Tensor, Tensor];
      const r = sigmoid(add(ir, hr));
      const z = sigmoid(add(iz, hz));
      const n = tanh(add(inn, mul(r, hn)));
      const next = add(mul(sub(1, z), n), mul(z, h));
      return { state: { h: next }, output: next };
    },
    sequence(p, xs, options) {
      const [T, B] = xs.shape as [number, number];
      if (T === 0) return runCell(cell, p, xs, { ...options, fused: false });
      const hs = gruLayer(xs, p, options.state0?.h ?? zeros([B, H], p.wHh.dtype));
      return fusedRunResult("gru", { h: hs }, "h", options.record ?? []);
    },
    sequenceReadout(p, xs, readout, options) {
      const [T, B] = xs.shape as [number, number];
      if (T === 0) return undefined;
      return gruReadout(xs, p, options.state0?.h ?? zeros([B, H], p.wHh.dtype), readout);
    },
  };
  return cell;
}
