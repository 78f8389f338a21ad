/** Where a sweep is, read from its directory alone (so it works from any machine that sees it). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Run } from "../runs/run.ts";
import type { SweepPlan, SweepTrial } from "./plan.ts";
import { fitIterations, fitIterationsDone } from "./fitTrial.ts";
import { type TrialResult, readTrialResult } from "./results.ts";
import { readSweepPlan, trialPaths } from "./sweepDir.ts";
import { DEFAULT_STALE_AFTER_MS } from "./trial.ts";
import { type TrialLock, inspectTrialLock } from "./trialLock.ts";

/**
 * A trial's state: `done` (its result is written), `running` (a live process holds its lock),
 * `failed` (its last attempt threw, see `error`), or `pending` (not started, or `interrupted`).
 */
export type TrialState = "pending" | "running" | "done" | "failed";

/** One trial's line of a {@link SweepStatus}. */
export interface TrialStatus {
  readonly trial: SweepTrial;
  readonly state: TrialState;
  /** What `epochs` counts: training epochs, or a fit's iterations (steps, generations, samples). */
  readonly unit: "epoch" | "iteration";
  /** Epochs with a metrics line so far; a fit's iterations so far (its `progress.json`). */
  readonly epochsDone: number;
  /** Epochs the config asks for (1 for a forecast); a fit's iterations. */
  readonly epochs: number;
  /**
   * Started but neither done nor running: a training trial with a checkpoint resumes from it; a fit
   * trial starts again from scratch (a fit keeps no checkpoint).
   */
  readonly interrupted: boolean;
  readonly result?: TrialResult;
  /** The process holding the lock, for a running trial. */
  readonly holder?: TrialLock;
  /** The error of the last attempt, for a failed trial. */
  readonly error?: string;
}

/** A sweep's progress: counts by state and one line per trial, in plan order. */
export interface SweepStatus {
  readonly plan: SweepPlan;
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly trials: readonly TrialStatus[];
}

const configuredEpochs = (trial: SweepTrial) =>
  trial.config.kind === "fit"
    ? fitIterations(trial.config)
    : trial.config.kind === "forecast"
      ? 1
      : trial.config.training.epochs;

function epochsDone(dir: string, trial: SweepTrial): number {
  if (!existsSync(join(dir, "config.json"))) return 0;
  if (trial.config.kind === "fit") return fitIterationsDone(dir);
  try {
    return Run.open(dir).readMetrics().length;
  } catch {
    return 0; // torn by a kill: the resume rewrites it
  }
}

function trialStatus(dir: string, trial: SweepTrial, staleAfterMs: number): TrialStatus {
  const paths = trialPaths(dir, trial);
  const done = epochsDone(paths.run, trial);
  const base = {
    trial,
    unit: trial.config.kind === "fit" ? ("iteration" as const) : ("epoch" as const),
    epochs: configuredEpochs(trial),
    epochsDone: done,
    interrupted: false,
  };
  const result = readTrialResult(dir, trial);
  if (result) return { ...base, state: "done", result };
  const lock = inspectTrialLock(paths.lock, staleAfterMs);
  if (lock && !lock.stale) return { ...base, state: "running", holder: lock.holder };
  if (existsSync(paths.failed)) {
    const { error } = JSON.parse(readFileSync(paths.failed, "utf8")) as { error: string };
    return { ...base, state: "failed", error };
  }
  const started = trial.config.kind === "fit" ? existsSync(paths.run) : done > 0;
  return { ...base, state: "pending", interrupted: started };
}

/**
 * Reads the state of every trial of the sweep in `dir` from its files: result files, locks (with
 * their heartbeats; see `inspectTrialLock`), failure records and metrics.
 * @param staleAfterMs a lock idle this long counts as its holder gone (default 10 minutes)
 * @throws SweepDirectoryError when `dir` is not a sweep directory
 */
export function readSweepStatus(dir: string, staleAfterMs = DEFAULT_STALE_AFTER_MS): SweepStatus {
  const plan = readSweepPlan(dir);
  const trials = plan.trials.map((t) => trialStatus(dir, t, staleAfterMs));
  const counts = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const t of trials) counts[t.state]++;
  return { plan, counts, trials };
}
