/** How the command line reports failures: our errors as one clear message, anything else with its stack. */
import { BraintsError } from "../base/errors.ts";
import { RunDirectoryError } from "../app/runs/runDirectoryError.ts";

/**
 * The message of a library error in the command line's words: where the library's advice names its
 * functions (`startRun`, `resumeRun`), the command's names the flags that do the same.
 */
export function inCommandWords(error: BraintsError): string {
  if (!(error instanceof RunDirectoryError)) return error.message;
  const { problem, dir, fact } = error;
  switch (problem) {
    case "notEmpty":
      return `${fact}; choose another --out, or continue it with braints train --resume ${dir}`;
    case "missing":
      return `--resume: ${fact}`;
    case "untrained":
      return `${fact}; finish training first with braints train --resume ${dir}`;
    default:
      return error.message;
  }
}

/** Prints `error` on stderr and sets a non-zero exit code. */
export function reportFailure(error: unknown): void {
  if (error instanceof BraintsError) {
    process.stderr.write(`braints: ${inCommandWords(error)}\n`);
  } else {
    process.stderr.write(
      `braints: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
}
