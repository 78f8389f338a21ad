/** The LSTM cell in PyTorch's conventions (`torch.nn.LSTM`): gate order i, f, g, o; two biases. */
import { type Tensor, add, lstmLayer, lstmReadout, mul, sigmoid, tanh, zeros } from "../../core/index.ts";
import { type Cell, runCell } from "../cell.ts";
import { fusedRunResult } from "../fusedRun.ts";
import { dense } from "../dense.ts";
import { type GatedConfig, type GatedParams, gateBlocks, gatedConfig, initGated } from "./gates.ts";

/** LSTM state: hidden `h` and cell `c`, both `[B, H]`. */
export type LSTMState = { readonly h: Tensor; readonly c: Tensor };

/**
 * An LSTM cell:
 * ```
 * [i, f, g, o] = x W_ih + b_ih + h W_hh + b_hh      (blocks of H columns)
 * c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
 * h' = σ(o) ⊙ tanh(c')
 * ```
 * Shapes: x `[B, nIn]`, h and c `[B, H]`; the output is h'. A whole sequence runs in one fused
 * kernel call (`lstmLayer`), with the same values and gradients as the steps.
 * @example const cell = lstm({ nIn: 3, nHidden: 32 });
 */
export function lstm(options: GatedConfig): Cell<GatedParams, LSTMState, GatedConfig> {
  const config = gatedConfig("lstm", options);
  const H = config.nHidden;
  const cell: Cell<GatedParams, LSTMState, GatedConfig> = {
    name: "lstm",
    config,
    nIn: config.nIn,
    nOut: H,
    init: (rng) => initGated(rng, config, 4),
    initialState: (params, B) => ({ h: zeros([B, H], params.wHh.dtype), c: zeros([B, H], params.wHh.dtype) }),
    step(p, { h, c }, x) {
      const gates = add(add(dense(x, p.wIh), p.bIh), add(dense(h, p.wHh), p.bHh));
      const [i, f, g, o] = gateBlocks(gates, 4) as [Tensor, Tensor, Tensor, Tensor];
      const cNext = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
      const hNext = mul(sigmoid(o), tanh(cNext));
      return { state: { h: hNext, c: cNext }, output: hNext };
    },
    sequence(p, xs, options) {
      const [T, B] = xs.shape as [number, number];
      if (T === 0) return runCell(cell, p, xs, { ...options, fused: false });
      const zero = () => zeros([B, H], p.wHh.dtype);
      const { hs, cs } = lstmLayer(xs, p, options.state0?.h ?? zero(), options.state0?.c ?? zero());
      return fusedRunResult("lstm", { h: hs, c: cs }, "h", options.record ?? []);
    },
    sequenceReadout(p, xs, readout, options) {
      const [T, B] = xs.shape as [number, number];
      if (T === 0) return undefined;
      const zero = () => zeros([B, H], p.wHh.dtype);
      return lstmReadout(xs, p, options.state0?.h ?? zero(), options.state0?.c ?? zero(), readout);
    },
  };
  return cell;
}
