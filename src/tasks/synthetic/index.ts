/** Synthetic datasets used by the source tutorials, and spike encoders. */
export { integratorBatch, type IntegratorOptions, type IntegratorBatch } from "./integrator.ts";
export { delayedMatchTask, type DelayedMatchOptions, type DelayedMatchSet } from "./delayedMatch.ts";
export {
  randomSpikeTrains,
  spikeTrainBatch,
  type SpikeTrainOptions,
  type SpikeTrainSet,
} from "./spikeTrains.ts";
export { bernoulliEncode, poissonEncode, sparseBernoulliFill } from "./spikeEncoders.ts";
