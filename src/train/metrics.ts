/** Classification metrics over logits. */
import { ShapeError, fmtShape } from "../base/errors.ts";
import type { Tensor } from "../core/tensor.ts";

/** The index of the largest score in every row of `[..., C]`, as a flat Int32Array. */
export function argmaxRows(logits: Tensor): Int32Array {
  const C = logits.shape.at(-1) ?? 0;
  const rows = C === 0 ? 0 : logits.size / C;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < C; c++)
      if ((logits.data[r * C + c] as number) > (logits.data[r * C + best] as number)) best = c;
    out[r] = best;
  }
  return out;
}

/** Fraction of rows (weighted by `mask`, if given) whose argmax equals the label. */
export function accuracy(logits: Tensor, labels: ArrayLike<number>, mask?: ArrayLike<number>): number {
  const pred = argmaxRows(logits);
  if (pred.length !== labels.length) {
    throw new ShapeError(
      `accuracy: need one label per row of logits ${fmtShape(logits.shape)}, got ${labels.length}`,
    );
  }
  let hit = 0;
  let total = 0;
  for (let i = 0; i < pred.length; i++) {
    const w = mask ? (mask[i] as number) : 1;
    total += w;
    if (pred[i] === labels[i]) hit += w;
  }
  return total > 0 ? hit / total : NaN;
}
