/**
 * CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A Tutorial"): (μ/μ_w, λ) sampling from
 * `N(m, σ² C)`, weighted recombination, cumulative step-size adaptation and rank-one plus rank-μ
 * covariance updates. Minimises a function of unconstrained coordinates.
 */
import { ValueError } from "../base/errors.ts";
import type { Rng } from "../base/random.ts";
import { symmetricEigen } from "../linalg/symmetricEigen.ts";

/** Options of {@link cmaes}. */
export interface CmaesOptions {
  /** Generations (default 50). */
  readonly iterations?: number;
  /** λ, candidates per generation (default `4 + ⌊3 ln n⌋`). */
  readonly population?: number;
  /** Initial step size σ0 in the unconstrained coordinates (default 0.5). */
  readonly sigma?: number;
  /** Stop when `σ · sqrt(max C_ii)` falls below this (default 1e-8). */
  readonly tolerance?: number;
}

/** What {@link cmaes} returns. */
export interface CmaesResult {
  readonly best: Float64Array;
  readonly bestValue: number;
  /** The final mean m. */
  readonly mean: Float64Array;
  /** `σ · sqrt(C_ii)`: the final search spread per coordinate. */
  readonly spread: Float64Array;
  /** The best value of each generation. */
  readonly history: number[];
  readonly evaluations: number;
}

/**
 * Minimises `f` from `x0`. Non-finite values rank last.
 * @example const r = cmaes((x) => (x[0] - 1) ** 2, Float64Array.of(0), rng);
 */
export function cmaes(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  rng: Rng,
  options: CmaesOptions = {},
  onGeneration?: (generation: number, best: number) => void,
): CmaesResult {
  const where = "cmaes";
  const n = x0.length;
  const iterations = options.iterations ?? 50;
  const lambda = options.population ?? 4 + Math.floor(3 * Math.log(n));
  let sigma = options.sigma ?? 0.5;
  const tolerance = options.tolerance ?? 1e-8;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new ValueError(`${where}: iterations must be a positive integer, got ${iterations}`);
  }
  if (!Number.isInteger(lambda) || lambda < 2)
    throw new ValueError(`${where}: population must be an integer >= 2, got ${lambda}`);
  if (!(sigma > 0)) throw new ValueError(`${where}: sigma must be > 0, got ${sigma}`);
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const wsum = raw.reduce((a, b) => a + b, 0);
  const w = raw.map((v) => v / wsum);
  const mueff = 1 / w.reduce((a, b) => a + b * b, 0);
  const cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
  const cs = (mueff + 2) / (n + mueff + 5);
  const c1 = 2 / ((n + 1.3) ** 2 + mueff);
  const cmu = Math.min(1 - c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
  const damps = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs;
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  let m = Float64Array.from(x0);
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) C[i * n + i] = 1;
  const pc = new Float64Array(n);
  const ps = new Float64Array(n);
  let best = Float64Array.from(x0);
  let bestValue = Infinity;
  const history: number[] = [];
  let evaluations = 0;
  for (let g = 0; g < iterations; g++) {
    const { values, vectors } = symmetricEigen(C, n); // C = Σ_k d_k² b_k b_kᵀ, b_k = row k
    const d = values.map((v) => Math.sqrt(Math.max(v, 1e-300)));
    const candidates = Array.from({ length: lambda }, () => {
      const z = Float64Array.from({ length: n }, () => rng.normal());
      const y = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const s = (d[k] as number) * (z[k] as number);
        for (let i = 0; i < n; i++) y[i] = (y[i] as number) + (vectors[k * n + i] as number) * s;
      }
      const x = m.map((mi, i) => mi + sigma * (y[i] as number));
      const v = f(x);
      evaluations++;
      return { x, y, value: Number.isFinite(v) ? v : Infinity };
    });
    candidates.sort((a, b) => a.value - b.value);
    const top = candidates[0] as (typeof candidates)[0];
    history.push(top.value);
    if (top.value < bestValue) {
      bestValue = top.value;
      best = top.x;
    }
    onGeneration?.(g, top.value);
    const yw = new Float64Array(n);
    for (let r = 0; r < mu; r++) {
      const y = (candidates[r] as (typeof candidates)[0]).y;
      for (let i = 0; i < n; i++) yw[i] = (yw[i] as number) + (w[r] as number) * (y[i] as number);
    }
    m = m.map((mi, i) => mi + sigma * (yw[i] as number));
    // C^{-1/2} y_w = Σ_k b_k (b_k · y_w) / d_k
    const white = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (vectors[k * n + i] as number) * (yw[i] as number);
      for (let i = 0; i < n; i++)
        white[i] = (white[i] as number) + ((vectors[k * n + i] as number) * dot) / (d[k] as number);
    }
    const csFactor = Math.sqrt(cs * (2 - cs) * mueff);
    for (let i = 0; i < n; i++) ps[i] = (1 - cs) * (ps[i] as number) + csFactor * (white[i] as number);
    const psNorm = Math.sqrt(ps.reduce((a, b) => a + b * b, 0));
    const hsig = psNorm / Math.sqrt(1 - (1 - cs) ** (2 * (g + 1))) / chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const ccFactor = hsig * Math.sqrt(cc * (2 - cc) * mueff);
    for (let i = 0; i < n; i++) pc[i] = (1 - cc) * (pc[i] as number) + ccFactor * (yw[i] as number);
    const keep = 1 - c1 - cmu + (1 - hsig) * c1 * cc * (2 - cc);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rankMu = 0;
        for (let r = 0; r < mu; r++) {
          const y = (candidates[r] as (typeof candidates)[0]).y;
          rankMu += (w[r] as number) * (y[i] as number) * (y[j] as number);
        }
        C[i * n + j] =
          keep * (C[i * n + j] as number) + c1 * (pc[i] as number) * (pc[j] as number) + cmu * rankMu;
      }
    }
    sigma *= Math.exp((cs / damps) * (psNorm / chiN - 1));
    let maxVar = 0;
    for (let i = 0; i < n; i++) maxVar = Math.max(maxVar, C[i * n + i] as number);
    if (sigma * Math.sqrt(maxVar) < tolerance) break;
  }
  const spread = Float64Array.from({ length: n }, (_, i) => sigma * Math.sqrt(C[i * n + i] as number));
  return { best, bestValue, mean: m, spread, history, evaluations };
}
