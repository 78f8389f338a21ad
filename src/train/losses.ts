/** Losses: softmax cross-entropy with a per-step mask, and mean squared error. */
import { ShapeError, ValueError, fmtShape } from "../base/errors.ts";
import { softmaxCrossEntropyOf } from "../core/ops/crossEntropy.ts";
import { div, mul, sub } from "../core/ops/elementwise.ts";
import { mean, sum } from "../core/ops/reduce.ts";
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
  const weights = mask === undefined ? null : maskTensor("softmaxCrossEntropy", mask, lead).data;
  return softmaxCrossEntropyOf(logits, labels, weights);
}

/** True when `from` broadcasts to exactly `to` (right-aligned axes equal or 1; never widens `to`). */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  const offset = to.length - from.length;
  return offset >= 0 && from.every((d, i) => d === 1 || d === to[offset + i]);
}

/**
 * Mean squared error `Σ w (pred − target)² / Σ w` over all elements of `pred` (mask broadcast over
 * the last axis when it has the leading shape).
 * @param pred `[...]` predictions
 * @param target pred's shape, or a shape that broadcasts to it (`[H]` against `[T, B, H]`); a target
 *   of the same size in another layout (`[B, T]` against `[T, B, 1]`) is refused, never reshaped
 */
export function mse(pred: Tensor, target: Tensor, mask?: Mask): Tensor {
  if (!broadcastsTo(target.shape, pred.shape)) {
    throw new ShapeError(
      `mse: target must have pred's shape or broadcast to it, got pred ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)}. ` +
        `Reshape or transpose the target explicitly (time-major sequences are [T, B, n])`,
    );
  }
  const diff = sub(pred, target);
  const sq = mul(diff, diff);
  if (mask === undefined) return mean(sq);
  const n = mask instanceof Tensor ? mask.size : mask.length;
  const shape = n === pred.size ? pred.shape : [...pred.shape.slice(0, -1), 1];
  const w = maskTensor("mse", mask, shape);
  const width = n === pred.size ? 1 : (pred.shape.at(-1) as number);
  return div(sum(mul(sq, w)), mul(sum(w), width));
}
