/**
 * The error of run directories, in a module of its own so the command line can put it in its own
 * words (its flags and commands) without loading the run directories.
 */
import { BraintsError } from "../../base/errors.ts";

/**
 * What is wrong with a run directory: `notEmpty` (a new run's directory holds files), `missing` (the
 * run directory does not exist), `notARun` (it has no config.json), `missingFile` (a file of the run
 * does not exist), `untrained` (training has not finished: no model file yet), `otherKind` (the run
 * is of another kind than asked).
 */
export type RunDirectoryProblem = "notEmpty" | "missing" | "notARun" | "missingFile" | "untrained" | "otherKind";

/**
 * A run directory that cannot be created or read as asked. The message is `fact; advice`, the advice
 * naming the library's functions; `problem`, `dir` and `fact` let a caller give its own advice.
 */
export class RunDirectoryError extends BraintsError {
  override name = "RunDirectoryError";

  /**
   * @param problem what is wrong, as a tag
   * @param dir the run directory
   * @param fact what is wrong, in words, without advice
   * @param advice what to do, naming the library's functions and parameters
   */
  constructor(
    readonly problem: RunDirectoryProblem,
    readonly dir: string,
    readonly fact: string,
    advice?: string,
  ) {
    super(advice === undefined ? fact : `${fact}; ${advice}`);
  }
}
