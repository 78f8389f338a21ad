/** Reference Adam/AdamW update in plain TypeScript. */
import type { AdamArgs } from "../backend.ts";

/** One in-place Adam/AdamW step over flat arrays; the equations are on `AdamArgs`. */
export function adamRef(a: AdamArgs): void {
  const { param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step } = a;
  const bc1 = 1 - beta1 ** step;
  const sqrtBc2 = Math.sqrt(1 - beta2 ** step);
  const decay = 1 - lr * weightDecay;
  const stepSize = lr / bc1;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
  }
}
