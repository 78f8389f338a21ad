/** Optimizers, learning-rate schedules, clipping and penalties. */
export { type Optimizer, type OptimizerState, type UpdateOptions } from "./optimizer.ts";
export { sgd, type SgdOptions } from "./sgd.ts";
export { adam, adamw, type AdamOptions } from "./adam.ts";
export { rmsprop, type RmsPropOptions } from "./rmsprop.ts";
export {
  type Schedule,
  type LearningRate,
  lrAt,
  constant,
  exponentialDecay,
  stepDecay,
  cosineWithWarmup,
} from "./schedule.ts";
export { clipByGlobalNorm, globalNorm, l2Penalty } from "./clip.ts";
