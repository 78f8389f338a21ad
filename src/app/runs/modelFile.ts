/** The trained model file of a run, which exists once training has finished. */
import { existsSync } from "node:fs";
import type { Run } from "./run.ts";
import { RunDirectoryError } from "./runDirectoryError.ts";

/**
 * The path of the run's `model.safetensors`.
 * @throws RunDirectoryError before training has finished
 */
export function trainedModelFile(run: Run): string {
  const file = run.path("model.safetensors");
  if (!existsSync(file)) {
    throw new RunDirectoryError(
      "untrained",
      run.dir,
      `${run.dir} has no trained model (${file})`,
      "finish its training first with resumeRun",
    );
  }
  return file;
}
