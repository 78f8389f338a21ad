/** How the command line reports failures: our errors as one clear message, anything else with its stack. */
import { BraintsError } from "../base/errors.ts";

/** Prints `error` on stderr and sets a non-zero exit code. */
export function reportFailure(error: unknown): void {
  if (error instanceof BraintsError) {
    process.stderr.write(`braints: ${error.message}\n`);
  } else {
    process.stderr.write(
      `braints: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exitCode = 1;
}
