/**
 * Functional connectivity and its dynamics: Pearson correlation between regions' signals
 * (differentiable, on tensors), the FC of sliding windows and the FCD matrix (how similar the FC of
 * every pair of windows is), and the Kolmogorov–Smirnov distance used to compare FCD distributions.
 */
import { ShapeError, ValueError } from "../../base/errors.ts";
import {
  type Tensor,
  div,
  fromData,
  gather,
  matmul,
  mean,
  mul,
  reshape,
  sqrt,
  sub,
  sum,
  transpose,
} from "../../core/index.ts";

function checkSeries(where: string, x: Tensor): { T: number; N: number } {
  if (x.rank !== 2) {
    throw new ShapeError(`${where}: the signal must be [T, N] (time × regions), got [${x.shape.join(", ")}]`);
  }
  const [T, N] = x.shape as [number, number];
  if (T < 2) throw new ValueError(`${where}: need at least 2 time points, got ${T}`);
  return { T, N };
}

/**
 * Functional connectivity: the Pearson correlation matrix of the regions' signals,
 * `FC_ij = Σ_t x̃_ti x̃_tj / sqrt(Σ_t x̃_ti² Σ_t x̃_tj²)` with `x̃` the signal minus its time mean.
 * Differentiable. A constant signal has undefined correlations (NaN).
 * @param x `[T, N]`
 * @returns `[N, N]`
 */
export function functionalConnectivity(x: Tensor): Tensor {
  checkSeries("functionalConnectivity", x);
  const centred = sub(x, mean(x, 0, true));
  const cov = matmul(transpose(centred), centred); // [N, N]
  const sd = sqrt(sum(mul(centred, centred), 0)); // [N]
  const [N] = sd.shape as [number];
  return div(cov, mul(reshape(sd, [N, 1]), reshape(sd, [1, N])));
}

/**
 * Functional connectivity as covariance: `C_ij = Σ_t x̃_ti x̃_tj / (T − 1)` with `x̃` the signal
 * minus its time mean. Unlike the correlation ({@link functionalConnectivity}, `C_ij / √(C_ii C_jj)`)
 * it keeps the signals' scale: the diagonal holds the regions' variances. For a linear network with
 * additive noise of amplitude σ, C = σ² C₁ while the correlation does not depend on σ at all, so the
 * covariance is the form of FC from which the noise amplitude can be recovered. Differentiable.
 * @param x `[T, N]`
 * @returns `[N, N]`
 */
export function functionalCovariance(x: Tensor): Tensor {
  const { T } = checkSeries("functionalCovariance", x);
  const centred = sub(x, mean(x, 0, true));
  return div(matmul(transpose(centred), centred), T - 1);
}

/**
 * The upper triangle of a square `[N, N]` matrix, row by row: strictly above the diagonal as
 * `[N(N−1)/2]`, or with the diagonal (`{ diagonal: true }`) as `[N(N+1)/2]`. Differentiable.
 */
export function upperTriangle(m: Tensor, options: { readonly diagonal?: boolean } = {}): Tensor {
  if (m.rank !== 2 || m.shape[0] !== m.shape[1]) {
    throw new ShapeError(`upperTriangle: need a square [N, N] matrix, got [${m.shape.join(", ")}]`);
  }
  const N = m.shape[0] as number;
  const from = options.diagonal ? 0 : 1;
  const idx: number[] = [];
  for (let i = 0; i < N; i++) for (let j = i + from; j < N; j++) idx.push(i * N + j);
  return gather(reshape(m, [N * N]), Int32Array.from(idx), 0);
}

/** Pearson correlation of two equally long vectors (any shape, flattened). Differentiable; a scalar. */
export function pearson(a: Tensor, b: Tensor): Tensor {
  if (a.size !== b.size) throw new ShapeError(`pearson: a has ${a.size} values, b has ${b.size}`);
  const x = reshape(a, [a.size]);
  const y = reshape(b, [b.size]);
  const xc = sub(x, mean(x));
  const yc = sub(y, mean(y));
  return div(sum(mul(xc, yc)), sqrt(mul(sum(mul(xc, xc)), sum(mul(yc, yc)))));
}

/** Options of {@link fcDynamics}. */
export interface FcdOptions {
  /** Window length in samples (≥ 2). */
  readonly window: number;
  /** Hop between window starts in samples (default window / 2, at least 1). */
  readonly step?: number;
}

/** What {@link fcDynamics} returns. */
export interface Fcd {
  /** The number of windows W. */
  readonly windows: number;
  /** `[W, N(N−1)/2]` the upper triangle of each window's FC, row-major. */
  readonly fc: Float64Array;
  /** `[W, W]` row-major: the Pearson correlation between the FCs of windows a and b. */
  readonly matrix: Float64Array;
  /** The strict upper triangle of the FCD matrix: the distribution FCD objectives compare. */
  readonly values: Float64Array;
}

const corr = (a: Float64Array, b: Float64Array) => {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const u = (a[i] as number) - ma;
    const v = (b[i] as number) - mb;
    sab += u * v;
    saa += u * u;
    sbb += v * v;
  }
  return sab / Math.sqrt(saa * sbb);
};

/**
 * FC dynamics (Hansen et al. 2015): the FC of sliding windows and the FCD matrix
 * `FCD_ab = corr(triu FC_a, triu FC_b)`.
 * @param x `[T, N]` signal (not differentiated)
 */
export function fcDynamics(x: Tensor, options: FcdOptions): Fcd {
  const where = "fcDynamics";
  const { T, N } = checkSeries(where, x);
  const window = options.window;
  if (!Number.isInteger(window) || window < 2 || window > T) {
    throw new ValueError(`${where}: window must be an integer in [2, ${T}] samples, got ${window}`);
  }
  const hop = options.step ?? Math.max(1, Math.floor(window / 2));
  if (!Number.isInteger(hop) || hop < 1)
    throw new ValueError(`${where}: step must be an integer >= 1, got ${hop}`);
  const W = Math.floor((T - window) / hop) + 1;
  if (W < 2) throw new ValueError(`${where}: need at least 2 windows, got ${W} (T ${T}, window ${window})`);
  const data = Float64Array.from(x.data);
  const P = (N * (N - 1)) / 2;
  const fc = new Float64Array(W * P);
  for (let w = 0; w < W; w++) {
    const seg = fromData(data.slice(w * hop * N, (w * hop + window) * N), [window, N]);
    fc.set(upperTriangle(functionalConnectivity(seg)).data, w * P);
  }
  const matrix = new Float64Array(W * W);
  const values = new Float64Array((W * (W - 1)) / 2);
  let q = 0;
  for (let a = 0; a < W; a++) {
    matrix[a * W + a] = 1;
    for (let b = a + 1; b < W; b++) {
      const r = corr(fc.subarray(a * P, (a + 1) * P), fc.subarray(b * P, (b + 1) * P));
      matrix[a * W + b] = r;
      matrix[b * W + a] = r;
      values[q++] = r;
    }
  }
  return { windows: W, fc, matrix, values };
}

/** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs of a and b. */
export function ksDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) throw new ValueError(`ksDistance: both samples must be non-empty`);
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && (x[i] as number) <= v) i++;
    while (j < y.length && (y[j] as number) <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
