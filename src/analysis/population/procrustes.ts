/**
 * Representational similarity of two networks by orthogonal Procrustes: how well one set of
 * responses to the same conditions maps onto the other by a rotation (Williams et al. 2021,
 * "Generalized shape metrics on neural representations").
 */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Tensor } from "../../core/tensor.ts";
import { symmetricEigen } from "../../linalg/symmetricEigen.ts";

/** Centres each column of `[N, p]` and scales the whole to unit Frobenius norm (float64). */
function normalised(x: Tensor, name: string): Float64Array {
  const [N, p] = x.shape as [number, number];
  const out = new Float64Array(N * p);
  for (let j = 0; j < p; j++) {
    let mean = 0;
    for (let i = 0; i < N; i++) mean += x.data[i * p + j] as number;
    mean /= N;
    for (let i = 0; i < N; i++) out[i * p + j] = (x.data[i * p + j] as number) - mean;
  }
  const norm = Math.hypot(...out);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new ValueError(
      `procrustesSimilarity: ${name} must vary across its rows (and be finite), got a norm of ${norm} after centring`,
    );
  }
  return out.map((v) => v / norm);
}

/**
 * The orthogonal Procrustes similarity of two response matrices over the same `N` samples (rows:
 * conditions × time steps, in the same order; columns: units, `p` and `q` of them). Each is centred
 * per column and scaled to unit Frobenius norm (X̂, Ŷ); then
 *
 * `s = max_{QᵀQ = I} tr(X̂ᵀ Ŷ Q) = ‖X̂ᵀ Ŷ‖_*` (the nuclear norm: the sum of singular values),
 *
 * in `[0, 1]`: 1 exactly when Y is a rotation or reflection of X up to translation and scale (the
 * narrower one padded with zero units when `p ≠ q`), near 0 for unrelated responses with `N ≫ p, q`.
 * The Procrustes distance is `√(2 − 2s)` and the angular shape distance `arccos s`. For one unit
 * each, `s` is the absolute Pearson correlation.
 * @param x `[N, p]`
 * @param y `[N, q]`
 * @throws ShapeError unless both are matrices with the same rows (at least 2); ValueError for a constant one
 * @example procrustesSimilarity(hiddenA, matmul(hiddenA, rotation)) // 1
 */
export function procrustesSimilarity(x: Tensor, y: Tensor): number {
  if (x.rank !== 2 || y.rank !== 2 || x.shape[0] !== y.shape[0] || (x.shape[0] as number) < 2) {
    throw new ShapeError(
      `procrustesSimilarity: x and y must be [N, p] and [N, q] with the same N >= 2, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
    );
  }
  const [N, p] = x.shape as [number, number];
  const q = y.shape[1] as number;
  const a = normalised(x, "x");
  const b = normalised(y, "y");
  // M = X̂ᵀ Ŷ [p, q]; its singular values are the square roots of the eigenvalues of M Mᵀ (or Mᵀ M).
  const m = new Float64Array(p * q);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < p; j++) {
      const aij = a[i * p + j] as number;
      for (let k = 0; k < q; k++) m[j * q + k] = (m[j * q + k] as number) + aij * (b[i * q + k] as number);
    }
  const small = Math.min(p, q);
  const gram = new Float64Array(small * small);
  for (let r = 0; r < small; r++)
    for (let c = 0; c < small; c++) {
      let s = 0;
      if (p <= q) for (let k = 0; k < q; k++) s += (m[r * q + k] as number) * (m[c * q + k] as number);
      else for (let j = 0; j < p; j++) s += (m[j * q + r] as number) * (m[j * q + c] as number);
      gram[r * small + c] = s;
    }
  const { values } = symmetricEigen(gram, small);
  return Math.min(
    1,
    values.reduce((s, v) => s + Math.sqrt(Math.max(0, v)), 0),
  );
}
