/**
 * Maximum-likelihood psychometric curves `p(x) = λ + (1 − 2λ) F((x − μ) / σ)` with a logistic or
 * normal (probit) F and an optional symmetric lapse rate λ, fitted by damped Newton in float64.
 */
import { ValueError } from "../../base/errors.ts";
import { solveLinear } from "../../linalg/solve.ts";
import { type ChoiceFraction, choiceFractions } from "./choiceFractions.ts";
import { normalCdf, normalPdf } from "./normal.ts";

/** The sigmoid shape F: `logistic` = 1/(1 + e^{−z}), `probit` = the normal CDF Φ(z). */
export type PsychometricLink = "logistic" | "probit";

/** Options of {@link fitPsychometric}. */
export interface PsychometricOptions {
  /** Default `logistic`. */
  readonly link?: PsychometricLink;
  /** Fit a lapse rate λ ∈ [0, ½) (default false: λ = 0). */
  readonly lapse?: boolean;
  /** Maximum Newton iterations (default 100). */
  readonly maxIterations?: number;
}

/** A fitted psychometric curve. */
export interface PsychometricFit {
  readonly link: PsychometricLink;
  /** Bias: the stimulus at which p = ½. */
  readonly mu: number;
  /** Scale (slope⁻¹), in stimulus units. */
  readonly sigma: number;
  /** Lapse rate λ (0 unless fitted). */
  readonly lapse: number;
  /** The maximised log-likelihood (natural log). */
  readonly logLikelihood: number;
  readonly iterations: number;
  /** Whether the log-likelihood stopped changing before `maxIterations`. */
  readonly converged: boolean;
  /** The fitted curve at stimulus `x`. */
  probability(x: number): number;
  /** The fitted curve sampled at `xs`, e.g. for `psychometricPlot`. */
  curve(xs: ArrayLike<number>): { x: number; p: number }[];
}

const logistic = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const LINKS: Record<PsychometricLink, { cdf: (z: number) => number; pdf: (z: number) => number }> = {
  logistic: { cdf: logistic, pdf: (z) => logistic(z) * logistic(-z) },
  probit: { cdf: normalCdf, pdf: normalPdf },
};

/** Free parameters θ = [μ, log σ, η] with λ = ½ sigmoid(η) (η only when the lapse is fitted). */
function model(link: PsychometricLink, theta: ArrayLike<number>) {
  const { cdf, pdf } = LINKS[link];
  const mu = theta[0] as number;
  const sigma = Math.exp(theta[1] as number);
  const lapse = theta.length > 2 ? 0.5 * logistic(theta[2] as number) : 0;
  return {
    mu,
    sigma,
    lapse,
    /** p and 1 − p computed separately (F(−z) = 1 − F(z) for both links) to keep tails exact. */
    at(x: number) {
      const z = (x - mu) / sigma;
      return {
        z,
        p: lapse + (1 - 2 * lapse) * cdf(z),
        q: lapse + (1 - 2 * lapse) * cdf(-z),
        slope: (1 - 2 * lapse) * pdf(z),
        dLapse: 1 - 2 * cdf(z),
      };
    },
  };
}

const TINY = 1e-300;

function logLikelihood(
  link: PsychometricLink,
  theta: ArrayLike<number>,
  data: readonly ChoiceFraction[],
): number {
  const m = model(link, theta);
  let ll = 0;
  for (const { x, n, k } of data) {
    const { p, q } = m.at(x);
    ll += k * Math.log(Math.max(p, TINY)) + (n - k) * Math.log(Math.max(q, TINY));
  }
  return ll;
}

/** ∂ log L / ∂θ by the chain rule through p. */
function score(
  link: PsychometricLink,
  theta: ArrayLike<number>,
  data: readonly ChoiceFraction[],
): Float64Array {
  const m = model(link, theta);
  const g = new Float64Array(theta.length);
  for (const { x, n, k } of data) {
    const { z, p, q, slope, dLapse } = m.at(x);
    const dp = k / Math.max(p, TINY) - (n - k) / Math.max(q, TINY);
    g[0] = (g[0] as number) - (dp * slope) / m.sigma;
    g[1] = (g[1] as number) - dp * slope * z;
    if (theta.length > 2) g[2] = (g[2] as number) + dp * dLapse * m.lapse * (1 - 2 * m.lapse);
  }
  return g;
}

