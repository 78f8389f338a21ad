/**
 * Period timing specs: how long each period of a trial lasts. Durations are in milliseconds and
 * every sampled duration is floored to a multiple of `dtMs`, as in NeuroGym, so trial lengths match
 * published work step for step.
 */
import type { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";

/** A fixed duration. */
export interface ConstantTiming {
  readonly kind: "constant";
  readonly ms: number;
}
/** A uniform choice among a few durations. */
export interface ChoiceTiming {
  readonly kind: "choice";
  readonly options: readonly number[];
}
/** A continuous uniform duration on `[low, high)`. */
export interface UniformTiming {
  readonly kind: "uniform";
  readonly low: number;
  readonly high: number;
}
/** Exponential with `mean`, redrawn until it falls in `[min, max)`; `max` when `min >= max`. */
export interface TruncatedExponentialTiming {
  readonly kind: "truncatedExponential";
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}
/** The period lasts until absolute trial time `ms` (its duration is `ms` minus the current trial end). */
export interface UntilTiming {
  readonly kind: "until";
  readonly ms: number;
}
/** Any duration distribution, drawn from the trial's generator. */
export interface FunctionTiming {
  readonly kind: "function";
  readonly sample: (rng: Rng) => number;
}

/**
 * A period duration spec. A bare number is a constant and a bare array a uniform choice, the
 * shorthands NeuroGym users write (`{ delay: [200, 400, 800] }`).
 */
export type TimingSpec =
  | number
  | readonly number[]
  | ConstantTiming
  | ChoiceTiming
  | UniformTiming
  | TruncatedExponentialTiming
  | UntilTiming
  | FunctionTiming;

/** Period name → timing spec. */
export type Timing = Readonly<Record<string, TimingSpec>>;

/** A constant duration of `ms` milliseconds. */
export const constant = (ms: number): ConstantTiming => ({ kind: "constant", ms });
/** A uniform choice among `options` (ms). */
export const choice = (options: readonly number[]): ChoiceTiming => ({ kind: "choice", options });
/** A continuous uniform duration on `[low, high)` ms. */
export const uniform = (low: number, high: number): UniformTiming => ({ kind: "uniform", low, high });
/** NeuroGym's `TruncExp(mean, min, max)`: Exp(mean) redrawn until `min <= x < max`. */
export const truncatedExponential = (mean: number, min = 0, max = Infinity): TruncatedExponentialTiming => ({
  kind: "truncatedExponential",
  mean,
  min,
  max,
});
/** The period ends at absolute trial time `ms`. */
export const until = (ms: number): UntilTiming => ({ kind: "until", ms });
/** A duration drawn by `sample(rng)` (ms). */
export const fromFunction = (sample: (rng: Rng) => number): FunctionTiming => ({ kind: "function", sample });

/** A timing spec in object form: bare numbers and arrays expanded by {@link normalizeTiming}. */
export type Normalized = Exclude<TimingSpec, number | readonly number[]>;

/** The object form of a spec (bare numbers and arrays expanded). */
export function normalizeTiming(spec: TimingSpec): Normalized {
  if (typeof spec === "number") return constant(spec);
  if (isNumberArray(spec)) return choice(spec);
  return spec as Normalized;
}

function isNumberArray(spec: TimingSpec): spec is readonly number[] {
  return Array.isArray(spec);
}

/** Floors `ms` to a multiple of `dtMs` (NeuroGym's `(t // dt) * dt`). */
export function floorToDt(ms: number, dtMs: number): number {
  // The small epsilon keeps 0.3 / 0.1-style float ratios from losing a whole step.
  return Math.floor(ms / dtMs + 1e-9) * dtMs;
}

/**
 * Draws one duration for `period` and floors it to `dtMs`.
 * @param tmaxMs the current trial end, needed by `until`.
 */
export function sampleDuration(
  spec: TimingSpec,
  rng: Rng,
  dtMs: number,
  tmaxMs: number,
  period: string,
): number {
  // A bare number is the commonest spec: no object to make for it, trial after trial.
  if (typeof spec === "number") return floorToDt(spec, dtMs);
  const s = normalizeTiming(spec);
  let t: number;
  switch (s.kind) {
    case "constant":
      t = s.ms;
      break;
    case "choice":
      t = rng.choice(s.options);
      break;
    case "uniform":
      t = rng.uniformIn(s.low, s.high);
      break;
    case "truncatedExponential":
      t = sampleTruncatedExponential(rng, s.mean, s.min, s.max);
      break;
    case "until":
      t = s.ms - tmaxMs;
      if (t < 0) {
        throw new ValueError(
          `timing.${period}: 'until' time must not precede the current trial end, got until ${s.ms} ms with the trial already ${tmaxMs} ms long`,
        );
      }
      break;
    case "function":
      t = s.sample(rng);
      if (!(t >= 0) || !Number.isFinite(t)) {
        throw new ValueError(
          `timing.${period}: the duration function must return a finite ms >= 0, got ${t}`,
        );
      }
      break;
  }
  return floorToDt(t, dtMs);
}

function sampleTruncatedExponential(rng: Rng, mean: number, min: number, max: number): number {
  if (min >= max) return max;
  for (;;) {
    const v = rng.exponential(mean);
    if (v >= min && v < max) return v;
  }
}

/**
 * Checks a spec for `period` and returns the shortest duration it can produce before flooring
 * (`null` when unknown: functions and `until`).
 */
export function validateTiming(spec: TimingSpec, period: string, where: string): number | null {
  const s = normalizeTiming(spec);
  const bad = (what: string, got: string): never => {
    throw new ValueError(`${where}: timing.${period} ${what}, got ${got}`);
  };
  const finiteNonNeg = (v: number, label: string): void => {
    if (!(v >= 0) || !Number.isFinite(v)) bad(`${label} must be a finite duration >= 0 ms`, String(v));
  };
  switch (s.kind) {
    case "constant":
      finiteNonNeg(s.ms, "duration");
      return s.ms;
    case "choice":
      if (s.options.length === 0) bad("choice needs at least one duration", "[]");
      for (const o of s.options) finiteNonNeg(o, "every choice");
      return Math.min(...s.options);
    case "uniform":
      finiteNonNeg(s.low, "uniform low");
      finiteNonNeg(s.high, "uniform high");
      if (s.high < s.low) bad("uniform needs low <= high", `low ${s.low}, high ${s.high}`);
      return s.low;
    case "truncatedExponential":
      if (!(s.mean > 0) || !Number.isFinite(s.mean))
        bad("truncatedExponential mean must be > 0", String(s.mean));
      finiteNonNeg(s.min, "truncatedExponential min");
      if (!(s.max >= 0)) bad("truncatedExponential max must be >= 0", String(s.max));
      return s.min >= s.max ? s.max : s.min;
    case "until":
      finiteNonNeg(s.ms, "until time");
      return null;
    case "function":
      if (typeof s.sample !== "function") bad("function timing needs a sample function", typeof s.sample);
      return null;
    default:
      return bad(
        "must be a number, an array of numbers or one of constant/choice/uniform/truncatedExponential/until/function",
        JSON.stringify(spec),
      );
  }
}

/**
 * The exact distribution of the floored duration (ms → probability), for specs that have one
 * (`null` for functions and `until`). Used by the statistical timing tests and trial-length tables.
 */
export function durationDistribution(spec: TimingSpec, dtMs: number): Map<number, number> | null {
  const s = normalizeTiming(spec);
  const out = new Map<number, number>();
  const add = (ms: number, p: number): void => {
    if (p > 0) out.set(ms, (out.get(ms) ?? 0) + p);
  };
  switch (s.kind) {
    case "constant":
      add(floorToDt(s.ms, dtMs), 1);
      return out;
    case "choice":
      for (const o of s.options) add(floorToDt(o, dtMs), 1 / s.options.length);
      return out;
    case "uniform": {
      if (s.high === s.low) {
        add(floorToDt(s.low, dtMs), 1);
        return out;
      }
      for (let k = Math.floor(s.low / dtMs); k * dtMs < s.high; k++) {
        const lo = Math.max(s.low, k * dtMs);
        const hi = Math.min(s.high, (k + 1) * dtMs);
        add(k * dtMs, (hi - lo) / (s.high - s.low));
      }
      return out;
    }
    case "truncatedExponential": {
      if (s.min >= s.max) {
        add(floorToDt(s.max, dtMs), 1);
        return out;
      }
      const cdf = (x: number): number => (x === Infinity ? 1 : 1 - Math.exp(-x / s.mean));
      const z = cdf(s.max) - cdf(s.min);
      for (let k = Math.floor(s.min / dtMs); k * dtMs < s.max; k++) {
        const lo = Math.max(s.min, k * dtMs);
        const hi = Math.min(s.max, (k + 1) * dtMs);
        const p = (cdf(hi) - cdf(lo)) / z;
        if (p < 1e-12 && hi > s.min + 50 * s.mean) break;
        add(k * dtMs, p);
      }
      return out;
    }
    default:
      return null;
  }
}
