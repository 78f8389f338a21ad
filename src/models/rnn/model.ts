/** The leaky RNN with a linear readout, Dale-aware: the network S2 and S3 train. */
import { type InitSpec } from "../init/spec.ts";
import {
  type SequenceModel,
  type SequenceModelConfig,
  type SequenceParams,
  sequenceModel,
} from "../model.ts";
import { type LinearReadoutConfig, linearReadout } from "../readout/linear.ts";
import { positiveInt } from "../validate.ts";
import { type LeakyRNNConfig, type LeakyRNNOptions, type LeakyRNNParams, leakyRNN } from "./leaky.ts";

/** Options of {@link leakyRNNModel}: the cell's options plus the readout's. */
export interface LeakyRNNModelOptions extends LeakyRNNOptions {
  readonly nOut: number;
  /** Readout weight initialiser (default `"pytorch"`). */
  readonly readoutInit?: InitSpec;
  /** 0/1 per hidden unit: which units reach the readout (default all; under Dale's law, E only). */
  readonly outputMask?: readonly number[];
}

/**
 * `h_t = leakyRNN(h_{t−1}, x_t)`, `y_t = h_t W_out + b_out`. Under Dale's law the readout sees only
 * excitatory units, through non-negative weights `|W_out|` (PsychRNN's convention).
 * Uses the fused recurrence kernel.
 * @example
 * const model = leakyRNNModel({ nIn: 3, nHidden: 128, nOut: 3, tauMs: 100, dtMs: 20 }); // S3
 */
export function leakyRNNModel(
  options: LeakyRNNModelOptions,
): SequenceModel<SequenceParams<LeakyRNNParams>, SequenceModelConfig<LeakyRNNConfig, LinearReadoutConfig>> {
  const { nOut, readoutInit, outputMask, ...cellOptions } = options;
  const cell = leakyRNN(cellOptions);
  positiveInt("leakyRNNModel", "nOut", nOut);
  const excitatory = cell.signs?.map((s) => (s > 0 ? 1 : 0));
  const mask =
    outputMask && excitatory
      ? outputMask.map((m, i) => m * (excitatory[i] as number))
      : (outputMask ?? excitatory);
  const readout = linearReadout({
    nIn: cell.nOut,
    nOut,
    positive: cell.signs !== undefined,
    ...(readoutInit ? { init: readoutInit } : {}),
    ...(mask ? { inputMask: mask } : {}),
  });
  return sequenceModel(cell, readout);
}
