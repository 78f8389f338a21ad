/** Principal component analysis in float64, by eigen-decomposition of the sample covariance. */
import { ShapeError, ValueError, fmtShape } from "../base/errors.ts";
import { Tensor, fromData } from "../core/tensor.ts";
import { symmetricEigen } from "../linalg/symmetricEigen.ts";

/** Options of {@link pca}. */
export interface PCAOptions {
  /** How many components to keep (default: all D). */
  readonly components?: number;
}

/** A fitted PCA. */
export interface PCA {
  /** Principal axes `[k, D]` (float64, unit rows, by decreasing variance; each row's largest-magnitude entry is positive). */
  readonly components: Tensor;
  /** Variance along each axis `[k]`: the covariance eigenvalues, with the `N − 1` normalisation. */
  readonly explainedVariance: Float64Array;
  /** `explainedVariance` divided by the total variance (the covariance trace) `[k]`. */
  readonly explainedVarianceRatio: Float64Array;
  /** Per-feature mean `[D]` (float64) subtracted before projecting. */
  readonly mean: Tensor;
  /** Coordinates `[M, k]` (float64) of the rows of `X` (`[M, D]`): `(X − mean) componentsᵀ`. */
  project(X: Tensor): Tensor;
}

function checkMatrix(where: string, X: Tensor, D?: number): [number, number] {
  if (X.rank !== 2 || (D !== undefined && X.shape[1] !== D)) {
    throw new ShapeError(`${where}: X must have shape [N, ${D ?? "D"}], got ${fmtShape(X.shape)}`);
  }
  return [X.shape[0] as number, X.shape[1] as number];
}

/**
 * Fits PCA to the rows of `X` (`[N, D]`, N ≥ 2): centres each feature, forms the covariance
 * `C = Xcᵀ Xc / (N − 1)` in float64 and takes its top-k eigenvectors.
 * @example const { components, explainedVarianceRatio, project } = pca(hidden2d, { components: 3 });
 */
export function pca(X: Tensor, options: PCAOptions = {}): PCA {
  const [N, D] = checkMatrix("pca", X);
  const k = options.components ?? D;
  if (!Number.isInteger(k) || k < 1 || k > D) {
    throw new ValueError(`pca: components must be an integer in [1, ${D}], got ${k}`);
  }
  if (N < 2) throw new ValueError(`pca: need at least 2 samples, got ${N}`);
  const x = X.data;
  const mean = new Float64Array(D);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < D; j++) mean[j] = (mean[j] as number) + (x[i * D + j] as number) / N;
  const cov = new Float64Array(D * D);
  const row = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) row[j] = (x[i * D + j] as number) - (mean[j] as number);
    for (let a = 0; a < D; a++) {
      const ra = row[a] as number;
      if (ra === 0) continue;
      for (let b = a; b < D; b++) cov[a * D + b] = (cov[a * D + b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < D; a++) {
    for (let b = a; b < D; b++) {
      const c = (cov[a * D + b] as number) / (N - 1);
      cov[a * D + b] = c;
      cov[b * D + a] = c;
    }
  }
  let total = 0;
  for (let a = 0; a < D; a++) total += cov[a * D + a] as number;
  const { values, vectors } = symmetricEigen(cov, D);
  const components = vectors.slice(0, k * D);
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let j = 0; j < D; j++)
      if (Math.abs(components[c * D + j] as number) > Math.abs(big)) big = components[c * D + j] as number;
    if (big < 0) for (let j = 0; j < D; j++) components[c * D + j] = -(components[c * D + j] as number);
  }
  const explainedVariance = values.slice(0, k).map((v) => Math.max(v, 0));
  return {
    components: fromData(components, [k, D]),
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    mean: fromData(mean, [D]),
    project(Y: Tensor): Tensor {
      const [M] = checkMatrix("pca.project", Y, D);
      const y = Y.data;
      const out = new Float64Array(M * k);
      for (let i = 0; i < M; i++) {
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let j = 0; j < D; j++)
            s += ((y[i * D + j] as number) - (mean[j] as number)) * (components[c * D + j] as number);
          out[i * k + c] = s;
        }
      }
      return fromData(out, [M, k]);
    },
  };
}
