/**
 * Sweeps (Node): many runs of one base config over axes of its keys and seeds, each trial an
 * ordinary run directory inside the sweep directory, run idempotently by {@link runSweepTrial}.
 */
export type { Axis, AxisSpec, AxisValue } from "./axes.ts";
export { type SweepFile, type SweepKind, SEED_KEYS, parseSweepFile, sweepFileSchema } from "./sweepFile.ts";
export type { FitTrialConfig } from "./fitTrial.ts";
export {
  type SweepConfig,
  type SweepObjective,
  type SweepPlan,
  type SweepTrial,
  describeTrial,
  resolvePlan,
  withKey,
} from "./plan.ts";
export { planSweep } from "./planSweep.ts";
export { SweepDirectoryError } from "./sweepDirectoryError.ts";
export { readSweepPlan, sweepPaths, trialPaths, writeSweepPlan } from "./sweepDir.ts";
export { type TrialLock, type LockInspection, inspectTrialLock } from "./trialLock.ts";
export {
  type TrialResult,
  collectSweepResults,
  objectiveValue,
  readTrialResult,
  resultsCsv,
  writeSweepResults,
} from "./results.ts";
export {
  type RunSweepTrialOptions,
  type TrialOutcome,
  DEFAULT_STALE_AFTER_MS,
  runSweepTrial,
} from "./trial.ts";
export { type SweepStatus, type TrialState, type TrialStatus, readSweepStatus } from "./status.ts";
export {
  type CompareNetworksOptions,
  type NetworkComparison,
  type NetworkFixedPoints,
  compareNetworks,
} from "./compareNetworks.ts";
export { reportSweep } from "./report.ts";
