/** Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay. */
import { ValueError } from "../base/errors.ts";
import { type Optimizer, makeOptimizer } from "./optimizer.ts";
import { type LearningRate, lrAt } from "./schedule.ts";

export interface SgdOptions {
  readonly lr: LearningRate;
  /** Momentum μ (default 0). */
  readonly momentum?: number;
  /** Nesterov momentum (needs momentum > 0). */
  readonly nesterov?: boolean;
  /** Coupled L2 decay added to the gradient: `g + weightDecay · p` (PyTorch's convention). */
  readonly weightDecay?: number;
}

/**
 * PyTorch's `SGD`: `g ← g + λ p`; `b ← μ b + g`; `d = nesterov ? g + μ b : b`; `p ← p − lr d`
 * (plain `p ← p − lr g` without momentum).
 */
export function sgd(options: SgdOptions): Optimizer {
  const mu = options.momentum ?? 0;
  const wd = options.weightDecay ?? 0;
  const nesterov = options.nesterov ?? false;
  if (!(mu >= 0 && mu < 1)) throw new ValueError(`sgd: momentum must be in [0, 1), got ${mu}`);
  if (nesterov && mu === 0) throw new ValueError(`sgd: nesterov needs momentum > 0, got momentum=${mu}`);
  return makeOptimizer(
    `sgd(momentum=${mu}${nesterov ? ", nesterov" : ""})`,
    mu > 0 ? ["momentum"] : [],
    (leaf, step) => {
      const lr = lrAt(options.lr, step - 1);
      const { param: p, grad: g } = leaf;
      const b = leaf.buffers["momentum"];
      for (let i = 0; i < p.length; i++) {
        let d = (g[i] as number) + wd * (p[i] as number);
        if (b) {
          const bi = step === 1 ? d : mu * (b[i] as number) + d;
          b[i] = bi;
          d = nesterov ? d + mu * bi : bi;
        }
        p[i] = (p[i] as number) - lr * d;
      }
    },
  );
}
