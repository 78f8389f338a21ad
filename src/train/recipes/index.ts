/**
 * Recipes: from a run config (task, model, training, evaluation) to a trainable setup, held-out
 * scoring, evaluation and population-dynamics analysis. Browser-safe; run directories are in `braints/node`.
 */
export {
  runConfigSchema,
  type RunConfig,
  type RunConfigInput,
  SUPERVISED_TASKS,
  MODEL_TYPES,
  OPTIMIZERS,
  DEFAULT_TASK,
} from "./config.ts";
export { ConfigError, parseRunConfig, type ParseConfigOptions } from "./parseConfig.ts";
export { type RecurrentNetwork, recurrentNetwork } from "./model.ts";
export { configuredOptimizer } from "./optimizer.ts";
export { configuredTask, heldOutTrials, runBatch, runTrials } from "./trials.ts";
export { type TrialOutcome, decisionStep, scoreTrials, fractionCorrect } from "./decisions.ts";
export { type SupervisedRecipe, type TrainingBatch, supervisedRecipe } from "./supervised.ts";
export {
  type Evaluation,
  type Psychometric,
  type PsychometricCurveFit,
  evaluateNetwork,
} from "./evaluation.ts";
export {
  type DynamicsAnalysis,
  type DynamicsOptions,
  type FixedPointSummary,
  analyzeDynamics,
} from "./dynamics.ts";
