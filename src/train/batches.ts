/**
 * Minibatches over a fixed set of samples for {@link Trainer.fit}: a fresh permutation of the
 * samples every epoch, cut into full batches (the last partial batch is dropped, as PyTorch's
 * `drop_last`), drawn from the epoch's random stream so a resumed run sees the same batches.
 */
import { ValueError } from "../base/errors.ts";
import type { Rng } from "../base/random.ts";

export interface ShuffledBatches<B> {
  /** A batch source for `Trainer.fit`: the step's batch of the current epoch's permutation. */
  readonly source: (rng: Rng, step: number) => B;
  /** Full batches per epoch: `floor(nSamples / batchSize)`; pass as `stepsPerEpoch`. */
  readonly stepsPerEpoch: number;
}

/**
 * @param nSamples number of samples
 * @param batchSize samples per batch
 * @param gather builds a batch from sample indices
 * @example
 * const { source, stepsPerEpoch } = shuffledBatches(256, 32, (idx) => batchOf(trainSet, idx));
 * trainer.fit(params, source, { epochs: 20, stepsPerEpoch });
 */
export function shuffledBatches<B>(
  nSamples: number,
  batchSize: number,
  gather: (indices: Int32Array) => B,
): ShuffledBatches<B> {
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(nSamples) || nSamples < batchSize) {
    throw new ValueError(
      `shuffledBatches: need integers 1 <= batchSize <= nSamples, got batchSize=${batchSize}, nSamples=${nSamples}`,
    );
  }
  const stepsPerEpoch = Math.floor(nSamples / batchSize);
  let order: Int32Array = new Int32Array(0);
  const source = (rng: Rng, step: number): B => {
    const k = step % stepsPerEpoch;
    if (k === 0 || order.length === 0) order = rng.permutation(nSamples);
    return gather(order.subarray(k * batchSize, (k + 1) * batchSize));
  };
  return { source, stepsPerEpoch };
}
