/**
 * Minibatches over a fixed set of samples for {@link Trainer.fit}: a fresh permutation of the
 * samples every epoch, cut into full batches (the last partial batch is dropped, as PyTorch's
 * `drop_last`). The permutation of epoch `e` is drawn from its own stream,
 * `Rng.fromSeed(seed).fold("shuffle", e)`, so any step's batch, a resumed run's included, is a
 * function of the seed and the step alone.
 */
import { ValueError } from "../base/errors.ts";
import { Rng } from "../base/random.ts";

export interface ShuffledBatches<B> {
  /** A batch source for `Trainer.fit`: the step's batch of its epoch's permutation. */
  readonly source: (rng: Rng, step: number) => B;
  /** Full batches per epoch: `floor(nSamples / batchSize)`; pass as `stepsPerEpoch`. */
  readonly stepsPerEpoch: number;
}

/**
 * @param nSamples number of samples
 * @param batchSize samples per batch
 * @param gather builds a batch from sample indices
 * @param options `seed` of the permutations (default 0)
 * @example
 * const { source, stepsPerEpoch } = shuffledBatches(256, 32, (idx) => batchOf(trainSet, idx), { seed: 1 });
 * trainer.fit(params, source, { epochs: 20, stepsPerEpoch });
 */
export function shuffledBatches<B>(
  nSamples: number,
  batchSize: number,
  gather: (indices: Int32Array) => B,
  options: { readonly seed?: number } = {},
): ShuffledBatches<B> {
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(nSamples) || nSamples < batchSize) {
    throw new ValueError(
      `shuffledBatches: need integers 1 <= batchSize <= nSamples, got batchSize=${batchSize}, nSamples=${nSamples}`,
    );
  }
  const root = Rng.fromSeed(options.seed ?? 0);
  const stepsPerEpoch = Math.floor(nSamples / batchSize);
  let epoch = -1;
  let order: Int32Array = new Int32Array(0);
  const source = (_rng: Rng, step: number): B => {
    const e = Math.floor(step / stepsPerEpoch);
    if (e !== epoch) [epoch, order] = [e, root.fold("shuffle", e).permutation(nSamples)];
    const k = step - e * stepsPerEpoch;
    return gather(order.subarray(k * batchSize, (k + 1) * batchSize));
  };
  return { source, stepsPerEpoch };
}
