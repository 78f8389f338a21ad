/**
 * BrainPy's random spike-train classification set: Poisson-like inputs at a fixed rate with random
 * binary labels (a memorisation benchmark for spiking networks).
 */
import { type DataStream, Rng } from "../../base/random.ts";
import { ValueError } from "../../base/errors.ts";
import { requireInteger, requireNonNegative, requirePositive } from "../validate.ts";
import { sparseBernoulliFill } from "./spikeEncoders.ts";

/** Options of {@link randomSpikeTrains}. */
export interface SpikeTrainOptions {
  /** Default 256. */
  readonly nSamples?: number;
  /** Steps per sample. Default 2000. */
  readonly numStep?: number;
  /** Input channels. Default 100. */
  readonly nInputs?: number;
  /** Firing rate (Hz). Default 5. */
  readonly rateHz?: number;
  /** Step (ms). Default 0.1. */
  readonly dtMs?: number;
  /** Seed of the set. Default 0. */
  readonly seed?: number;
  /** `"data"` (default) for a training set, `"eval"` for a held-out one: disjoint for any seeds. */
  readonly stream?: DataStream;
}

/** The spike-train set (stored compactly as bytes). */
export interface SpikeTrainSet {
  /** `[nSamples, numStep, nInputs]` 0/1 bytes (batch-first, as in the tutorial). */
  readonly spikes: Uint8Array;
  /** `[nSamples]` labels 0/1, each 1 with probability 0.5. */
  readonly labels: Int32Array;
  readonly nSamples: number;
  readonly numStep: number;
  readonly nInputs: number;
}

/**
 * Generates the set: each input spikes per step with probability `rate·dt/1000` (5e-4 at the
 * defaults) and each sample gets a random label. Spikes and labels come from the seed's `stream`:
 * `Rng.fromSeed(seed).fold(stream, "spikes")` and `.fold(stream, "labels")`.
 */
export function randomSpikeTrains(opts: SpikeTrainOptions = {}): SpikeTrainSet {
  const { nSamples = 256, numStep = 2000, nInputs = 100, rateHz = 5, dtMs = 0.1 } = opts;
  const { seed = 0, stream = "data" } = opts;
  const where = "randomSpikeTrains";
  requireInteger(where, "nSamples", nSamples, 1);
  requireInteger(where, "numStep", numStep, 1);
  requireInteger(where, "nInputs", nInputs, 1);
  requireNonNegative(where, "rateHz", rateHz);
  requirePositive(where, "dtMs", dtMs);
  if (stream !== "data" && stream !== "eval") {
    throw new ValueError(`${where}: stream must be "data" or "eval", got ${JSON.stringify(stream)}`);
  }
  const root = Rng.fromSeed(seed);
  const spikeRng = root.fold(stream, "spikes");
  const labelRng = root.fold(stream, "labels");
  const spikes = new Uint8Array(nSamples * numStep * nInputs);
  sparseBernoulliFill(spikes, Math.min(1, (rateHz * dtMs) / 1000), spikeRng);
  const labels = Int32Array.from({ length: nSamples }, () => (labelRng.uniform() < 0.5 ? 1 : 0));
  return { spikes, labels, nSamples, numStep, nInputs };
}

/**
 * Gathers samples into a float batch `[numStep, B, nInputs]` (time-major) with labels `[B]`.
 */
export function spikeTrainBatch(
  set: SpikeTrainSet,
  indices: readonly number[],
): { inputs: Float32Array; labels: Int32Array } {
  const { numStep: T, nInputs: n, nSamples } = set;
  const B = indices.length;
  const inputs = new Float32Array(T * B * n);
  const labels = new Int32Array(B);
  indices.forEach((s, b) => {
    if (!Number.isInteger(s) || s < 0 || s >= nSamples) {
      throw new ValueError(`spikeTrainBatch: sample indices must be integers in [0, ${nSamples}), got ${s}`);
    }
    labels[b] = set.labels[s] as number;
    for (let t = 0; t < T; t++) {
      const src = (s * T + t) * n;
      const dst = (t * B + b) * n;
      for (let i = 0; i < n; i++) inputs[dst + i] = set.spikes[src + i] as number;
    }
  });
  return { inputs, labels };
}
