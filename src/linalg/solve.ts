/** Dense linear solves for the small systems of Newton steps. */
import { ValueError } from "../base/errors.ts";

/**
 * Solves `A x = b` for a square `A` (`[n, n]` row-major) by Gaussian elimination with partial pivoting.
 * @throws ValueError when `A` is singular to working precision
 */
export function solveLinear(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const M = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(M[r * n + col] as number) > Math.abs(M[pivot * n + col] as number)) pivot = r;
    }
    const diag = M[pivot * n + col] as number;
    if (!(Math.abs(diag) > 0))
      throw new ValueError(`solveLinear: matrix is singular, got pivot ${diag} in column ${col}`);
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const tmp = M[col * n + c] as number;
        M[col * n + c] = M[pivot * n + c] as number;
        M[pivot * n + c] = tmp;
      }
      const tmp = x[col] as number;
      x[col] = x[pivot] as number;
      x[pivot] = tmp;
    }
    for (let r = col + 1; r < n; r++) {
      const f = (M[r * n + col] as number) / diag;
      if (f === 0) continue;
      for (let c = col; c < n; c++) M[r * n + c] = (M[r * n + c] as number) - f * (M[col * n + c] as number);
      x[r] = (x[r] as number) - f * (x[col] as number);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r] as number;
    for (let c = r + 1; c < n; c++) s -= (M[r * n + c] as number) * (x[c] as number);
    x[r] = s / (M[r * n + r] as number);
  }
  return x;
}
