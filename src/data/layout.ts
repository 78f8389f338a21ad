/**
 * Time-major `[T, B, D]` ↔ batch-first `[B, T, D]` conversions (braints is time-major inside).
 */

/** Batch layout of a batch's arrays. */
export type BatchLayout = "time-major" | "batch-first";

/** `[T, B, D]` → `[B, T, D]`: into `out` when given (as long as `x`), else a new array of `x`'s type. */
export function toBatchFirst<A extends Float32Array | Int32Array>(
  x: A,
  T: number,
  B: number,
  D = 1,
  out: A = new (x.constructor as new (n: number) => A)(x.length),
): A {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const src = (t * B + b) * D;
      const dst = (b * T + t) * D;
      for (let d = 0; d < D; d++) out[dst + d] = x[src + d] as number;
    }
  }
  return out;
}

/** `[B, T, D]` → `[T, B, D]` (a new array of the same type). */
export function toTimeMajor<A extends Float32Array | Int32Array>(x: A, B: number, T: number, D = 1): A {
  // Swapping the two leading axes is its own inverse.
  return toBatchFirst(x, B, T, D);
}
