/**
 * Running one trial of a sweep, idempotently: the unit every way of running a sweep (local worker
 * processes, a Slurm job array, a queue) calls.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { hostname } from "node:os";
import { writeFileAtomic } from "../../io/atomic.ts";
import { parseRunConfig } from "../recipes/parseConfig.ts";
import { withRecipe } from "../runs/bpttRecipe.ts";
import { type EpochLine, parseLines } from "../runs/metrics.ts";
import { Run } from "../runs/run.ts";
import { type TrainHooks, type TrainedRun, resumeRun, startRun } from "../runs/train.ts";
import type { SweepPlan, SweepTrial } from "./plan.ts";
import { readSweepPlan, trialPaths } from "./sweepDir.ts";
import { SweepDirectoryError } from "./sweepDirectoryError.ts";
import {
  type TrialResult,
  fitTrialResult,
  objectiveValue,
  readTrialResult,
  trialResult,
  writeSweepResults,
} from "./results.ts";
import { rungCutoff, rungEpochs, stopsAtRung } from "./successiveHalving.ts";
import { runFitTrial } from "./fitTrial.ts";
import { type TrialLock, acquireTrialLock, processOwner } from "./trialLock.ts";

/** Options of {@link runSweepTrial}. */
export interface RunSweepTrialOptions {
  /**
   * Who runs the trial, recorded in its lock (default `host:pid`). A lock held by the same owner
   * is taken over: give a requeued or redelivered job the owner of its first attempt (Slurm:
   * `slurm:<array job id>_<array task id>`; a queue: the job id), since that attempt is dead.
   */
  readonly owner?: string;
  /** A lock whose heartbeat is older than this is taken over (default 10 minutes). */
  readonly staleAfterMs?: number;
  /** Progress of training (each step also refreshes the lock's heartbeat). */
  readonly hooks?: TrainHooks;
  /** Called at every update of any kind: each training step, each iteration of a fit. */
  readonly onProgress?: () => void;
}

/**
 * What {@link runSweepTrial} did: `done` (it was already done: nothing ran), `finished` (it trained
 * now, from the start or `resumedFromEpoch`; a fit trial whose earlier attempt was interrupted
 * `restarted` from scratch), or `busy` (another live process holds its lock).
 */
export type TrialOutcome =
  | { readonly status: "done"; readonly result: TrialResult }
  | {
      readonly status: "finished";
      readonly result: TrialResult;
      readonly resumedFromEpoch?: number;
      readonly restarted?: true;
    }
  | { readonly status: "busy"; readonly holder: TrialLock };

/** Ten minutes without a heartbeat: a trial's process is presumed dead. */
export const DEFAULT_STALE_AFTER_MS = 600_000;

/** Thrown from the epoch hook when successive halving stops the trial. */
class StoppedEarly extends Error {
  constructor(readonly stop: NonNullable<TrialResult["stoppedEarly"]>) {
    super(stop.reason);
  }
}

/** The objective every trial of the plan recorded at `epoch` (those that reached it). */
function rungValues(sweepDir: string, plan: SweepPlan, epoch: number): number[] {
  return plan.trials.flatMap((t) => {
    const file = join(trialPaths(sweepDir, t).run, "metrics.jsonl");
    if (!existsSync(file)) return [];
    const line = parseLines(readFileSync(file, "utf8"), file).find((l) => l.epoch === epoch);
    const value = objectiveValue(line, plan.objective);
    return value === null ? [] : [value];
  });
}

/**
 * The epoch hook of successive halving: at a rung, throws {@link StoppedEarly} when the trial's
 * objective is worse than the rung's cutoff over every trial that has reached it.
 */
function rungCheck(
  sweepDir: string,
  plan: SweepPlan,
  trial: SweepTrial,
): ((line: EpochLine) => void) | undefined {
  const { earlyStopping: asha, objective } = plan;
  if (!asha || trial.config.kind === "forecast" || trial.config.kind === "fit") return undefined;
  const rungs = new Set(rungEpochs(asha.minEpochs, asha.reduction, trial.config.training.epochs));
  return (line) => {
    if (!rungs.has(line.epoch)) return;
    const value = objectiveValue(line, objective);
    const recorded = rungValues(sweepDir, plan, line.epoch);
    const cutoff = recorded.length > 0 ? rungCutoff(recorded, asha.reduction, objective.goal) : NaN;
    if (!stopsAtRung(value, cutoff, objective.goal)) return;
    const side = objective.goal === "max" ? "below" : "above";
    throw new StoppedEarly({
      epoch: line.epoch,
      reason: `${objective.metric} ${value ?? "not finite"} ${side} the cutoff ${cutoff} of ${recorded.length} trials at epoch ${line.epoch} (the best 1/${asha.reduction} go on)`,
    });
  };
}

/** A trial stopped early: its last checkpoint's parameters saved as its model, so it can be evaluated and reported. */
function saveStoppedModel(run: Run): void {
  const last = run.checkpoints().at(-1);
  if (!last) return;
  withRecipe(run.config, {
    bptt: (recipe) => void run.saveModel(run.load(last.path, recipe.initialParams()).params, recipe.model),
    forecast: () => undefined,
  });
}

/**
 * Trains a trial of a run config into its run directory: resumes an interrupted one from its newest
 * valid checkpoint, starts a fresh one; under successive halving, a trial stopped at a rung keeps
 * its last checkpoint as its model.
 */
