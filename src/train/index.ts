/** Losses, metrics and trainers. */
export { softmaxCrossEntropy, mse, type Mask } from "./losses.ts";
export { accuracy, argmaxRows } from "./metrics.ts";
