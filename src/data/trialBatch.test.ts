import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { createTask } from "../tasks/registry.ts";
import { trialLengthStats } from "./lengthStats.ts";
import { toBatchFirst, toTimeMajor } from "./layout.ts";
import { packTrials, trialBatch, trialBatches } from "./trialBatch.ts";

describe("trialBatch", () => {
  it("pads trials to the longest with zero inputs, targets and mask", () => {
    const task = createTask("DelayComparison", { timing: { delay: [200, 1600] } });
    const batch = trialBatch(task, Rng.fromSeed(0), 8);
    const T = Math.max(...batch.lengths);
    expect(batch.T).toBe(T);
    expect(batch.inputs).toHaveLength(T * 8 * 2);
    expect(new Set(batch.lengths).size).toBe(2);
    batch.lengths.forEach((n, b) => {
      for (let t = 0; t < T; t++) {
        const inside = t < n;
        expect(batch.mask[t * 8 + b]).toBe(inside && t === n - 1 ? 1 : 0);
        if (!inside) {
          expect(batch.target[t * 8 + b]).toBe(0);
          expect(batch.inputs[(t * 8 + b) * 2]).toBe(0);
        }
      }
      expect(batch.target[(n - 1) * 8 + b]).toBe(batch.trials[b]!.conditions["groundTruth"]);
    });
  });

  it("packs each trial as it is sampled: the batch packTrials makes of the same trials, as they grow longer", () => {
    // Delays drawn so that later trials are longer than earlier ones: the batch grows mid-way.
    const task = createTask("DelayComparison", { timing: { delay: [200, 800, 1600, 3200] } });
    for (const opts of [{}, { layout: "batch-first" as const }, { padTo: 60 }]) {
      const batch = trialBatch(task, Rng.fromSeed(4), 12, opts);
      const rng = Rng.fromSeed(4);
      const trials = Array.from({ length: 12 }, () => task.sampleTrial(rng));
      const lengths = trials.map((t) => t.info.nSteps);
      expect(lengths.some((n, i) => i > 0 && n > Math.max(...lengths.slice(0, i)))).toBe(true);
      expect(batch).toEqual(packTrials(trials, task.obDim, opts));
    }
    expect(() => trialBatch(task, Rng.fromSeed(4), 12, { padTo: 20 })).toThrow(
      /packTrials: padTo must be >= the longest trial \(\d+ steps\), got 20/,
    );
  });

  it("fixes conditions per trial for evaluation grids and turns noise off", () => {
    const task = createTask("PerceptualDecisionMaking");
    const conditions = [0, 6.4, 12.8, 51.2].map((coh) => ({ groundTruth: 1, coh }));
    const batch = trialBatch(task, Rng.fromSeed(0), 4, { conditions, noise: false, layout: "batch-first" });
    expect(batch.trials.map((t) => t.conditions.coh)).toEqual([0, 6.4, 12.8, 51.2]);
    // Batch-first: trial 3, step 5, channel 2 (the choice-1 direction).
    expect(batch.inputs[(3 * 22 + 5) * 3 + 2]).toBeCloseTo(0.756, 6);
    expect(() => trialBatch(task, Rng.fromSeed(0), 3, { conditions })).toThrow(
      "trialBatch: conditions must have one entry per trial (3), got 4",
    );
  });

  it("streams seeded batches and honours padTo", () => {
    const task = createTask("PerceptualDecisionMaking");
    const a = trialBatches(task, { batchSize: 4, seed: 2, padTo: 30 }).next().value;
    const b = trialBatches(task, { batchSize: 4, seed: 2, padTo: 30 }).next().value;
    expect(a.T).toBe(30);
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    expect(() => trialBatch(task, Rng.fromSeed(0), 2, { padTo: 10 })).toThrow(
      "packTrials: padTo must be >= the longest trial (22 steps), got 10",
    );
  });
});

describe("layouts", () => {
  it("swaps the leading axes and back", () => {
    const x = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const bf = toBatchFirst(x, 2, 3, 4);
    expect(bf[(1 * 2 + 1) * 4 + 3]).toBe(x[(1 * 3 + 1) * 4 + 3]);
    expect(Array.from(toTimeMajor(bf, 3, 2, 4))).toEqual(Array.from(x));
  });
});

describe("trialLengthStats", () => {
  it("is exact for fixed timing and tracks variable delays", () => {
    expect(trialLengthStats(createTask("PerceptualDecisionMaking"), { nTrials: 50 })).toEqual({
      mean: 22,
      std: 0,
      min: 22,
      percentile95: 22,
      max: 22,
    });
    const s = trialLengthStats(
      createTask("DelayComparison", { timing: { delay: [200, 400, 800, 1600, 3200] } }),
      {
        nTrials: 4000,
      },
    );
    expect(s.min).toBe(18);
    expect(s.max).toBe(48);
    expect(s.mean).toBeCloseTo(16 + 12.4, 0);
    expect(s.percentile95).toBe(48);
  });
});

describe("transient trials", () => {
  it("have a trial's values, in memory the task's next transient trial reuses", () => {
    const task = createTask("PerceptualDecisionMaking");
    const [a, b] = [Rng.fromSeed(3), Rng.fromSeed(3)];
    const kept = task.sampleTrial(a);
    const first = task.sampleTrial(b, { transient: true });
    expect(first).toEqual(kept);
    const copy = Float32Array.from(first.ob);
    const second = task.sampleTrial(b, { transient: true });
    expect(second.ob.buffer).toBe(first.ob.buffer);
    expect(second).toEqual(task.sampleTrial(a));
    expect(Float32Array.from(first.ob)).not.toEqual(copy);
    // Ordinary trials keep their own memory.
    expect(kept.ob.buffer).not.toBe(first.ob.buffer);
  });
});
