/** Losses: softmax cross-entropy with a per-step mask, and mean squared error. */
import { ShapeError, ValueError, fmtShape } from "../base/errors.ts";
import { div, mul, sub } from "../core/ops/elementwise.ts";
import { oneHot, reshape } from "../core/ops/layout.ts";
import { logSoftmax, mean, sum } from "../core/ops/reduce.ts";
import { sizeOf } from "../base/shape.ts";
import { Tensor } from "../core/tensor.ts";

/** Per-element weights: a tensor of the leading shape, or a flat array of the same size. */
export type Mask = Tensor | ArrayLike<number>;

function maskTensor(where: string, mask: Mask, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const data = mask instanceof Tensor ? mask.data : Float32Array.from(mask);
  if (data.length !== n) {
    throw new ShapeError(
      `${where}: mask must have ${n} elements (shape ${fmtShape(shape)}), got ${data.length}`,
    );
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = data[i] as number;
    if (!(w >= 0) || !Number.isFinite(w))
      throw new ValueError(`${where}: mask weights must be finite and >= 0, got ${w} at ${i}`);
    total += w;
  }
  if (total === 0) throw new ValueError(`${where}: mask must select at least one element, got all zeros`);
  return new Tensor(shape, data instanceof Float64Array ? data : Float32Array.from(data));
}

/**
 * Mean softmax cross-entropy `−Σ w_i log softmax(z_i)[y_i] / Σ w_i`.
 * @param logits `[..., C]` unnormalised scores
 * @param labels integer classes in [0, C), one per leading position (flattened `[...]`)
 * @param mask optional weights of the leading shape (e.g. 1 on decision steps, 0 elsewhere)
 */
export function softmaxCrossEntropy(logits: Tensor, labels: ArrayLike<number>, mask?: Mask): Tensor {
  const C = logits.shape.at(-1) ?? 0;
  const lead = logits.shape.slice(0, -1);
  if (labels.length !== sizeOf(lead)) {
    throw new ShapeError(
      `softmaxCrossEntropy: need one label per row of logits ${fmtShape(logits.shape)} (${sizeOf(lead)}), got ${labels.length}`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= C) {
      throw new ValueError(`softmaxCrossEntropy: labels must be integers in [0, ${C}), got ${y} at ${i}`);
    }
  }
  const picked = sum(mul(logSoftmax(logits), oneHot(labels, C, lead, logits.dtype)), -1);
  if (mask === undefined) return mul(mean(picked), -1);
  const w = maskTensor("softmaxCrossEntropy", mask, lead);
  return div(mul(sum(mul(picked, w)), -1), sum(w));
}

/**
 * Mean squared error `Σ w (pred − target)² / Σ w` over all elements (mask broadcast over the last
 * axis when it has the leading shape).
 */
export function mse(pred: Tensor, target: Tensor, mask?: Mask): Tensor {
  if (pred.size !== target.size) {
    throw new ShapeError(
      `mse: pred and target must have the same shape, got ${fmtShape(pred.shape)} and ${fmtShape(target.shape)}`,
    );
  }
  const diff = sub(pred, reshape(target, pred.shape));
  const sq = mul(diff, diff);
  if (mask === undefined) return mean(sq);
  const n = mask instanceof Tensor ? mask.size : mask.length;
  const shape = n === pred.size ? pred.shape : [...pred.shape.slice(0, -1), 1];
  const w = maskTensor("mse", mask, shape);
  const width = n === pred.size ? 1 : (pred.shape.at(-1) as number);
  return div(sum(mul(sq, w)), mul(sum(w), width));
}
