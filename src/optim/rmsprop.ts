/** RMSProp (PyTorch's convention, optional momentum and centring). */
import { ValueError } from "../base/errors.ts";
import { type Optimizer, makeOptimizer } from "./optimizer.ts";
import { type LearningRate, lrAt } from "./schedule.ts";

export interface RmsPropOptions {
  readonly lr: LearningRate;
  /** Smoothing constant (default 0.99). */
  readonly alpha?: number;
  readonly eps?: number;
  readonly momentum?: number;
  /** Normalise by the variance estimate `v − ḡ²` instead of the raw second moment. */
  readonly centered?: boolean;
}

/**
 * `v ← α v + (1−α) g²`; `d = g / (sqrt(v − ḡ²?) + eps)`; with momentum `b ← μ b + d`, `p ← p − lr b`,
 * else `p ← p − lr d`.
 */
export function rmsprop(options: RmsPropOptions): Optimizer {
  const alpha = options.alpha ?? 0.99;
  const eps = options.eps ?? 1e-8;
  const mu = options.momentum ?? 0;
  const centered = options.centered ?? false;
  if (!(alpha >= 0 && alpha < 1)) throw new ValueError(`rmsprop: alpha must be in [0, 1), got ${alpha}`);
  const names = ["v", ...(mu > 0 ? ["momentum"] : []), ...(centered ? ["gAvg"] : [])];
  return makeOptimizer(`rmsprop(alpha=${alpha})`, names, (leaf, step) => {
    const lr = lrAt(options.lr, step - 1);
    const { param: p, grad: g, buffers } = leaf;
    const v = buffers["v"] as Float32Array | Float64Array;
    const b = buffers["momentum"];
    const gAvg = buffers["gAvg"];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] as number;
      const vi = alpha * (v[i] as number) + (1 - alpha) * gi * gi;
      v[i] = vi;
      let denom = vi;
      if (gAvg) {
        const a = alpha * (gAvg[i] as number) + (1 - alpha) * gi;
        gAvg[i] = a;
        denom = vi - a * a;
      }
      let d = gi / (Math.sqrt(denom) + eps);
      if (b) {
        d = mu * (b[i] as number) + d;
        b[i] = d;
      }
      p[i] = (p[i] as number) - lr * d;
    }
  });
}
