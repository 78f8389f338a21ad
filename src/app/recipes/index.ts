/**
 * Recipes: from a run config to a trainable setup. Supervised training on a cognitive task (with
 * held-out scoring, evaluation and population-dynamics analysis), spike-train classification and
 * chaotic-series forecasting. Browser-safe; run directories are in `braints/node`.
 */
export { RUN_KINDS, type RunKind, type RunConfig, finalEvaluationSeed } from "./runConfig.ts";
export {
  supervisedConfigSchema,
  type SupervisedConfig,
  type SupervisedConfigInput,
  SUPERVISED_TASKS,
  MODEL_TYPES,
  OPTIMIZERS,
  DEFAULT_TASK,
} from "./config.ts";
export { ConfigError, parseRunConfig, type ParseConfigOptions } from "./parseConfig.ts";
export { type RecurrentNetwork, recurrentNetwork } from "./model.ts";
export { configuredOptimizer } from "./optimizer.ts";
export {
  type HeldOutSet,
  configuredTask,
  heldOutSets,
  heldOutTrials,
  runBatch,
  runTrials,
  trainingTask,
} from "./trials.ts";
export { type TaskPerformance, meanAccuracy, taskPerformance } from "./taskPerformance.ts";
export { YANG19_REFERENCE, MULTITASK_COLLECTIONS, isMultitask, taskList } from "./multitask.ts";
export { type ExampleTrial, exampleTrials } from "./examples.ts";
export { stateDigest, encodeCheckedCheckpoint, decodeCheckedCheckpoint } from "./checkedCheckpoint.ts";
export {
  type SupervisedRecipe,
  type TrainingBatch,
  supervisedRecipe,
  taskAccuracyKey,
} from "./supervised.ts";
export {
  type Evaluation,
  type Psychometric,
  type PsychometricCurveFit,
  evaluateNetwork,
} from "./evaluation.ts";
export {
  type DynamicsAnalysis,
  type DynamicsOptions,
  type FixedPointInput,
  type FixedPointSummary,
  analyzeDynamics,
} from "./dynamics.ts";
export { spikingConfigSchema, type SpikingConfig } from "./spikingConfig.ts";
export { type SpikingRecipe, configuredSpikeTrains, spikingRecipe } from "./spiking.ts";
export {
  FORECAST_MODELS,
  FORECAST_SERIES,
  forecastConfigSchema,
  type ForecastConfig,
  type ForecastModelConfig,
} from "./forecastConfig.ts";
export { type ForecastRecipe, forecastModelInfo, forecastRecipe, readoutTree } from "./forecast.ts";
