/**
 * Spectral radius by power iteration (float64) and Gaussian recurrent weights rescaled to a target
 * spectral radius, with excitation and inhibition balanced first under Dale's law.
 */
import { ValueError } from "../../base/errors.ts";
import { Rng } from "../../base/random.ts";
import { type DType, type Tensor, fromData } from "../../core/tensor.ts";

/**
 * The spectral radius `max |λ|` of a square matrix (row-major, `[n, n]`), by power iteration in
 * float64: the mean log growth of `‖v Wᵏ‖` over a long window after a burn-in. A complex pair of
 * leading eigenvalues makes the direction rotate but not the growth rate, so this converges for any
 * real matrix (error ~ 1 / iterations).
 */
export function spectralRadius(
  w: Tensor | Float64Array,
  options: { iterations?: number; seed?: number } = {},
): number {
  const data = w instanceof Float64Array ? w : Float64Array.from(w.data);
  const n = Math.round(Math.sqrt(data.length));
  if (n * n !== data.length)
    throw new ValueError(`spectralRadius: matrix must be square, got ${data.length} entries`);
  const iterations = options.iterations ?? 2000;
  const burnIn = Math.min(200, iterations >> 2);
  const rng = Rng.fromSeed(options.seed ?? 0);
  let v = new Float64Array(n).map(() => rng.normal());
  let next = new Float64Array(n);
  let logGrowth = 0;
  const normalize = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i] as number) ** 2;
    const norm = Math.sqrt(s);
    if (norm === 0) return 0;
    for (let i = 0; i < n; i++) x[i] = (x[i] as number) / norm;
    return norm;
  };
  normalize(v);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const vi = v[i] as number;
      if (vi === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) next[j] = (next[j] as number) + vi * (data[row + j] as number);
    }
    const growth = normalize(next);
    if (growth === 0) return 0;
    if (it >= burnIn) logGrowth += Math.log(growth);
    [v, next] = [next, v];
  }
  return Math.exp(logGrowth / (iterations - burnIn));
}

/** Options of {@link gaussianSpectral}. */
export interface GaussianSpectralOptions {
  /** Target spectral radius of the effective (signed) matrix. */
  readonly radius: number;
  /**
   * Dale's law signs, one per presynaptic unit (row): +1 excitatory, -1 inhibitory. When given,
   * the result is the magnitude matrix `|W|`, inhibitory rows scaled by `nE / nI` so that every
   * unit's expected E and I input cancel, and the radius applies to `diag(sign) |W|`.
   */
  readonly signs?: readonly number[];
  readonly dtype?: DType;
}

/**
 * An `[n, n]` recurrent matrix with i.i.d. Gaussian entries rescaled so that its spectral radius is
 * `radius` (Sompolinsky/Jaeger style). Under Dale's law, returns magnitudes (see `signs`).
 */
export function gaussianSpectral(rng: Rng, n: number, options: GaussianSpectralOptions): Tensor {
  const { radius, signs, dtype = "float32" } = options;
  const w = new Float64Array(n * n);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() / Math.sqrt(n);
  const signed = new Float64Array(n * n);
  if (signs) {
    const nE = signs.filter((s) => s > 0).length;
    const nI = n - nE;
    const inhibitoryScale = nI > 0 && nE > 0 ? nE / nI : 1;
    for (let i = 0; i < n; i++) {
      const s = signs[i] as number;
      for (let j = 0; j < n; j++) {
        const m = Math.abs(w[i * n + j] as number) * (s < 0 ? inhibitoryScale : 1);
        w[i * n + j] = m;
        signed[i * n + j] = s * m;
      }
    }
  } else signed.set(w);
  const rho = spectralRadius(signed);
  const k = rho > 0 ? radius / rho : 1;
  const out = dtype === "float64" ? new Float64Array(n * n) : new Float32Array(n * n);
  for (let i = 0; i < out.length; i++) out[i] = (w[i] as number) * k;
  return fromData(out, [n, n]);
}
