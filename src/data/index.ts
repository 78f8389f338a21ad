/**
 * Datasets and batching: NeuroGym's stream semantics, trial-aligned padded batches with loss masks,
 * layouts and trial-length statistics.
 */
export { Dataset, defaultCacheLen, type DatasetOptions, type StreamBatch } from "./dataset.ts";
export {
  trialBatch,
  trialBatches,
  packTrials,
  type TrialBatch,
  type TrialBatchOptions,
} from "./trialBatch.ts";
export { toBatchFirst, toTimeMajor, type BatchLayout } from "./layout.ts";
export { trialLengthStats, quantile, type TrialLengthStats } from "./lengthStats.ts";
