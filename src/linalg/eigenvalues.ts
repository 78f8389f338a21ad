/**
 * Eigenvalues of general real matrices: orthogonal (Householder) reduction to upper Hessenberg form,
 * then the Francis double-shift QR iteration, which deflates real roots and complex-conjugate pairs
 * (EISPACK orthes + hqr). Eigenvalues only; O(n³).
 */
import { BraintsError, ShapeError } from "../base/errors.ts";

/** A complex number. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/** The modulus `|z|`. */
export function modulus(z: Complex): number {
  return Math.hypot(z.re, z.im);
}

/** Reduces H (row-major n×n, in place) to upper Hessenberg form by Householder similarity transforms. */
function hessenberg(H: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  for (let m = 1; m < n - 1; m++) {
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(H[i * n + m - 1] as number);
    if (scale === 0) continue;
    let h = 0;
    for (let i = n - 1; i >= m; i--) {
      ort[i] = (H[i * n + m - 1] as number) / scale;
      h += (ort[i] as number) ** 2;
    }
    const g = (ort[m] as number) > 0 ? -Math.sqrt(h) : Math.sqrt(h);
    h -= (ort[m] as number) * g;
    ort[m] = (ort[m] as number) - g;
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = n - 1; i >= m; i--) f += (ort[i] as number) * (H[i * n + j] as number);
      f /= h;
      for (let i = m; i < n; i++) H[i * n + j] = (H[i * n + j] as number) - f * (ort[i] as number);
    }
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = n - 1; j >= m; j--) f += (ort[j] as number) * (H[i * n + j] as number);
      f /= h;
      for (let j = m; j < n; j++) H[i * n + j] = (H[i * n + j] as number) - f * (ort[j] as number);
    }
    H[m * n + m - 1] = scale * g;
    for (let i = m + 1; i < n; i++) H[i * n + m - 1] = 0;
  }
}

const sign = (a: number, b: number) => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** Francis double-shift QR on the Hessenberg matrix `a` (destroyed); fills `wr`, `wi`. */
function hessenbergQR(a: Float64Array, n: number, wr: Float64Array, wi: Float64Array): void {
  const EPS = 2 ** -52;
  const A = (i: number, j: number) => a[i * n + j] as number;
  const set = (i: number, j: number, v: number) => {
    a[i * n + j] = v;
  };
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(A(i, j));
  let nn = n - 1;
  let t = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l > 0; l--) {
        let s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(A(l, l - 1)) <= EPS * s) {
          set(l, l - 1, 0);
          break;
        }
      }
      let x = A(nn, nn);
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn--] = 0;
        continue;
      }
      let y = A(nn - 1, nn - 1);
      let w = A(nn, nn - 1) * A(nn - 1, nn);
      if (l === nn - 1) {
        const p = 0.5 * (y - x);
        const q = p * p + w;
        let z = Math.sqrt(Math.abs(q));
        x += t;
        if (q >= 0) {
          z = p + sign(z, p);
          wr[nn - 1] = wr[nn] = x + z;
          if (z !== 0) wr[nn] = x - w / z;
          wi[nn - 1] = wi[nn] = 0;
        } else {
          wr[nn - 1] = wr[nn] = x + p;
          wi[nn - 1] = -z;
          wi[nn] = z;
        }
        nn -= 2;
        continue;
      }
      if (its === 60)
        throw new BraintsError(`eigenvalues: QR iteration did not converge after ${its} iterations`);
      if (its === 10 || its === 20 || its === 40) {
        // Exceptional shift, to break cycles of the standard double shift.
        t += x;
        for (let i = 0; i <= nn; i++) set(i, i, A(i, i) - x);
        const s = Math.abs(A(nn, nn - 1)) + Math.abs(A(nn - 1, nn - 2));
        y = x = 0.75 * s;
        w = -0.4375 * s * s;
      }
      ++its;
      let m: number;
      let p = 0;
      let q = 0;
      let r = 0;
      let z: number;
      for (m = nn - 2; m >= l; m--) {
        z = A(m, m);
        r = x - z;
        const s0 = y - z;
        p = (r * s0 - w) / A(m + 1, m) + A(m, m + 1);
        q = A(m + 1, m + 1) - z - r - s0;
        r = A(m + 2, m + 1);
        const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        const u = Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r));
        const v = Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1)));
        if (u <= EPS * v) break;
      }
      for (let i = m; i < nn - 1; i++) {
        set(i + 2, i, 0);
        if (i !== m) set(i + 2, i - 1, 0);
      }
      for (let k = m; k < nn; k++) {
        if (k !== m) {
          p = A(k, k - 1);
          q = A(k + 1, k - 1);
          r = k + 1 !== nn ? A(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x !== 0) {
            p /= x;
            q /= x;
            r /= x;
          }
        }
        const s = sign(Math.sqrt(p * p + q * q + r * r), p);
        if (s === 0) continue;
        if (k === m) {
          if (l !== m) set(k, k - 1, -A(k, k - 1));
        } else set(k, k - 1, -s * x);
        p += s;
        x = p / s;
        y = q / s;
        z = r / s;
        q /= p;
        r /= p;
        for (let j = k; j <= nn; j++) {
          p = A(k, j) + q * A(k + 1, j);
          if (k + 1 !== nn) {
            p += r * A(k + 2, j);
            set(k + 2, j, A(k + 2, j) - p * z);
          }
          set(k + 1, j, A(k + 1, j) - p * y);
          set(k, j, A(k, j) - p * x);
        }
        const mmin = nn < k + 3 ? nn : k + 3;
        for (let i = l; i <= mmin; i++) {
          p = x * A(i, k) + y * A(i, k + 1);
          if (k + 1 !== nn) {
            p += z * A(i, k + 2);
            set(i, k + 2, A(i, k + 2) - p * r);
          }
          set(i, k + 1, A(i, k + 1) - p * q);
          set(i, k, A(i, k) - p);
        }
      }
    } while (l < nn - 1);
  }
}

/**
 * The eigenvalues of the real matrix `a` (`[n, n]` row-major), complex pairs included, sorted by
 * modulus (largest first; conjugates with positive imaginary part first).
 * @example eigenvalues(new Float64Array([0, -1, 1, 0]), 2) // [{ re: 0, im: 1 }, { re: 0, im: -1 }]
 */
export function eigenvalues(a: ArrayLike<number>, n: number): Complex[] {
  if (a.length !== n * n) {
    throw new ShapeError(`eigenvalues: matrix must have ${n}×${n} = ${n * n} entries, got ${a.length}`);
  }
  const H = Float64Array.from(a);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  hessenberg(H, n);
  hessenbergQR(H, n, wr, wi);
  return Array.from(wr, (re, i) => ({ re, im: wi[i] as number })).sort(
    (u, v) => modulus(v) - modulus(u) || v.im - u.im,
  );
}
