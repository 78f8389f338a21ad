/** Checks and dtype of the operands of the multi-input sequence primitives. */
import { ShapeError, fmtShape } from "../../base/errors.ts";
import type { Tensor } from "../tensor.ts";
import { cast } from "./layout.ts";

/**
 * The operands in one dtype: float64 if any of them is, else float32. Casting is an op, so each
 * operand's gradient comes back in its own dtype.
 */
export function sameDtype(operands: readonly Tensor[]): Tensor[] {
  const dtype = operands.some((t) => t.dtype === "float64") ? "float64" : "float32";
  return operands.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
}

/** Throws a ShapeError naming `name` unless `t` has exactly `shape` (`null` entries match any size). */
export function expectShape(
  where: string,
  name: string,
  t: Tensor,
  shape: readonly (number | null)[],
  text: string,
): void {
  const ok = t.rank === shape.length && shape.every((s, i) => s === null || s === t.shape[i]);
  if (!ok) throw new ShapeError(`${where}: ${name} must be ${text}, got ${fmtShape(t.shape)}`);
}
