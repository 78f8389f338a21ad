/**
 * A sweep directory: the plan, one run directory per trial, and the results rebuilt from them.
 *
 * ```
 * SWEEP_DIR/sweep.json                the plan (see SweepPlan): base, axes, seeds, every trial's config
 * SWEEP_DIR/trials/<id>/              the trial's run directory (braints eval/analyze/report work on it)
 * SWEEP_DIR/trials/<id>/result.json   written last, atomically: the trial is done (see TrialResult);
 *                                     a fit trial's is trial-result.json (result.json is the fit's own)
 * SWEEP_DIR/trials/<id>.lock          held while a process runs the trial (see TrialLock)
 * SWEEP_DIR/trials/<id>.failed.json   why the last attempt failed (removed when one succeeds)
 * SWEEP_DIR/results.jsonl, results.csv  one row per done trial, rebuilt from the result files
 * SWEEP_DIR/report.html               the sweep report
 * ```
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic.ts";
import { CorruptFileError } from "../../io/safetensors.ts";
import type { SweepPlan, SweepTrial } from "./plan.ts";
import { SweepDirectoryError } from "./sweepDirectoryError.ts";

/** The paths of a sweep directory's files. */
export const sweepPaths = (dir: string) => ({
  plan: join(dir, "sweep.json"),
  trials: join(dir, "trials"),
  results: join(dir, "results.jsonl"),
  csv: join(dir, "results.csv"),
  report: join(dir, "report.html"),
});

/** The paths of one trial's files. */
export const trialPaths = (dir: string, trial: Pick<SweepTrial, "id" | "config">) => {
  const base = join(sweepPaths(dir).trials, trial.id);
  return {
    run: base,
    result: join(base, trial.config.kind === "fit" ? "trial-result.json" : "result.json"),
    lock: `${base}.lock`,
    failed: `${base}.failed.json`,
  };
};

/** What identifies a plan: two plans with the same trials, objective and early stopping are one sweep. */
const identity = (plan: SweepPlan) =>
  JSON.stringify({
    trials: plan.trials.map((t) => [t.id, t.config]),
    objective: plan.objective,
    earlyStopping: plan.earlyStopping ?? null,
  });

/**
 * Writes `plan` as the record of the sweep directory `dir` (creating it), or checks that `dir`
 * already holds this very plan, so running a sweep again resumes it.
 * @throws SweepDirectoryError when `dir` holds another plan, or files but no plan
 */
export function writeSweepPlan(dir: string, plan: SweepPlan): void {
  const paths = sweepPaths(dir);
  if (existsSync(paths.plan)) {
    if (identity(readSweepPlan(dir)) !== identity(plan)) {
      throw new SweepDirectoryError(
        `sweep directory ${dir} holds another sweep (its sweep.json has other trials, objective or early stopping); choose another output directory, or run the sweep file that made it`,
      );
    }
    return;
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new SweepDirectoryError(
      `sweep directory ${dir} already exists, is not empty and has no sweep.json; choose a new or empty output directory`,
    );
  }
  mkdirSync(paths.trials, { recursive: true });
  writeFileAtomic(paths.plan, `${JSON.stringify(plan, null, 1)}\n`);
}

/**
 * Reads the plan of the sweep directory `dir`.
 * @throws SweepDirectoryError when `dir` has no sweep.json; CorruptFileError when it is not JSON
 */
export function readSweepPlan(dir: string): SweepPlan {
  const file = sweepPaths(dir).plan;
  if (!existsSync(file)) {
    throw new SweepDirectoryError(`${dir} is not a sweep directory: ${file} does not exist`);
  }
  try {
    return JSON.parse(readFileSync(file, "utf8")) as SweepPlan;
  } catch (e) {
    throw new CorruptFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}
