/**
 * Errors raised by braints. Messages read `where: what must hold, got what. hint`, so a user can
 * fix the call without reading the source.
 */
export class BraintsError extends Error {
  override name = "BraintsError";
}

/** A tensor or array had the wrong shape for an operation. */
export class ShapeError extends BraintsError {
  override name = "ShapeError";
}

/** An option or argument had a value outside what is allowed. */
export class ValueError extends BraintsError {
  override name = "ValueError";
}

/** Training produced a non-finite loss or parameters. */
export class DivergenceError extends BraintsError {
  override name = "DivergenceError";
}

/** Formats a shape as `[2, 3]` for error messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
