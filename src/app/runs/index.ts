/** Run directories (Node): create, train, resume, evaluate, analyse and report runs of every kind. */
export { Run, type CheckpointFile, type ModelTag } from "./run.ts";
export { RunDirectoryError, type RunDirectoryProblem } from "./runDirectoryError.ts";
export { type EpochLine, epochLine, historyOf } from "./metrics.ts";
export { type MetricLabel, metricLabels } from "./metricLabels.ts";
export { type TrainProgress, type TrainHooks, type TrainedRun, startRun, resumeRun } from "./train.ts";
export {
  type TrainedModel,
  type EvaluateRunOptions,
  type RunEvaluation,
  evaluationTask,
  supervisedConfigOf,
  loadTrainedModel,
  evaluateRun,
  analyzeRun,
  reportRun,
} from "./results.ts";
export { type PopulationAnalysis, analyzePopulation } from "./population.ts";
export { type ChoiceAxisTrajectories, choiceAxisTrajectories } from "./choiceAxis.ts";
export {
  type SpikingEvaluation,
  type TrainedSpikingModel,
  loadSpikingModel,
  evaluateSpikingRun,
} from "./spiking.ts";
export { type ForecastEvaluation, evaluateForecastRun, solveForecast } from "./forecast.ts";
