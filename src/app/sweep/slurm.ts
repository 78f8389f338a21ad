/**
 * Running a sweep on a Slurm cluster: one job array over the trials not yet done, one array task
 * per trial, each running `braints sweep run-trial DIR $SLURM_ARRAY_TASK_ID` (idempotent: a requeued
 * or preempted task resumes its trial from its checkpoint). The sweep directory must be on a file
 * system every node sees; it stays the record (`braints sweep status DIR` reads it from anywhere).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../../io/atomic.ts";
import { readTrialResult } from "./results.ts";
import { readSweepPlan } from "./sweepDir.ts";
import { SweepClusterError } from "./sweepClusterError.ts";

/** Options of {@link submitSlurmSweep}. */
export interface SlurmSubmitOptions {
  /**
   * The command that starts `braints` on the nodes, as argv (e.g. `["/usr/bin/node", "/opt/braints/bin/braints.js"]`):
   * `sweep run-trial DIR INDEX --owner ...` is appended.
   */
  readonly command: readonly string[];
  /** Options passed to `sbatch` as they are (`--partition=short`, `--time=01:00:00`, ...); not `--array`. */
  readonly sbatchArgs?: readonly string[];
  /** The `sbatch` program (default `sbatch` on the PATH). */
  readonly sbatch?: string;
}

/** What {@link submitSlurmSweep} submitted. */
export interface SlurmSubmission {
  /** Slurm's id of the job array. */
  readonly jobId: string;
  /** The trial indices it runs (the trials not done when it was submitted), ascending. */
  readonly indices: readonly number[];
  /** The batch script, `DIR/slurm/sweep.sbatch`. */
  readonly script: string;
}

/** The subfolder of a sweep directory with the batch script and the array tasks' output. */
const slurmFolder = (sweepDir: string): string => join(sweepDir, "slurm");

/** Ascending indices as a Slurm `--array` list: `[0, 1, 2, 5, 7, 8]` → `0-2,5,7-8`. */
export function arrayRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === (indices[j] as number) + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** `word` quoted for bash (single quotes, a single quote inside as `'\''`). */
const quote = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The batch script of a sweep's job array: each task runs trial `$SLURM_ARRAY_TASK_ID` with as
 * many kernel threads as CPUs it was granted (`BRAINTS_THREADS=$SLURM_CPUS_PER_TASK`, 1 by default),
 * as owner `slurm:<array job>_<task>`, so a requeued task takes over the lock its killed
 * predecessor left. It asks for `--requeue`; {@link submitSlurmSweep} gives the rest on the command line.
 */
export function slurmScript(sweepDir: string, command: readonly string[]): string {
  const dir = resolve(sweepDir);
  const runTrial = [...command, "sweep", "run-trial", dir].map(quote).join(" ");
  return `#!/bin/bash
# A braints sweep as a Slurm job array: array task i runs trial i of ${dir}.
# Written and submitted by braints sweep --slurm (sbatch --array=<trials not done> --job-name=...
# --output=<sweep dir>/slurm/%A_%a.out [your sbatch options] this file).
#SBATCH --requeue
export BRAINTS_THREADS=\${SLURM_CPUS_PER_TASK:-1}
exec ${runTrial} "$SLURM_ARRAY_TASK_ID" --owner "slurm:\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}"
`;
}

/**
 * Submits the trials of the sweep in `sweepDir` that are not done as one Slurm job array
 * (`sbatch --parsable --array=...`), writing the batch script to `DIR/slurm/sweep.sbatch`.
 * @returns the submission, or undefined when every trial is done (nothing is submitted)
 * @throws SweepClusterError when `sbatchArgs` sets `--array`, or `sbatch` fails (with its message)
 * @example submitSlurmSweep("sweeps/tau", { command: [process.execPath, "bin/braints.js"], sbatchArgs: ["--time=00:30:00"] })?.jobId // "4242"
 */
export function submitSlurmSweep(sweepDir: string, options: SlurmSubmitOptions): SlurmSubmission | undefined {
  const sbatchArgs = options.sbatchArgs ?? [];
  const array = sbatchArgs.find((a) => /^(-a|--array)(=|$)/.test(a));
  if (array !== undefined) {
    throw new SweepClusterError(
      `sweep --slurm: the sbatch options must not set the array, got ${array}; braints submits one array task per trial not yet done`,
    );
  }
  const plan = readSweepPlan(sweepDir);
  const indices = plan.trials.filter((t) => readTrialResult(sweepDir, t) === undefined).map((t) => t.index);
  if (indices.length === 0) return undefined;
  mkdirSync(slurmFolder(sweepDir), { recursive: true });
  const script = join(slurmFolder(sweepDir), "sweep.sbatch");
  writeFileAtomic(script, slurmScript(sweepDir, options.command));
  const sbatch = options.sbatch ?? "sbatch";
  let out: string;
  try {
    // On the command line rather than in #SBATCH lines, so that any path passes as it is; the
    // user's options come after, so they may override the name and the output.
    const args = [
      "--parsable",
      `--array=${arrayRanges(indices)}`,
      `--job-name=braints-${basename(resolve(sweepDir))}`,
      `--output=${join(resolve(slurmFolder(sweepDir)), "%A_%a.out")}`,
      ...sbatchArgs,
      script,
    ];
    out = execFileSync(sbatch, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new SweepClusterError(
      `sweep --slurm: ${sbatch} failed: ${(err.stderr ?? "").trim() || err.message}; is this a Slurm submit host (sbatch on the PATH, SLURM_CONF set if needed)?`,
    );
  }
  // --parsable prints "jobid" or "jobid;cluster".
  const jobId = out.trim().split(";")[0] ?? "";
  return { jobId, indices, script };
}