function trainTrial(
  sweepDir: string,
  plan: SweepPlan,
  trial: SweepTrial,
  heartbeat: () => void,
  given: TrainHooks | undefined,
): { result: TrialResult; resumedFromEpoch?: number } {
  const paths = trialPaths(sweepDir, trial);
  const atRung = rungCheck(sweepDir, plan, trial);
  const hooks: TrainHooks = {
    ...given,
    onStep: (progress) => {
      heartbeat();
      given?.onStep?.(progress);
    },
    onEpoch: (progress, line) => {
      given?.onEpoch?.(progress, line);
      atRung?.(line);
    },
  };
  let trained: Pick<TrainedRun, "run" | "resumedFrom">;
  let stoppedEarly: TrialResult["stoppedEarly"];
  try {
    if (existsSync(join(paths.run, "config.json"))) {
      trained = resumeRun(paths.run, hooks);
    } else {
      // A directory without config.json holds nothing of a run (Run.create writes the config first).
      rmSync(paths.run, { recursive: true, force: true });
      const config = parseRunConfig(trial.config, { source: `${sweepDir} trial ${trial.index}` });
      trained = startRun(paths.run, config, hooks);
    }
  } catch (e) {
    if (!(e instanceof StoppedEarly)) throw e;
    const run = Run.open(paths.run);
    saveStoppedModel(run);
    trained = { run };
    stoppedEarly = e.stop;
  }
  return {
    result: trialResult(plan, trial, trained.run, stoppedEarly),
    ...(trained.resumedFrom ? { resumedFromEpoch: trained.resumedFrom.epoch } : {}),
  };
}

/**
 * Runs trial `index` of the sweep in `sweepDir`, idempotently:
 *
 * - a trial with `trials/<id>/result.json` is done: nothing runs (`status: "done"`);
 * - a trial whose run directory exists (interrupted: killed, preempted, requeued) resumes from its
 *   newest valid checkpoint with `resumeRun`; a fresh trial starts with `startRun`; either way its
 *   directory `trials/<id>/` is an ordinary run directory (`braints eval/analyze/report` work on it);
 * - while it trains, the process holds `trials/<id>.lock` (created exclusively); a lock held by a
 *   live other process makes this call return `status: "busy"` without training; a stale one (its
 *   owner is `options.owner`, its pid is gone on this host, or no heartbeat for `staleAfterMs`) is
 *   taken over;
 * - when training ends, `result.json` is written atomically (the one mark of completion), then
 *   `results.jsonl`/`results.csv` are rebuilt from all result files: a trial run twice, concurrently
 *   or after a requeue, still counts once.
 *
 * With `earlyStopping` in the plan, at each rung epoch the trial's objective is compared with what
 * every trial recorded there so far (see `successiveHalving.ts`); a trial stopped there is done, its
 * result saying where and why, its last checkpoint saved as its model.
 *
 * A fit trial (a sweep whose base is a fit config) runs as an ordinary fit run directory in
 * `trials/<id>/`, its completion mark `trial-result.json`; a fit keeps no checkpoint, so one left
 * interrupted is removed and run again from scratch (`restarted` in the outcome).
 *
 * On failure (a diverged loss, a bad checkpoint) `trials/<id>.failed.json` records the error and
 * the error is thrown; calling again retries. Kernel threads follow `BRAINTS_THREADS` (set it to 1
 * when running several trials per machine).
 * @param index the trial's index in the plan, in `[0, trials)`
 * @throws SweepDirectoryError when `sweepDir` is not a sweep or `index` is out of range; the training error
 * @example runSweepTrial("sweeps/tau", 3, { owner: `slurm:${jobId}_3` }).status // "finished"
 */
export function runSweepTrial(
  sweepDir: string,
  index: number,
  options: RunSweepTrialOptions = {},
): TrialOutcome {
  const plan = readSweepPlan(sweepDir);
  const trial = plan.trials[index];
  if (!Number.isInteger(index) || trial === undefined) {
    throw new SweepDirectoryError(
      `runSweepTrial: index must be an integer in [0, ${plan.trials.length - 1}] (the trials of ${sweepDir}), got ${index}`,
    );
  }
  const paths = trialPaths(sweepDir, trial);
  const before = readTrialResult(sweepDir, trial);
  if (before) return { status: "done", result: before };
  const lock = acquireTrialLock(
    paths.lock,
    options.owner ?? processOwner(),
    options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
  );
  if ("holder" in lock) return { status: "busy", holder: lock.holder };
  let outcome: TrialOutcome;
  try {
    // Another process may have finished it between the first look and the lock.
    const finished = readTrialResult(sweepDir, trial);
    if (finished) return { status: "done", result: finished };
    const heartbeat = () => {
      lock.held.heartbeat();
      options.onProgress?.();
    };
    let ran: Omit<Extract<TrialOutcome, { status: "finished" }>, "status">;
    if (trial.config.kind === "fit") {
      const fit = runFitTrial(trial.config, paths.run, heartbeat);
      ran = { result: fitTrialResult(plan, trial, fit), ...(fit.restarted ? { restarted: true } : {}) };
    } else {
      ran = trainTrial(sweepDir, plan, trial, heartbeat, options.hooks);
    }
    writeFileAtomic(paths.result, `${JSON.stringify(ran.result, null, 1)}\n`);
    rmSync(paths.failed, { force: true });
    outcome = { status: "finished", ...ran };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    writeFileAtomic(
      paths.failed,
      `${JSON.stringify({ error, host: hostname(), pid: process.pid, at: new Date().toISOString() }, null, 1)}\n`,
    );
    throw e;
  } finally {
    lock.held.release();
  }
  writeSweepResults(sweepDir);
  return outcome;
}
