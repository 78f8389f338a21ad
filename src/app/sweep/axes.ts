/**
 * The axes of a sweep: a config key path and the values it takes, given as a list, an arithmetic
 * range or log-uniform draws; how a grid search expands them and how a random search samples them.
 */
import { Rng } from "../../base/random.ts";
import { ConfigError } from "../recipes/parseConfig.ts";

/** A config value an axis may set: a JSON scalar, array or object. */
export type AxisValue =
  string | number | boolean | null | readonly AxisValue[] | { readonly [k: string]: AxisValue };

/**
 * How an axis's values are given in a sweep file:
 * - a list `[a, b, c]`;
 * - `{ range: [start, stop, step] }`: start, start + step, ... up to stop inclusive;
 * - `{ logUniform: [lo, hi], count }`: `count` draws of exp(U(ln lo, ln hi)), seeded by the
 *   sweep's `sampleSeed` (in a random search each trial draws its own and `count` is not used).
 */
export type AxisSpec =
  | readonly AxisValue[]
  | { readonly range: readonly [number, number, number] }
  | { readonly logUniform: readonly [number, number]; readonly count?: number };

/** An axis as the plan records it: the key path, how it was given and, for a grid, its values. */
export interface Axis {
  /** The dotted config key path it sets, e.g. `training.lr` or `task.options.timing.stimulus`. */
  readonly path: string;
  readonly spec: AxisSpec;
}

const isList = (spec: AxisSpec): spec is readonly AxisValue[] => Array.isArray(spec);

/** Numbers as a user would write them: 0.1 + 0.2 is 0.3 (12 significant digits). */
const tidy = (x: number) => Number(x.toPrecision(12));

function rangeValues(where: string, [start, stop, step]: readonly [number, number, number]): number[] {
  if (!(step > 0)) throw new ConfigError(`${where}: range step must be > 0, got ${step}`);
  if (stop < start) {
    throw new ConfigError(
      `${where}: range [start, stop, step] must have stop >= start, got [${start}, ${stop}, ${step}]`,
    );
  }
  const count = Math.floor((stop - start) / step + 1e-9) + 1;
  if (count > 100_000) throw new ConfigError(`${where}: range must give at most 100000 values, got ${count}`);
  return Array.from({ length: count }, (_, k) => tidy(start + k * step));
}

function checkLogUniform(where: string, [lo, hi]: readonly [number, number]): void {
  if (!(lo > 0) || !(hi >= lo)) {
    throw new ConfigError(`${where}: logUniform [lo, hi] must have 0 < lo <= hi, got [${lo}, ${hi}]`);
  }
}

/** One log-uniform draw in `[lo, hi]`. */
const logUniformDraw = (rng: Rng, [lo, hi]: readonly [number, number]) =>
  tidy(Math.exp(rng.uniformIn(Math.log(lo), Math.log(hi))));

/**
 * The values a grid search gives the axis (log-uniform draws from the stream `rng` folds for its path).
 * @throws ConfigError for an empty list, a bad range, or a log-uniform axis without `count`
 */
export function gridValues(axis: Axis, rng: Rng): AxisValue[] {
  const where = `axes.${axis.path}`;
  const { spec } = axis;
  if (isList(spec)) {
    if (spec.length === 0) throw new ConfigError(`${where}: must list at least one value, got []`);
    return [...spec];
  }
  if ("range" in spec) return rangeValues(where, spec.range);
  checkLogUniform(where, spec.logUniform);
  if (spec.count === undefined) {
    throw new ConfigError(
      `${where}: a logUniform axis of a grid search needs count (how many values to draw), got ${JSON.stringify(spec)}`,
    );
  }
  const draws = rng.fold("axis", axis.path);
  return Array.from({ length: spec.count }, () => logUniformDraw(draws, spec.logUniform));
}

/**
 * Checks an axis for a random search (a list must not be empty, a range must be valid).
 * @throws ConfigError naming the axis
 */
export function checkRandomAxis(axis: Axis): void {
  const where = `axes.${axis.path}`;
  const { spec } = axis;
  if (isList(spec)) {
    if (spec.length === 0) throw new ConfigError(`${where}: must list at least one value, got []`);
  } else if ("range" in spec) rangeValues(where, spec.range);
  else checkLogUniform(where, spec.logUniform);
}

/** One random-search draw of the axis: a uniform pick of a list or range, a log-uniform draw. */
export function sampleAxis(axis: Axis, rng: Rng): AxisValue {
  const { spec } = axis;
  const pick = <T>(values: readonly T[]) => values[rng.integer(0, values.length)] as T;
  if (isList(spec)) return pick(spec);
  if ("range" in spec) return pick(rangeValues(`axes.${axis.path}`, spec.range));
  return logUniformDraw(rng, spec.logUniform);
}
