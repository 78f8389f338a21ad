/** Cholesky factorisation and solves for symmetric positive-definite systems, in float64. */
import { ValueError } from "../base/errors.ts";

/**
 * Factorises the n×n symmetric positive-definite matrix `A` (row-major) as `L Lᵀ` and returns the
 * lower-triangular `L`. Throws if `A` is not positive definite (e.g. a singular normal matrix
 * with no ridge penalty).
 */
export function cholesky(A: Float64Array, n: number, where = "cholesky"): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (L[j * n + k] as number) ** 2;
    if (!(d > 0)) {
      throw new ValueError(
        `${where}: the matrix must be positive definite, got pivot ${d} at row ${j}. Add a ridge penalty (alpha > 0) or remove collinear features`,
      );
    }
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * n + k] as number) * (L[j * n + k] as number);
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves `L Lᵀ X = B` for X, with B `[n, m]` row-major; returns X `[n, m]`. */
export function choleskySolve(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  const X = Float64Array.from(B);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = X[i * m + c] as number;
      for (let k = 0; k < i; k++) s -= (L[i * n + k] as number) * (X[k * m + c] as number);
      X[i * m + c] = s / (L[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = X[i * m + c] as number;
      for (let k = i + 1; k < n; k++) s -= (L[k * n + i] as number) * (X[k * m + c] as number);
      X[i * m + c] = s / (L[i * n + i] as number);
    }
  }
  return X;
}
