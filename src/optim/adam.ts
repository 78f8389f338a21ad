/** Adam and AdamW (PyTorch's conventions); float32 parameters use the kernel backend's fused update. */
import { ValueError } from "../base/errors.ts";
import { getBackend } from "../kernels/index.ts";
import { type Optimizer, makeOptimizer } from "./optimizer.ts";
import { type LearningRate, lrAt } from "./schedule.ts";

export interface AdamOptions {
  readonly lr: LearningRate;
  readonly beta1?: number;
  readonly beta2?: number;
  /** Added to the root of the second moment (default 1e-8; S1 uses 0.1). */
  readonly eps?: number;
  /** Adam: coupled L2 added to the gradient. AdamW: decoupled decay `p ← p (1 − lr λ)`. */
  readonly weightDecay?: number;
}

function checkBetas(where: string, b1: number, b2: number, eps: number): void {
  if (!(b1 >= 0 && b1 < 1)) throw new ValueError(`${where}: beta1 must be in [0, 1), got ${b1}`);
  if (!(b2 >= 0 && b2 < 1)) throw new ValueError(`${where}: beta2 must be in [0, 1), got ${b2}`);
  if (!(eps >= 0)) throw new ValueError(`${where}: eps must be >= 0, got ${eps}`);
}

function adamFamily(where: string, options: AdamOptions, decoupled: boolean): Optimizer {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? (decoupled ? 0.01 : 0);
  checkBetas(where, beta1, beta2, eps);
  return makeOptimizer(`${where}(eps=${eps})`, ["m", "v"], (leaf, step) => {
    const lr = lrAt(options.lr, step - 1);
    const { param, buffers } = leaf;
    let grad = leaf.grad;
    if (!decoupled && wd !== 0) {
      grad = grad.slice();
      for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) + wd * (param[i] as number);
    }
    const m = buffers["m"] as Float32Array | Float64Array;
    const v = buffers["v"] as Float32Array | Float64Array;
    const weightDecay = decoupled ? wd : 0;
    if (
      param instanceof Float32Array &&
      grad instanceof Float32Array &&
      m instanceof Float32Array &&
      v instanceof Float32Array
    ) {
      getBackend().adamUpdate({ param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step });
      return;
    }
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] as number;
      const mi = beta1 * (m[i] as number) + (1 - beta1) * g;
      const vi = beta2 * (v[i] as number) + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i] =
        (param[i] as number) * (1 - lr * weightDecay) - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
    }
  });
}

/**
 * Adam (Kingma & Ba 2015) as in PyTorch: `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`,
 * `p ← p − lr (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + eps)`.
 * @example adam({ lr: exponentialDecay(0.025, 0.99975), eps: 0.1 })
 */
export function adam(options: AdamOptions): Optimizer {
  return adamFamily("adam", options, false);
}

/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay (default 0.01, as PyTorch). */
export function adamw(options: AdamOptions): Optimizer {
  return adamFamily("adamw", options, true);
}
