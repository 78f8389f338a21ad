import { describe, expect, it } from "vitest";
import { createTask } from "../tasks/registry.ts";
import { Dataset, defaultCacheLen } from "./dataset.ts";

describe("Dataset (NeuroGym stream semantics)", () => {
  it("rounds the default cache up past a multiple of seqLen (PDM, B 16, seqLen 100 → 1600)", () => {
    expect(defaultCacheLen(3, 16, 100)).toBe(1600);
    expect(defaultCacheLen(3, 16, 100, 1500)).toBe(1600);
    expect(defaultCacheLen(3, 16, 100, 1550)).toBe(1600);
    const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 16, seqLen: 100 });
    expect(ds.cacheLen).toBe(1600);
  });

  it("serves 15 windows per cache, then refills with fresh trials", () => {
    const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 16, seqLen: 100, seed: 1 });
    expect(ds.cachesFilled).toBe(1);
    for (let i = 0; i < 15; i++) ds.next();
    expect(ds.cachesFilled).toBe(1);
    ds.next();
    expect(ds.cachesFilled).toBe(2);
  });

  it("concatenates whole trials per column: each window continues the trial structure", () => {
    const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 2, seqLen: 50, seed: 3 });
    const a = ds.next().value;
    const b = ds.next().value;
    expect(a.inputs).toHaveLength(50 * 2 * 3);
    expect(a.target).toHaveLength(50 * 2);
    // Column 0 over 100 steps: every 22 steps a trial starts with fixation 1 and ends with a choice.
    const fix = (t: number): number => (t < 50 ? a.inputs[t * 2 * 3]! : b.inputs[(t - 50) * 2 * 3]!);
    const gt = (t: number): number => (t < 50 ? a.target[t * 2]! : b.target[(t - 50) * 2]!);
    for (let t = 0; t < 100; t++) {
      expect(fix(t)).toBe(t % 22 === 0 ? 1 : 0);
      expect(gt(t) !== 0).toBe(t % 22 === 21);
    }
  });

  it("is seeded: the same seed gives the same stream; columns, seeds and held-out windows never share one", () => {
    const task = createTask("DelayComparison");
    const window = (seed: number, stream: "data" | "eval" = "data") =>
      new Dataset(task, { batchSize: 3, seqLen: 40, seed, stream }).next().value;
    const column = (w: ReturnType<typeof window>, b: number) =>
      Array.from({ length: 40 * 2 }, (_, i) => w.inputs[(Math.floor(i / 2) * 3 + b) * 2 + (i % 2)]);
    const x = window(9);
    expect(Array.from(x.inputs)).toEqual(Array.from(window(9).inputs));
    // Every column of seeds 9 and 10, training and held-out: 12 streams, no two alike.
    const columns = [window(9), window(10), window(9, "eval"), window(10, "eval")].flatMap((w) =>
      [0, 1, 2].map((b) => JSON.stringify(column(w, b))),
    );
    expect(new Set(columns).size).toBe(12);
  });

  it("lays batches out batch-first on request and stops after maxBatch", () => {
    const task = createTask("GoNogo");
    const tm = new Dataset(task, { batchSize: 2, seqLen: 30, seed: 0 }).next().value;
    const bf = new Dataset(task, { batchSize: 2, seqLen: 30, seed: 0, layout: "batch-first", maxBatch: 2 });
    const v = bf.next().value;
    for (let t = 0; t < 30; t++) {
      for (let b = 0; b < 2; b++) {
        expect(v.target[b * 30 + t]).toBe(tm.target[t * 2 + b]);
        expect(v.inputs[(b * 30 + t) * 3 + 2]).toBe(tm.inputs[(t * 2 + b) * 3 + 2]);
      }
    }
    expect([...bf]).toHaveLength(1);
  });

  it("refuses RL-only tasks and bad sizes", () => {
    expect(() => new Dataset(createTask("DawTwoStep"))).toThrow("Dataset(DawTwoStep): the task is RL-only");
    expect(() => new Dataset(createTask("GoNogo"), { seqLen: 0 })).toThrow(
      "Dataset(GoNogo): seqLen must be an integer >= 1, got 0",
    );
    expect(() => new Dataset(createTask("GoNogo"), { stream: "test" as "eval" })).toThrow(
      'Dataset(GoNogo): stream must be "data" or "eval", got "test"',
    );
  });
});
