/**
 * A trial's result (written once, atomically, when it is done) and the sweep's results table,
 * rebuilt from the result files rather than appended to: each done trial is one row, whatever
 * ran twice or was interrupted on the way.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../../io/atomic.ts";
import { CorruptFileError } from "../../io/safetensors.ts";
import type { Run } from "../runs/run.ts";
import type { AxisValue } from "./axes.ts";
import type { FitTrialRun } from "./fitTrial.ts";
import type { SweepObjective, SweepPlan, SweepTrial } from "./plan.ts";
import { readSweepPlan, sweepPaths, trialPaths } from "./sweepDir.ts";

/**
 * What a trial's result file holds (`trials/<id>/result.json`; a fit trial's `trial-result.json`,
 * beside the fit's own `result.json`): the trial, its last epoch's metrics and its objective.
 */
export interface TrialResult {
  readonly index: number;
  readonly id: string;
  readonly overrides: Readonly<Record<string, AxisValue>>;
  readonly seed?: number;
  /** Epochs trained (fewer than configured when stopped early); a fit's iterations. */
  readonly epochs: number;
  /** The last epoch's mean training loss; a fit's loss at its last iteration. */
  readonly trainLoss: number;
  /** The last epoch's metrics (held-out accuracy, test errors, ...); a fit's best `loss` and `evaluations`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The objective's value at the last epoch (null when not finite, e.g. a diverged loss). */
  readonly objective: number | null;
  /** Training time summed over epochs, in seconds. */
  readonly seconds: number;
  /** When successive halving stopped the trial: the epoch and why. */
  readonly stoppedEarly?: { readonly epoch: number; readonly reason: string };
  /** A fit trial's recovered parameters: the best values of the fitted parameters. */
  readonly fitted?: Readonly<Record<string, number>>;
}

/** A metric of an epoch line by the objective's name (`trainLoss` or a metrics key). */
export function objectiveValue(
  line: { readonly trainLoss: number; readonly metrics: Readonly<Record<string, number>> } | undefined,
  objective: SweepObjective,
): number | null {
  const value = objective.metric === "trainLoss" ? line?.trainLoss : line?.metrics[objective.metric];
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/** Which trial a result is of: its index, id, overrides and seed. */
const which = (trial: SweepTrial): Pick<TrialResult, "index" | "id" | "overrides" | "seed"> => ({
  index: trial.index,
  id: trial.id,
  overrides: trial.overrides,
  ...(trial.seed === undefined ? {} : { seed: trial.seed }),
});

/** The result of `trial` from its run directory's metrics. */
export function trialResult(
  plan: SweepPlan,
  trial: SweepTrial,
  run: Run,
  stoppedEarly?: TrialResult["stoppedEarly"],
): TrialResult {
  const lines = run.readMetrics();
  const last = lines.at(-1);
  return {
    ...which(trial),
    epochs: lines.length,
    trainLoss: last?.trainLoss ?? NaN,
    metrics: last?.metrics ?? {},
    objective: objectiveValue(last, plan.objective),
    seconds: lines.reduce((s, l) => s + l.seconds, 0),
    ...(stoppedEarly ? { stoppedEarly } : {}),
  };
}

/** The result of the fit trial `trial` from what its fit produced. */
export function fitTrialResult(plan: SweepPlan, trial: SweepTrial, fit: FitTrialRun): TrialResult {
  const line = { trainLoss: fit.finalLoss, metrics: { loss: fit.loss, evaluations: fit.evaluations } };
  return {
    ...which(trial),
    epochs: fit.iterations,
    ...line,
    objective: objectiveValue(line, plan.objective),
    seconds: fit.seconds,
    fitted: fit.fitted,
  };
}

/** Reads a trial's result file, or undefined when the trial is not done. */
export function readTrialResult(
  dir: string,
  trial: Pick<SweepTrial, "id" | "config">,
): TrialResult | undefined {
  const file = trialPaths(dir, trial).result;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as TrialResult;
  } catch (e) {
    throw new CorruptFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** The results of every done trial, in plan order. */
export function collectSweepResults(dir: string, plan: SweepPlan = readSweepPlan(dir)): TrialResult[] {
  return plan.trials.flatMap((t) => readTrialResult(dir, t) ?? []);
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The results as CSV: index, id, one column per axis, seed, epochs, where successive halving
 * stopped, objective, training loss, metrics, time; for fits: iterations for epochs, no stopping
 * column, the final loss, and the recovered parameters (`fitted.<name>`) before the time.
 */
export function resultsCsv(plan: SweepPlan, results: readonly TrialResult[]): string {
  const metricKeys = [...new Set(results.flatMap((r) => Object.keys(r.metrics)))];
  const fittedKeys = [...new Set(results.flatMap((r) => Object.keys(r.fitted ?? {})))];
  const axes = plan.axes.map((a) => a.path);
  const fit = plan.kind === "fit";
  const header = [
    "index",
    "id",
    ...axes,
    "seed",
    fit ? "iterations" : "epochs",
    ...(fit ? [] : ["stoppedEarly"]),
    `objective:${plan.objective.metric}`,
    fit ? "finalLoss" : "trainLoss",
    ...metricKeys,
    ...fittedKeys.map((k) => `fitted.${k}`),
    "seconds",
  ];
  const rows = results.map((r) => [
    r.index,
    r.id,
    ...axes.map((a) => r.overrides[a]),
    r.seed,
    r.epochs,
    ...(fit ? [] : [r.stoppedEarly ? r.stoppedEarly.epoch : ""]),
    r.objective,
    r.trainLoss,
    ...metricKeys.map((k) => r.metrics[k]),
    ...fittedKeys.map((k) => r.fitted?.[k]),
    r.seconds,
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}

/**
 * Rebuilds `results.jsonl` and `results.csv` from the trials' result files (atomically: a reader
 * sees the old table or the new one). Two processes rebuilding at once may leave the older of two
 * snapshots; the next rebuild (every finished trial, `braints sweep status`) brings it up to date.
 * @returns the results, in plan order
 */
export function writeSweepResults(dir: string): TrialResult[] {
  const plan = readSweepPlan(dir);
  const results = collectSweepResults(dir, plan);
  const paths = sweepPaths(dir);
  writeFileAtomic(paths.results, results.map((r) => `${JSON.stringify(r)}\n`).join(""));
  writeFileAtomic(paths.csv, resultsCsv(plan, results));
  return results;
}
