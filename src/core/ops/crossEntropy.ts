/**
 * Softmax cross-entropy as one primitive: a row's log-softmax, the pick at its label and the
 * weighted mean in one pass over the logits, and the derivative `w_i (softmax(z_i) − onehot(y_i))
 * / Σ w` in one more. Composed from reductions and elementwise ops, the same loss takes a dozen
 * primitives and as many arrays of the logits' size, forward and backward.
 */
import { apply1 } from "../autodiff.ts";
import { rule1 } from "../rule.ts";
import { Tensor, allocate } from "../tensor.ts";

export interface CrossEntropyAttrs {
  /** One class index in [0, C) per row of the logits (checked by the caller). */
  readonly labels: ArrayLike<number>;
  /** One weight ≥ 0 per row, or null for all 1 (checked by the caller). */
  readonly weights: ArrayLike<number> | null;
}

/** The maximum of the row of `C` logits at `base` (NaN if any is NaN), the shift of its exponentials. */
function rowMax(z: ArrayLike<number>, base: number, C: number): number {
  let m = -Infinity;
  for (let c = 0; c < C; c++) {
    const v = z[base + c] as number;
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/**
 * `Σ_c exp(z_c − m)` of the row of `C` logits at `base` with the row's maximum `m`, each
 * exponential kept in `e` at `base` (float64 until the sum is known).
 */
function rowExpSum(z: ArrayLike<number>, base: number, C: number, m: number, e: Float64Array): number {
  let s = 0;
  for (let c = 0; c < C; c++) s += e[base + c] = Math.exp((z[base + c] as number) - m);
  return s;
}

/**
 * The softmax's exponentials and their row sums, by the array of the loss the forward returned
 * (the derivative receives the loss as another tensor over the same array): the derivative
 * divides the same numbers instead of taking every exponential again (about half of the loss's
 * time with three classes).
 */
interface Exponentials {
  readonly e: Float64Array;
  readonly sums: Float64Array;
  /** Each row's maximum, the shift of its exponentials. */
  readonly max: Float64Array;
}
const exponentials = new WeakMap<Tensor["data"], Exponentials>();

/** Every row's exponentials, their sums and the row's maximum, as the forward keeps them. */
function expSums(z: ArrayLike<number>, rows: number, C: number): Exponentials {
  const e = new Float64Array(rows * C);
  const sums = new Float64Array(rows);
  const max = new Float64Array(rows);
  for (let i = 0, base = 0; i < rows; i++, base += C) {
    max[i] = rowMax(z, base, C);
    sums[i] = rowExpSum(z, base, C, max[i]!, e);
  }
  return { e, sums, max };
}

/** Σ of the weights (the row count without weights). */
function totalWeight(a: CrossEntropyAttrs, rows: number): number {
  if (!a.weights) return rows;
  let total = 0;
  for (let i = 0; i < rows; i++) total += a.weights[i] as number;
  return total;
}

export const crossEntropyRules = {
  softmaxCrossEntropy: rule1<CrossEntropyAttrs>(
    "softmaxCrossEntropy",
    ([logits], a) => {
      const z = (logits as Tensor).data;
      const rows = a.labels.length;
      const C = rows > 0 ? z.length / rows : 0;
      const kept = expSums(z, rows, C);
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        const w = a.weights ? (a.weights[i] as number) : 1;
        const base = i * C;
        // log Σ exp(z) = m + log Σ exp(z − m), with m the row's maximum.
        const lse = (kept.max[i] as number) + Math.log(kept.sums[i] as number);
        sum += w * (lse - (z[base + (a.labels[i] as number)] as number));
      }
      const out = allocate((logits as Tensor).dtype, 1);
      out[0] = sum / totalWeight(a, rows);
      const loss = new Tensor([], out);
      exponentials.set(out, kept);
      return loss;
    },
    (g, [logits], loss, a) => {
      const x = logits as Tensor;
      const z = x.data;
      const rows = a.labels.length;
      const C = rows > 0 ? z.length / rows : 0;
      const scale = (g.data[0] as number) / totalWeight(a, rows);
      const dz = allocate(x.dtype, z.length);
      // softmax = exp(z − m) / Σ exp(z − m), from the forward's exponentials.
      const { e, sums } = exponentials.get(loss.data) ?? expSums(z, rows, C);
      for (let i = 0; i < rows; i++) {
        const w = scale * (a.weights ? (a.weights[i] as number) : 1);
        const base = i * C;
        const ws = w / (sums[i] as number);
        for (let c = 0; c < C; c++) dz[base + c] = ws * (e[base + c] as number);
        dz[base + (a.labels[i] as number)]! -= w;
      }
      return [new Tensor(x.shape, dz)];
    },
  ),
};

/**
 * The mean softmax cross-entropy `−Σ_i w_i log softmax(z_i)[y_i] / Σ_i w_i` of logits `[..., C]`
 * whose rows (all axes but the last, flattened) have the given labels and weights; a scalar.
 * Arguments are not checked here: `softmaxCrossEntropy` of the losses checks them.
 */
export function softmaxCrossEntropyOf(
  logits: Tensor,
  labels: ArrayLike<number>,
  weights: ArrayLike<number> | null,
): Tensor {
  return apply1(crossEntropyRules.softmaxCrossEntropy, [logits], { labels, weights });
}
