/**
 * Checks for model options, run once when a model is built. Every message names the option, the
 * value it got and what is allowed: `leakyRNN: tauMs must be > 0, got -5`.
 */
import { ValueError } from "../base/errors.ts";

/** A positive integer (a size). */
export function positiveInt(where: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValueError(`${where}: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** A finite number > 0 (a time constant, a step, a scale). */
export function positive(where: string, name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new ValueError(`${where}: ${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/** A finite number >= 0 (a noise level, a probability's complement). */
export function nonNegative(where: string, name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new ValueError(`${where}: ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** A finite number in `[lo, hi]`. */
export function inRange(where: string, name: string, value: number, lo: number, hi: number): number {
  if (!(Number.isFinite(value) && value >= lo && value <= hi)) {
    throw new ValueError(`${where}: ${name} must be in [${lo}, ${hi}], got ${value}`);
  }
  return value;
}

/** One of a fixed set of names. */
export function oneOf<T extends string>(where: string, name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new ValueError(
      `${where}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A number, or an array of `n` numbers (a per-unit value), each passing `check`. */
export function scalarOrPerUnit(
  where: string,
  name: string,
  value: number | readonly number[],
  n: number,
  check: (where: string, name: string, v: number) => number,
): number | readonly number[] {
  if (typeof value === "number") return check(where, name, value);
  if (value.length !== n) {
    throw new ValueError(
      `${where}: ${name} must be a number or ${n} per-unit values, got ${value.length} values`,
    );
  }
  value.forEach((v, i) => check(where, `${name}[${i}]`, v));
  return value;
}

/** A 0/1 matrix given as rows, of the given shape. */
export function mask(
  where: string,
  name: string,
  value: readonly (readonly number[])[],
  rows: number,
  cols: number,
): readonly (readonly number[])[] {
  if (value.length !== rows || value.some((r) => r.length !== cols)) {
    throw new ValueError(
      `${where}: ${name} must be a [${rows}, ${cols}] matrix of 0/1 (layout [in, out]), got ${value.length} rows of lengths ${[...new Set(value.map((r) => r.length))].join("/")}`,
    );
  }
  return value;
}
