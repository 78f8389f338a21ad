/**
 * Fitted parameters: a start, optional bounds, a transform to an unconstrained coordinate u the
 * optimizers move in, and an optional Gaussian prior added to the loss as a penalty.
 *
 * | transform   | θ(u)                         | needs                 |
 * |-------------|------------------------------|-----------------------|
 * | `"none"`    | `u` (clipped to the bounds)  | —                     |
 * | `"log"`     | `lo + e^u` (clipped to hi)   | `init > lo` (lo = 0 without bounds) |
 * | `"sigmoid"` | `lo + (hi − lo) σ(u)`        | finite bounds, `lo < init < hi` |
 *
 * Without a transform given, bounds on both sides choose `"sigmoid"`, otherwise `"none"`.
 */
import { ValueError } from "../base/errors.ts";
import { type Tensor, add, clip, exp, mul, sigmoid } from "../core/index.ts";

/** One parameter of a fit. */
export interface FitParameterSpec {
  /** The start (in the model's units). */
  readonly init: number;
  /** Whether the fit moves it (default true); a fixed parameter keeps `init`. */
  readonly fit?: boolean;
  /** `[lo, hi]`; either side may be ±Infinity. */
  readonly bounds?: readonly [number, number];
  readonly transform?: "none" | "log" | "sigmoid";
  /** A Gaussian prior, added to the loss as `((θ − mean) / sd)² / 2`. */
  readonly prior?: { readonly mean: number; readonly sd: number };
}

/** Parameters by name: a number is fixed, a spec may be fitted. */
export type FitParameters = Readonly<Record<string, number | FitParameterSpec>>;

/** A checked fitted parameter. */
export interface ResolvedParameter {
  readonly name: string;
  readonly init: number;
  readonly lo: number;
  readonly hi: number;
  readonly transform: "none" | "log" | "sigmoid";
  readonly prior?: { readonly mean: number; readonly sd: number };
}

/** The checked parameters of a fit: those moved and those fixed. */
export interface ResolvedParameters {
  readonly fitted: readonly ResolvedParameter[];
  readonly fixed: Readonly<Record<string, number>>;
}

/** Checks the specs; bad bounds, transforms and priors throw errors naming the parameter. */
export function resolveParameters(where: string, specs: FitParameters): ResolvedParameters {
  const fitted: ResolvedParameter[] = [];
  const fixed: Record<string, number> = {};
  for (const [name, s] of Object.entries(specs)) {
    const spec: FitParameterSpec = typeof s === "number" ? { init: s, fit: false } : s;
    const at = `${where}: parameter ${name}`;
    if (!Number.isFinite(spec.init))
      throw new ValueError(`${at}: init must be a finite number, got ${spec.init}`);
    if (spec.fit === false) {
      fixed[name] = spec.init;
      continue;
    }
    const [lo, hi] = spec.bounds ?? [-Infinity, Infinity];
    if (Number.isNaN(lo) || Number.isNaN(hi) || !(lo < hi)) {
      throw new ValueError(`${at}: bounds must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
    }
    if (spec.init < lo || spec.init > hi) {
      throw new ValueError(`${at}: bounds [${lo}, ${hi}] exclude the start ${spec.init}`);
    }
    const transform = spec.transform ?? (Number.isFinite(lo) && Number.isFinite(hi) ? "sigmoid" : "none");
    if (transform === "sigmoid") {
      if (!(Number.isFinite(lo) && Number.isFinite(hi))) {
        throw new ValueError(`${at}: the sigmoid transform needs finite bounds, got [${lo}, ${hi}]`);
      }
      if (!(spec.init > lo && spec.init < hi)) {
        throw new ValueError(
          `${at}: with the sigmoid transform the start must lie strictly inside [${lo}, ${hi}], got ${spec.init}`,
        );
      }
    } else if (transform === "log") {
      const floor = Number.isFinite(lo) ? lo : 0;
      if (!(spec.init > floor)) {
        throw new ValueError(
          `${at}: with the log transform the start must exceed ${floor}, got ${spec.init}`,
        );
      }
    } else if (transform !== "none") {
      throw new ValueError(`${at}: transform must be "none", "log" or "sigmoid", got "${String(transform)}"`);
    }
    if (spec.prior && !(Number.isFinite(spec.prior.mean) && spec.prior.sd > 0)) {
      throw new ValueError(
        `${at}: prior needs a finite mean and sd > 0, got mean ${spec.prior.mean}, sd ${spec.prior.sd}`,
      );
    }
    fitted.push({
      name,
      init: spec.init,
      lo: transform === "log" && !Number.isFinite(lo) ? 0 : lo,
      hi,
      transform,
      ...(spec.prior ? { prior: spec.prior } : {}),
    });
  }
  if (fitted.length === 0)
    throw new ValueError(`${where}: no parameter is fitted (give at least one spec with fit: true)`);
  return { fitted, fixed };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** θ from u, on numbers. */
export function toConstrained(p: ResolvedParameter, u: number): number {
  switch (p.transform) {
    case "sigmoid":
      return p.lo + (p.hi - p.lo) / (1 + Math.exp(-u));
    case "log":
      return Math.min(p.hi, p.lo + Math.exp(u));
    default:
      return clamp(u, p.lo, p.hi);
  }
}

/** u from θ (the inverse of {@link toConstrained} inside the bounds). */
export function toUnconstrained(p: ResolvedParameter, theta: number): number {
  switch (p.transform) {
    case "sigmoid": {
      const z = (theta - p.lo) / (p.hi - p.lo);
      return Math.log(z / (1 - z));
    }
    case "log":
      return Math.log(theta - p.lo);
    default:
      return theta;
  }
}

/** dθ/du at u, for carrying a spread in u to θ (the delta method). */
export function constrainedSlope(p: ResolvedParameter, u: number): number {
  switch (p.transform) {
    case "sigmoid": {
      const s = 1 / (1 + Math.exp(-u));
      return (p.hi - p.lo) * s * (1 - s);
    }
    case "log":
      return Math.exp(u);
    default:
      return 1;
  }
}

/** θ from u, on tensors (differentiable; the `"none"` transform clips, passing gradients inside the bounds). */
export function toConstrainedTensor(p: ResolvedParameter, u: Tensor): Tensor {
  switch (p.transform) {
    case "sigmoid":
      return add(mul(sigmoid(u), p.hi - p.lo), p.lo);
    case "log": {
      const v = add(exp(u), p.lo);
      return Number.isFinite(p.hi) ? clip(v, -Infinity, p.hi) : v;
    }
    default:
      return Number.isFinite(p.lo) || Number.isFinite(p.hi) ? clip(u, p.lo, p.hi) : u;
  }
}

/** The prior penalty `Σ ((θ − mean) / sd)² / 2` over the fitted parameters with priors. */
export function priorPenalty(params: readonly ResolvedParameter[], theta: readonly number[]): number {
  return params.reduce(
    (s, p, i) => (p.prior ? s + 0.5 * (((theta[i] as number) - p.prior.mean) / p.prior.sd) ** 2 : s),
    0,
  );
}
