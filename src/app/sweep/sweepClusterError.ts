/** The error of the cluster back-ends of sweeps. */
import { BraintsError } from "../../base/errors.ts";

/**
 * A cluster back-end refused or failed a sweep: `sbatch` failed, options clash with what braints
 * sets, the Redis server cannot be reached. The message reads `where: what happened; advice`.
 */
export class SweepClusterError extends BraintsError {
  override name = "SweepClusterError";
}
