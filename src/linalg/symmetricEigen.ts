/**
 * Eigen-decomposition of real symmetric matrices: Householder reduction to tridiagonal form, then the
 * implicit QL algorithm with Wilkinson-style shifts (the EISPACK tred2/tql2 pair, as in JAMA).
 * O(n³), backward stable; eigenvalues and orthonormal eigenvectors to machine precision.
 */
import { ShapeError } from "../base/errors.ts";

/** Eigenvalues in descending order with their orthonormal eigenvectors. */
export interface SymmetricEigen {
  /** `[n]`, descending. */
  readonly values: Float64Array;
  /** `[n, n]` row-major; row i is the unit eigenvector of `values[i]`. */
  readonly vectors: Float64Array;
}

/** Householder tridiagonalisation of V (in place, row-major n×n); d gets the diagonal, e the subdiagonal. */
function tridiagonalise(V: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const v = (i: number, j: number) => V[i * n + j] as number;
  for (let j = 0; j < n; j++) d[j] = v(n - 1, j);
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = v(i - 1, j);
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = (d[k] as number) / scale;
        h += (d[k] as number) ** 2;
      }
      let f = d[i - 1] as number;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        V[j * n + i] = f;
        g = (e[j] as number) + v(j, j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v(k, j) * (d[k] as number);
          e[k] = (e[k] as number) + v(k, j) * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = (e[j] as number) / h;
        f += (e[j] as number) * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        for (let k = j; k <= i - 1; k++)
          V[k * n + j] = v(k, j) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = v(i - 1, j);
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the Householder transformations into V.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = v(i, i);
    V[i * n + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v(k, i + 1) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v(k, i + 1) * v(k, j);
        for (let k = 0; k <= i; k++) V[k * n + j] = v(k, j) - g * (d[k] as number);
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v(n - 1, j);
    V[(n - 1) * n + j] = 0;
  }
  V[n * n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the columns of V; d ends with the eigenvalues. */
function tridiagonalQL(V: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      do {
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * (e[i] as number);
          h = c * p;
          r = Math.hypot(p, e[i] as number);
          e[i + 1] = s * r;
          s = (e[i] as number) / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
          for (let k = 0; k < n; k++) {
            const a = V[k * n + i + 1] as number;
            const b = V[k * n + i] as number;
            V[k * n + i + 1] = s * b + c * a;
            V[k * n + i] = c * b - s * a;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
}

/**
 * Eigenvalues and eigenvectors of the symmetric matrix `a` (`[n, n]` row-major; only symmetry is
 * assumed, not checked). `A vᵢ = λᵢ vᵢ`, `λ₀ ≥ λ₁ ≥ …`, `vᵢ · vⱼ = δᵢⱼ`.
 * @example symmetricEigen(new Float64Array([2, 1, 1, 2]), 2).values // [3, 1]
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (a.length !== n * n) {
    throw new ShapeError(`symmetricEigen: matrix must have ${n}×${n} = ${n * n} entries, got ${a.length}`);
  }
  const V = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tridiagonalise(V, n, d, e);
    tridiagonalQL(V, n, d, e);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (d[j] as number) - (d[i] as number));
  const values = Float64Array.from(order, (i) => d[i] as number);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    for (let k = 0; k < n; k++) vectors[row * n + k] = V[k * n + col] as number;
  });
  return { values, vectors };
}
