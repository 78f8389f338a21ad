/**
 * Spike-train sets as network inputs, and what a spiking classifier does with them: its choices
 * (the argmax of the readout's maximum over time) and the hidden activity of one sample.
 */
import { reshape, sliceAxis } from "../core/ops/layout.ts";
import { type Tensor, fromData } from "../core/tensor.ts";
import type { Tree } from "../core/tree.ts";
import { type SequenceModel, readOverTime } from "../models/model.ts";
import { type SpikeTrainSet, spikeTrainBatch } from "../tasks/synthetic/spikeTrains.ts";
import { accuracy } from "./metrics.ts";

/** Samples of a spike-train set as one time-major batch. */
export interface SpikeTrainTensors {
  /** `[numStep, B, nInputs]` 0/1 spikes. */
  readonly xs: Tensor;
  /** `[B]` class labels. */
  readonly labels: Int32Array;
}

/** Held-out samples are run through the network in chunks of this many, to bound memory. */
const CHUNK = 64;

/**
 * Samples `[start, end)` of `set` (default: all of them) as a time-major float batch.
 * @example const { xs, labels } = spikeTrainTensors(randomSpikeTrains({ nSamples: 64 }));
 */
export function spikeTrainTensors(set: SpikeTrainSet, start = 0, end = set.nSamples): SpikeTrainTensors {
  const { inputs, labels } = spikeTrainBatch(
    set,
    Array.from({ length: end - start }, (_, i) => start + i),
  );
  return { xs: fromData(inputs, [set.numStep, end - start, set.nInputs]), labels };
}

/** The logits `[B, nOut]` a model reads from spike trains `xs` `[T, B, nIn]`, reduced over time its way. */
export function spikeLogits<P extends Tree>(model: SequenceModel<P>, params: P, xs: Tensor): Tensor {
  return readOverTime(model.apply(params, xs), model.timeReadout);
}

/** The fraction of samples of `set` the model classifies correctly (run in chunks of 64). */
export function spikeTrainAccuracy<P extends Tree>(
  model: SequenceModel<P>,
  params: P,
  set: SpikeTrainSet,
): number {
  let correct = 0;
  for (let start = 0; start < set.nSamples; start += CHUNK) {
    const { xs, labels } = spikeTrainTensors(set, start, Math.min(set.nSamples, start + CHUNK));
    correct += accuracy(spikeLogits(model, params, xs), labels) * labels.length;
  }
  return correct / set.nSamples;
}

/** One sample's hidden activity over time. */
export interface SampleActivity {
  /** `[T, nHidden]` 0/1 spikes of the hidden LIF neurons. */
  readonly spikes: Tensor;
  /** `[T, nHidden]` their membrane potentials. */
  readonly v: Tensor;
}

/**
 * Runs sample `b` of `xs` `[T, B, nIn]` alone and records its hidden spikes and membrane potentials
 * (the spiking classifier's `"lif.v"`).
 * @example const { spikes, v } = sampleActivity(net, params, xs, 0); raster(spikes, 0.1)
 */
export function sampleActivity<P extends Tree>(
  model: SequenceModel<P>,
  params: P,
  xs: Tensor,
  b: number,
): SampleActivity {
  const run = model.apply(params, sliceAxis(xs, 1, b, b + 1), { record: ["lif.v"] });
  const [T, , H] = run.hidden.shape as [number, number, number];
  return {
    spikes: reshape(run.hidden, [T, H]),
    v: reshape(run.traces?.["lif.v"] as Tensor, [T, H]),
  };
}
