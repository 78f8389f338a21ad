/**
 * Option checks shared by tasks. Each names the option, the value and what was expected.
 */
import { ValueError } from "../base/errors.ts";

/** Throws unless `v` is an integer >= `min`. */
export function requireInteger(where: string, name: string, v: unknown, min: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${where}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  }
}

/** Throws unless `v` is a finite number >= 0. */
export function requireNonNegative(where: string, name: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${where}: ${name} must be a finite number >= 0, got ${String(v)}`);
  }
}

/** Throws unless `v` is a finite number > 0. */
export function requirePositive(where: string, name: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new ValueError(`${where}: ${name} must be a finite number > 0, got ${String(v)}`);
  }
}

/** Throws unless `v` is a probability in [0, 1]. */
export function requireProbability(where: string, name: string, v: unknown): void {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
    throw new ValueError(`${where}: ${name} must be a probability in [0, 1], got ${String(v)}`);
  }
}

/** Throws unless `v` is a non-empty array of finite numbers. */
export function requireNumberList(where: string, name: string, v: unknown): void {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new ValueError(
      `${where}: ${name} must be a non-empty array of finite numbers, got ${JSON.stringify(v)}`,
    );
  }
}

/** Throws unless `v` is one of `allowed`. */
export function requireOneOf<T>(where: string, name: string, v: unknown, allowed: readonly T[]): void {
  if (!allowed.includes(v as T)) {
    throw new ValueError(
      `${where}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
}

/** Throws if `given` has keys outside `allowed`. */
export function requireKnownKeys(
  where: string,
  what: string,
  given: object,
  allowed: readonly string[],
): void {
  for (const k of Object.keys(given)) {
    if (!allowed.includes(k)) {
      throw new ValueError(`${where}: unknown ${what} '${k}'; allowed ${what}s are ${allowed.join(", ")}`);
    }
  }
}
