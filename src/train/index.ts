/** Losses, metrics and trainers. */
export { softmaxCrossEntropy, mse, type Mask } from "./losses.ts";
export { accuracy, argmaxRows } from "./metrics.ts";
export {
  Trainer,
  type TrainerOptions,
  type TrainerState,
  type FitOptions,
  type BatchSource,
  type LossFn,
  type StepRecord,
  type EpochRecord,
  type History,
  type Callbacks,
  type CallbackResult,
} from "./trainer.ts";
export { RidgeTrainer, type RidgeOptions, type RidgeBias, type LinearReadout } from "./ridge.ts";
export { ForceTrainer, type ForceOptions } from "./force.ts";
export {
  evaluateTrials,
  type TrialEvaluation,
  type TrialEvaluationOptions,
  type TrialRecord,
} from "./trials.ts";
export { shuffledBatches, type ShuffledBatches } from "./batches.ts";
export { type TrialOutcome, decisionStep, scoreTrials, fractionCorrect } from "./decisions.ts";
export {
  type SpikeTrainTensors,
  type SampleActivity,
  spikeTrainTensors,
  spikeLogits,
  spikeTrainAccuracy,
  sampleActivity,
} from "./spikeTrains.ts";
export {
  type ForecastSpan,
  type HorizonFit,
  fitHorizon,
  scoreHorizon,
  meanSquaredError,
  normalizedRmse,
} from "./horizonFit.ts";
export { flowMatrix, nvarFeatures } from "./seriesFeatures.ts";
