import { describe, expect, it } from "vitest";
import {
  DivergenceError,
  Rng,
  type Tensor,
  Trainer,
  adam,
  add,
  matmul,
  mse,
  randomNormal,
  sgd,
  tensor,
  zeros,
} from "../../src/index.ts";

interface Batch {
  x: Tensor;
  y: Tensor;
}
type Params = { w: Tensor; b: Tensor };

// A linear-regression problem with known weights: y = x W* + b* + small noise.
const wTrue = tensor([[2], [-3]]);
const bTrue = 0.5;
function makeBatch(rng: Rng): Batch {
  const x = randomNormal(rng, [32, 2]);
  const y = add(add(matmul(x, wTrue), bTrue), randomNormal(rng, [32, 1], 0.01));
  return { x, y };
}
const loss = (p: Params, batch: Batch) => mse(add(matmul(batch.x, p.w), p.b), batch.y);
const init = (): Params => ({ w: zeros([2, 1]), b: zeros([1]) });

describe("Trainer", () => {
  it("learns a regression problem and reports a falling loss and the held-out metric", () => {
    const test = makeBatch(Rng.fromSeed(99));
    const trainer = new Trainer<Params, Batch>({
      loss,
      optimizer: adam({ lr: 0.05 }),
      evaluate: (p) => ({ testMse: loss(p, test).item() }),
    });
    const { params, history, epoch, step } = trainer.fit(init(), (rng) => makeBatch(rng), {
      epochs: 5,
      stepsPerEpoch: 60,
    });
    expect(epoch).toBe(5);
    expect(step).toBe(300);
    expect(history.steps).toHaveLength(300);
    expect(history.epochs.map((e) => e.metrics["testMse"])).toHaveLength(5);
    expect(history.epochs.at(-1)!.metrics["testMse"]).toBeLessThan(1e-3);
    expect(history.epochs.at(-1)!.trainLoss).toBeLessThan(history.epochs[0]!.trainLoss / 10);
    expect(params.w.data[0]).toBeCloseTo(2, 1);
    expect(params.w.data[1]).toBeCloseTo(-3, 1);
  });

  it("trains over a fixed batch list in a shuffled order each epoch", () => {
    const rng = Rng.fromSeed(1);
    const batches = Array.from({ length: 8 }, () => makeBatch(rng));
    const trainer = new Trainer<Params, Batch>({ loss, optimizer: adam({ lr: 0.05 }) });
    const { history } = trainer.fit(init(), batches, { epochs: 30 });
    expect(history.steps).toHaveLength(240);
    expect(history.epochs.at(-1)!.trainLoss).toBeLessThan(1e-3);
  });

  it("resumes from a saved state and reproduces the uninterrupted history exactly", () => {
    const trainer = new Trainer<Params, Batch>({ loss, optimizer: adam({ lr: 0.02 }) });
    const source = (rng: Rng) => makeBatch(rng);
    const full = trainer.fit(init(), source, { epochs: 4, stepsPerEpoch: 10, seed: 5 });
    const half = trainer.fit(init(), source, { epochs: 2, stepsPerEpoch: 10, seed: 5 });
    const resumed = trainer.resume(half, source, { epochs: 4, stepsPerEpoch: 10 });
    expect(resumed.history.steps.map((s) => s.loss)).toEqual(full.history.steps.map((s) => s.loss));
    expect(Array.from(resumed.params.w.data)).toEqual(Array.from(full.params.w.data));
  });

  it("stops early when the metric stops improving", () => {
    let calls = 0;
    const trainer = new Trainer<Params, Batch>({
      loss,
      optimizer: sgd({ lr: 0 }),
      evaluate: () => ({ acc: calls++ === 0 ? 0.5 : 0.4 }),
      earlyStopping: { metric: "acc", mode: "max", patience: 2 },
    });
    const { epoch, best } = trainer.fit(init(), (rng) => makeBatch(rng), { epochs: 50, stepsPerEpoch: 1 });
    expect(epoch).toBe(3);
    expect(best).toEqual({ value: 0.5, epoch: 0 });
  });

  it("calls callbacks and stops when one says so", () => {
    const seen: number[] = [];
    const trainer = new Trainer<Params, Batch>({
      loss,
      optimizer: adam({ lr: 0.01 }),
      callbacks: [{ onStep: (r) => (seen.push(r.step), r.step === 4 ? "stop" : undefined) }],
    });
    trainer.fit(init(), (rng) => makeBatch(rng), { epochs: 3, stepsPerEpoch: 10 });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("stopped mid-epoch, reports the steps done, keeps the epoch open, and resumes without skipping data", () => {
    const batches = Array.from({ length: 10 }, (_, i) => makeBatch(Rng.fromSeed(100 + i)));
    const seen: Batch[] = [];
    const options = (stopAt?: number) => ({
      loss: (p: Params, b: Batch) => (seen.push(b), loss(p, b)),
      optimizer: adam({ lr: 0.01 }),
      evaluate: () => ({ calls: 1 }),
      ...(stopAt === undefined
        ? {}
        : { callbacks: [{ onStep: (r: { step: number }) => (r.step === stopAt ? "stop" : undefined) }] }),
    });
    const whole = new Trainer<Params, Batch>(options()).fit(init(), batches, { epochs: 2, seed: 3 });
    const wholeBatches = seen.splice(0);

    // Stop after step 3, the 4th of 10: four steps done, epoch 0 not finished, no epoch record.
    const stopped = new Trainer<Params, Batch>(options(3)).fit(init(), batches, { epochs: 2, seed: 3 });
    expect(stopped.step).toBe(4);
    expect(stopped.epoch).toBe(0);
    expect(stopped.history.steps.map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(stopped.history.epochs).toEqual([]);

    const resumed = new Trainer<Params, Batch>(options()).resume(stopped, batches, { epochs: 2 });
    expect(seen).toEqual(wholeBatches);
    expect(resumed.step).toBe(20);
    expect(resumed.history.steps).toEqual(whole.history.steps);
    expect(resumed.history.epochs.map(({ seconds: _, ...r }) => r)).toEqual(
      whole.history.epochs.map(({ seconds: _, ...r }) => r),
    );
    expect(resumed.params.w.data).toEqual(whole.params.w.data);
  });

  it("adds the L2 penalty and clips gradients", () => {
    const trainer = new Trainer<Params, Batch>({
      loss: () => zeros([]),
      optimizer: sgd({ lr: 0.1 }),
      l2: { coefficient: 0.5, include: (path) => path === "w" },
      clipNorm: 1,
    });
    const start = { w: tensor([[3], [4]]), b: tensor([7]) };
    const { params, history } = trainer.fit(start, (rng) => makeBatch(rng), { epochs: 1, stepsPerEpoch: 1 });
    // gradient of 0.5 Σw² is w = [3, 4] (norm 5) → clipped to norm 1 → [0.6, 0.8]; b untouched.
    expect(history.steps[0]!.gradNorm).toBeCloseTo(5, 5);
    expect(params.w.data[0]).toBeCloseTo(3 - 0.06, 5);
    expect(params.w.data[1]).toBeCloseTo(4 - 0.08, 5);
    expect(params.b.data[0]).toBe(7);
  });

  it("stops with a clear message when training diverges", () => {
    const trainer = new Trainer<Params, Batch>({ loss, optimizer: sgd({ lr: 1e6 }) });
    const run = () => trainer.fit(init(), (rng) => makeBatch(rng), { epochs: 1, stepsPerEpoch: 200 });
    expect(run).toThrow(DivergenceError);
    expect(run).toThrow(
      /Trainer: training diverged at step \d+ \(epoch 0\): loss is (NaN|Infinity).*Try a lower learning rate/,
    );
  });

  it("rejects bad options by name", () => {
    const trainer = new Trainer<Params, Batch>({ loss, optimizer: adam({ lr: 0.1 }) });
    expect(() => trainer.fit(init(), (rng) => makeBatch(rng), { epochs: 2 })).toThrow(
      "Trainer.fit: stepsPerEpoch must be a positive integer (required for generated batches), got undefined",
    );
    expect(() => new Trainer<Params, Batch>({ loss, optimizer: adam({ lr: 0.1 }), clipNorm: 0 })).toThrow(
      "Trainer: clipNorm must be > 0, got 0",
    );
  });
});
