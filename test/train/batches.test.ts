import { describe, expect, it } from "vitest";
import { Rng, Trainer, mul, sgd, shuffledBatches, sum, tensor, type Tensor } from "../../src/index.ts";

describe("shuffledBatches", () => {
  it("visits every sample once per epoch, in a new order each epoch, in full batches", () => {
    const { source, stepsPerEpoch } = shuffledBatches(10, 3, (idx) => Array.from(idx));
    expect(stepsPerEpoch).toBe(3);
    const rng = Rng.fromSeed(0);
    const epoch = (e: number) => [0, 1, 2].flatMap((k) => source(rng, e * 3 + k));
    const first = epoch(0);
    const second = epoch(1);
    for (const seen of [first, second]) {
      expect(seen).toHaveLength(9);
      expect(new Set(seen).size).toBe(9);
    }
    expect(second).not.toEqual(first);
  });

  it("gives a resumed run the batches an uninterrupted run saw", () => {
    const seen: number[][] = [];
    const { source, stepsPerEpoch } = shuffledBatches(8, 2, (idx) => (seen.push(Array.from(idx)), idx));
    const trainer = new Trainer<{ w: Tensor }, Int32Array>({
      loss: (p, idx) => sum(mul(p.w, idx.length)),
      optimizer: sgd({ lr: 0.1 }),
    });
    const w = { w: tensor([1]) };
    trainer.fit(w, source, { epochs: 3, stepsPerEpoch, seed: 4 });
    const full = seen.splice(0);
    const half = trainer.fit(w, source, { epochs: 2, stepsPerEpoch, seed: 4 });
    trainer.resume(half, source, { epochs: 3, stepsPerEpoch });
    expect(seen).toEqual(full);
  });

  it("gives any step the batch of its epoch's permutation, whatever came before (a mid-epoch resume)", () => {
    const batches = (steps: readonly number[], seed: number) => {
      const { source } = shuffledBatches(10, 3, (idx) => Array.from(idx), { seed });
      return steps.map((step) => source(Rng.fromSeed(step), step));
    };
    const inOrder = batches([0, 1, 2, 3, 4, 5], 7);
    expect(batches([4, 5], 7)).toEqual(inOrder.slice(4));
    expect(batches([2, 0, 1], 7)).toEqual([inOrder[2], inOrder[0], inOrder[1]]);
    expect(batches([0, 1, 2], 8)).not.toEqual(inOrder.slice(0, 3));
  });

  it("refuses a batch larger than the data", () => {
    expect(() => shuffledBatches(3, 4, (i) => i)).toThrow(
      "shuffledBatches: need integers 1 <= batchSize <= nSamples, got batchSize=4, nSamples=3",
    );
  });
});
