/** The error of sweep directories. */
import { BraintsError } from "../../base/errors.ts";

/**
 * A sweep directory that cannot be used as asked: it holds another sweep, is not a sweep, or a
 * trial index is out of its plan. The message reads `fact; advice`.
 */
export class SweepDirectoryError extends BraintsError {
  override name = "SweepDirectoryError";
}
