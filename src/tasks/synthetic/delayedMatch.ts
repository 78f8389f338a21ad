/**
 * brainmass's minimal delayed match-to-sample classification set: a one-hot cue at t = 0, a blank
 * delay, a one-hot probe at the last step; label 1 if the probe repeats the cue.
 */
import { Rng } from "../../base/random.ts";
import { requireInteger } from "../validate.ts";

/** Options of {@link delayedMatchTask}. */
export interface DelayedMatchOptions {
  readonly nSamples?: number;
  /** Steps per sequence (>= 2). Default 10. */
  readonly seqLen?: number;
  /** Alphabet size (>= 2). Default 4. */
  readonly nSymbols?: number;
  readonly seed?: number;
}

/** The delayed-match set. */
export interface DelayedMatchSet {
  /** `[nSamples, seqLen, nSymbols]` (batch-first, as in brainmass). */
  readonly inputs: Float32Array;
  /** `[nSamples]`: 1 = match, 0 = non-match (exactly floor(n/2) matches). */
  readonly targets: Int32Array;
  readonly cues: Int32Array;
  readonly probes: Int32Array;
  readonly nSamples: number;
  readonly seqLen: number;
  readonly nSymbols: number;
}

/**
 * Generates the set (defaults n 128, seqLen 10, 4 symbols, seed 0). Draw order follows brainmass:
 * cues, balanced labels (permuted), offsets, then probes.
 * @example
 * const { inputs, targets } = delayedMatchTask({ nSamples: 320, seqLen: 8, nSymbols: 2 });
 */
export function delayedMatchTask(opts: DelayedMatchOptions = {}): DelayedMatchSet {
  const { nSamples = 128, seqLen = 10, nSymbols = 4, seed = 0 } = opts;
  requireInteger("delayedMatchTask", "nSamples", nSamples, 1);
  requireInteger("delayedMatchTask", "seqLen", seqLen, 2);
  requireInteger("delayedMatchTask", "nSymbols", nSymbols, 2);
  const rng = Rng.fromSeed(seed);
  const cues = Int32Array.from({ length: nSamples }, () => rng.integer(0, nSymbols));
  const order = rng.permutation(nSamples);
  const half = Math.floor(nSamples / 2);
  const targets = new Int32Array(nSamples);
  order.forEach((k, i) => (targets[i] = k < half ? 1 : 0));
  const offsets = Int32Array.from({ length: nSamples }, () => rng.integer(1, nSymbols));
  const probes = cues.map((c, i) => (targets[i] === 1 ? c : (c + (offsets[i] as number)) % nSymbols));
  const inputs = new Float32Array(nSamples * seqLen * nSymbols);
  for (let i = 0; i < nSamples; i++) {
    inputs[i * seqLen * nSymbols + (cues[i] as number)] = 1;
    inputs[(i * seqLen + seqLen - 1) * nSymbols + (probes[i] as number)] = 1;
  }
  return { inputs, targets, cues, probes, nSamples, seqLen, nSymbols };
}