/** The negative Hessian of log L by central differences of the analytic score, symmetrised. */
function negativeHessian(
  link: PsychometricLink,
  theta: Float64Array,
  data: readonly ChoiceFraction[],
): Float64Array {
  const d = theta.length;
  const H = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const h = 1e-5 * Math.max(1, Math.abs(theta[j] as number));
    const plus = theta.slice();
    const minus = theta.slice();
    plus[j] = (plus[j] as number) + h;
    minus[j] = (minus[j] as number) - h;
    const gp = score(link, plus, data);
    const gm = score(link, minus, data);
    for (let i = 0; i < d; i++) H[i * d + j] = -((gp[i] as number) - (gm[i] as number)) / (2 * h);
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const s = ((H[i * d + j] as number) + (H[j * d + i] as number)) / 2;
      H[i * d + j] = s;
      H[j * d + i] = s;
    }
  }
  return H;
}

/** A damped Newton step `(−∇² log L + ν·I) δ = ∇ log L`, or null when the system is singular. */
function newtonStep(negH: Float64Array, g: Float64Array, nu: number): Float64Array | null {
  const d = g.length;
  const A = negH.slice();
  for (let i = 0; i < d; i++) A[i * d + i] = (A[i * d + i] as number) + nu;
  try {
    return solveLinear(A, g, d);
  } catch {
    return null;
  }
}

function initialTheta(data: readonly ChoiceFraction[], withLapse: boolean): Float64Array {
  const n = data.reduce((s, d) => s + d.n, 0);
  const mean = data.reduce((s, d) => s + d.n * d.x, 0) / n;
  const sd = Math.sqrt(data.reduce((s, d) => s + d.n * (d.x - mean) ** 2, 0) / n);
  const theta = [mean, Math.log(sd > 0 ? sd / 2 : 1)];
  if (withLapse) theta.push(Math.log(0.04 / 0.96)); // λ = 0.02
  return Float64Array.from(theta);
}

/**
 * Fits a psychometric curve to trial data by maximum likelihood.
 * @param x signed stimulus strength per trial `[n]`
 * @param choice per trial: 1/true for the positive choice `[n]`
 * @example const fit = fitPsychometric(coherence, choseRight, { link: "probit", lapse: true }); fit.mu
 */
export function fitPsychometric(
  x: ArrayLike<number>,
  choice: ArrayLike<number | boolean>,
  options: PsychometricOptions = {},
): PsychometricFit {
  const link = options.link ?? "logistic";
  const data = choiceFractions(x, choice);
  if (data.length < 2) {
    throw new ValueError(`fitPsychometric: need at least 2 distinct stimulus levels, got ${data.length}`);
  }
  const maxIterations = options.maxIterations ?? 100;
  let theta = initialTheta(data, options.lapse ?? false);
  let ll = logLikelihood(link, theta, data);
  let nu = 1e-3;
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const g = score(link, theta, data);
    const negH = negativeHessian(link, theta, data);
    let accepted = false;
    while (!accepted && nu < 1e12) {
      const delta = newtonStep(negH, g, nu);
      const next = delta && theta.map((t, i) => t + (delta[i] as number));
      const llNext = next ? logLikelihood(link, next, data) : -Infinity;
      if (next && llNext >= ll) {
        converged = llNext - ll <= 1e-12 * (1 + Math.abs(ll));
        theta = next;
        ll = llNext;
        nu = Math.max(nu / 10, 1e-12);
        accepted = true;
      } else {
        nu *= 10;
      }
    }
    if (!accepted) converged = true; // no ascent direction left: a (possibly boundary) maximum
  }
  const m = model(link, theta);
  const probability = (xi: number) => m.at(xi).p;
  return {
    link,
    mu: m.mu,
    sigma: m.sigma,
    lapse: m.lapse,
    logLikelihood: ll,
    iterations,
    converged,
    probability,
    curve: (xs) => Array.from(xs, (xi) => ({ x: xi, p: probability(xi) })),
  };
}
