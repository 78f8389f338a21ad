/**
 * The same numbers on any number of threads: a short training run through the Trainer gives
 * bit-for-bit the same loss history and parameters on 1, 2 and 3 kernel threads, for every model
 * family whose kernels the worker pool runs (fused leaky/vanilla recurrence, gated cells, HORN,
 * the fused spiking chain). Batch sizes are chosen so that the batch is cut into several shards.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  type KernelBackend,
  Rng,
  type SequenceModel,
  Trainer,
  type Tree,
  adam,
  getBackend,
  gru,
  hornNetwork,
  leakyRNNModel,
  linearReadout,
  lstm,
  max,
  randomBernoulli,
  randomNormal,
  sequenceModel,
  setBackend,
  softmaxCrossEntropy,
  spikingClassifier,
  treeLeaves,
  vanillaRNN,
} from "../../src/index.ts";
import { createWasmBackend } from "../../src/kernels/index.ts";

const T = 12;
const B = 40;
const [nIn, H, O] = [3, 24, 3];

interface Family {
  readonly name: string;
  readonly model: () => SequenceModel<Tree, unknown>;
  /** Inputs of a batch (spike trains for the spiking network). */
  readonly inputs: (rng: Rng) => ReturnType<typeof randomNormal>;
  /** The logits the loss reads: every step, or the max over time. */
  readonly perStep: boolean;
}

const gaussian = (rng: Rng) => randomNormal(rng, [T, B, nIn]);
const FAMILIES: Family[] = [
  {
    name: "leaky RNN (fused recurrence)",
    model: () => leakyRNNModel({ nIn, nHidden: H, nOut: O, tauMs: 100, dtMs: 20 }),
    inputs: gaussian,
    perStep: true,
  },
  {
    name: "vanilla RNN (fused recurrence, tanh)",
    model: () =>
      sequenceModel(vanillaRNN({ nIn, nHidden: H, activation: "tanh" }), linearReadout({ nIn: H, nOut: O })),
    inputs: gaussian,
    perStep: true,
  },
  {
    name: "GRU",
    model: () => sequenceModel(gru({ nIn, nHidden: H }), linearReadout({ nIn: H, nOut: O })),
    inputs: gaussian,
    perStep: true,
  },
  {
    name: "LSTM",
    model: () => sequenceModel(lstm({ nIn, nHidden: H }), linearReadout({ nIn: H, nOut: O })),
    inputs: gaussian,
    perStep: true,
  },
  {
    name: "HORN",
    model: () => hornNetwork({ nIn, nHidden: H, nOut: O, alpha: 0.2 }),
    inputs: gaussian,
    perStep: false,
  },
  {
    name: "spiking classifier (fused chain)",
    model: () => spikingClassifier({ nIn: 20, nHidden: 10, nOut: O, dtMs: 1 }),
    inputs: (rng) => randomBernoulli(rng, [4 * T, B, 20], 0.1),
    perStep: false,
  },
];

/**
 * Trains `family` for three epochs over two fixed batches (shuffled by the trainer) on `backend`:
 * its step losses and final parameters.
 */
function train(family: Family, backend: KernelBackend): { losses: number[]; params: number[][] } {
  setBackend(backend);
  const model = family.model();
  const rng = Rng.fromSeed(5);
  const batches = [0, 1].map(() => ({
    x: family.inputs(rng),
    y: Int32Array.from({ length: family.perStep ? T * B : B }, () => rng.integer(0, O)),
  }));
  const trainer = new Trainer<Tree, (typeof batches)[number]>({
    loss: (p, batch) => {
      const out = model.apply(p, batch.x).outputs;
      return softmaxCrossEntropy(family.perStep ? out : max(out, 0), batch.y);
    },
    optimizer: adam({ lr: 0.02 }),
  });
  const state = trainer.fit(model.init(Rng.fromSeed(7)), batches, { epochs: 3, seed: 11 });
  return {
    losses: state.history.steps.map((s) => s.loss),
    params: treeLeaves(state.params).map(({ leaf }) => Array.from(leaf.data)),
  };
}

const before = getBackend();
afterAll(() => setBackend(before));

// The pool runs even these small calls (minParallelFlops 0), so three threads really share them.
const backends = [1, 2, 3].map((threads) => createWasmBackend({ threads, minParallelFlops: 0 }));

describe("training gives the same numbers on 1, 2 and 3 threads", () => {
  it.each(FAMILIES)("$name", (family) => {
    const [one, ...more] = backends.map((b) => train(family, b));
    // It learns (the two batches' mean loss falls), so the histories compared are a real run's.
    expect(one!.losses[4]! + one!.losses[5]!).toBeLessThan(one!.losses[0]! + one!.losses[1]!);
    for (const other of more) {
      expect(other.losses).toEqual(one!.losses);
      expect(other.params).toEqual(one!.params);
    }
  });
});
