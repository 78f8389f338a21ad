/** Run directories (Node): create, train, resume, evaluate, analyse and report. */
export { Run, RunDirectoryError, type CheckpointFile } from "./run.ts";
export { type EpochLine, epochLine, historyOf } from "./metrics.ts";
export { type TrainProgress, type TrainHooks, type TrainedRun, startRun, resumeRun } from "./train.ts";
export {
  type TrainedModel,
  type EvaluateRunOptions,
  loadTrainedModel,
  evaluateRun,
  analyzeRun,
  reportRun,
} from "./results.ts";
