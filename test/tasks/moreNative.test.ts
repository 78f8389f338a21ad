/**
 * Hand-worked behaviour of the tasks added after the first 23: NeuroGym's numbers where they are
 * exact, and braints' fix of Detection.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { TaskEnv, runPolicy } from "../../src/tasks/env.ts";
import { createTask } from "../../src/tasks/registry.ts";

describe("Bandit", () => {
  it("pays each arm with its probability and magnitude, one trial per step", () => {
    const env = new TaskEnv(createTask("Bandit", { p: [0.9, 0.2], armRewards: [1, 5] }), Rng.fromSeed(1));
    env.reset();
    for (const [arm, mean] of [
      [0, 0.9],
      [1, 1],
    ] as const) {
      let total = 0;
      for (let i = 0; i < 4000; i++) {
        const r = env.step(arm);
        expect(r.info.newTrial).toBe(true);
        total += r.reward;
      }
      expect(total / 4000).toBeCloseTo(mean, 1);
    }
  });

  it("names the option and the expectation when p does not match n", () => {
    expect(() => createTask("Bandit", { n: 3 })).toThrow(
      /p must have one probability per arm \(n = 3\), got 2/,
    );
  });
});

describe("Null", () => {
  it("is one step of a zero input with no reward", () => {
    const env = new TaskEnv(createTask("Null"), Rng.fromSeed(0));
    env.reset();
    const r = env.step(0);
    expect(Array.from(r.ob)).toEqual([0]);
    expect(r).toMatchObject({ reward: 0, info: { newTrial: true, performance: 0 } });
  });
});

describe("ToneDetection", () => {
  it("puts a 50-ms tone at 500, 1000 or 1500 ms and targets its position on every step", () => {
    const task = createTask("ToneDetection");
    for (const g of [0, 1, 2, 3]) {
      const tr = task.sampleTrial(Rng.fromSeed(g), { conditions: { groundTruth: g }, noise: false });
      expect(tr.info.nSteps).toBe(40);
      const on = Array.from(tr.ob).flatMap((v, t) => (v === 1 ? [t] : []));
      expect(on).toEqual(g === 0 ? [] : [[10], [20], [30]][g - 1]);
      expect(new Set(tr.gt)).toEqual(new Set([g]));
    }
    expect(() => createTask("ToneDetection", { dtMs: 100 })).toThrow(/dtMs must not exceed toneDur/);
  });
});

describe("Detection (fixed)", () => {
  const task = createTask("Detection");

  it("shows 0.5 for one step at the onset and targets go from the onset to the end", () => {
    const tr = task.sampleTrial(Rng.fromSeed(3), { conditions: { groundTruth: 1 }, noise: false });
    const s = tr.info.periods["stimulus"]!;
    const onset = s.start + tr.info.conditions.onsetMs! / 100;
    const stim = Array.from({ length: tr.info.nSteps }, (_, t) => tr.ob[t * 2 + 1]);
    expect(stim.filter((v) => v !== 0)).toEqual([0.5]);
    expect(stim[onset]).toBe(0.5);
    expect(Array.from(tr.gt)).toEqual(Array.from({ length: tr.info.nSteps }, (_, t) => (t >= onset ? 1 : 0)));
    // NeuroGym leaves a step after a one-step stimulus to respond in.
    expect(onset).toBeLessThan(s.end - 1);
  });

  it("adds the same noise to go and no-go trials (NeuroGym doubles it on no-go trials)", () => {
    const sd = (g: number): number => {
      const rng = Rng.fromSeed(4);
      let ss = 0;
      let n = 0;
      for (let i = 0; i < 300; i++) {
        const tr = task.sampleTrial(rng, { conditions: { groundTruth: g } });
        const s = tr.info.periods["stimulus"]!;
        for (let t = s.start; t < s.end; t++) {
          if (tr.gt[t] === 1 && tr.gt[t - 1] === 0) continue; // the stimulus step itself
          ss += tr.ob[t * 2 + 1]! ** 2;
          n++;
        }
      }
      return Math.sqrt(ss / n);
    };
    expect(sd(0)).toBeCloseTo(0.1, 2);
    expect(sd(1)).toBeCloseTo(0.1, 2);
  });

  it("scores a withheld no-go trial 1 and a missed go trial 0 with the miss penalty", () => {
    const env = new TaskEnv(task, Rng.fromSeed(5), { noise: false });
    const res = runPolicy(env, { act: () => 0 }, 400);
    expect(res.performance).toBeGreaterThan(0.42);
    expect(res.performance).toBeLessThan(0.58);
    // Go trials time out with the miss penalty (−1), no-go trials earn 0.
    expect(res.rewardPerTrial).toBeCloseTo(-(1 - res.performance), 2);
  });
});

describe("ReachingDelayResponse (vector targets, continuous actions)", () => {
  const task = createTask("ReachingDelayResponse");

  it("shows [0, position], then [0, −0.5], then [1, −0.5]; targets [−1, −0.5] until [1, position]", () => {
    const tr = task.sampleTrial(Rng.fromSeed(1), { conditions: { groundTruth: 0.25 } });
    const n = tr.info.nSteps;
    const d = tr.info.periods["decision"]!;
    expect(task.gtDim).toBe(2);
    expect(tr.gt).toHaveLength(2 * n);
    expect(Array.from(tr.ob.slice(0, 2))).toEqual([0, 0.25]);
    expect(Array.from(tr.ob.slice(2 * (d.start - 1), 2 * d.start))).toEqual(
      d.start > 5 ? [0, -0.5] : [0, 0.25],
    );
    expect(Array.from(tr.ob.slice(2 * d.start, 2 * d.start + 2))).toEqual([1, -0.5]);
    expect(Array.from(tr.gt.slice(0, 2))).toEqual([-1, -0.5]);
    expect(Array.from(tr.gt.slice(2 * (n - 1)))).toEqual([1, 0.25]);
  });

  it("rewards a go in the decision by 1/(1 + error)² and takes vector actions only", () => {
    const env = new TaskEnv(task, Rng.fromSeed(2), { noise: false });
    env.reset({ noStep: true });
    const target = env.trial.info.conditions.groundTruth;
    const d = env.trial.info.periods["decision"]!;
    for (let t = 0; t < d.start; t++) expect(env.step([-1, 0]).reward).toBe(0);
    const r = env.step([1, target + 0.5]);
    expect(r.reward).toBeCloseTo(1 / 1.5 ** 2, 6);
    expect(r.info).toMatchObject({ newTrial: true, performance: expect.closeTo(1 / 2.25, 6) });
    expect(() => env.step(1)).toThrow(/takes a vector of 2 finite numbers as its action, got 1/);
  });

  it("batches stack the vector targets as [T, B, 2]", async () => {
    const { trialBatch } = await import("../../src/data/trialBatch.ts");
    const batch = trialBatch(task, Rng.fromSeed(3), 4);
    expect(batch.target).toHaveLength(batch.T * 4 * 2);
    expect(batch.target[0]).toBe(-1);
    expect(batch.target[1]).toBe(-0.5);
  });
});

describe("SpatialSuppressMotion", () => {
  const task = createTask("SpatialSuppressMotion");

  it("is 36 frames of dt 8.3; pools of 8 size units per direction, 1 unit for the small stimulus", () => {
    const small = task.sampleTrial(Rng.fromSeed(0), { conditions: { direction: 2, contrast: 0.05 } });
    expect(small.info.nSteps).toBe(36);
    const row = Array.from(small.ob.slice(0, 32));
    // Direction 2 (right, π/2): pools left, right, up, down get (cos(θ − π/2) + 1)·0.05/2.
    expect(row[0]).toBeCloseTo(0, 6);
    expect(row[8]).toBeCloseTo(0.05, 6);
    expect(row[16]).toBeCloseTo(0.025, 6);
    expect(row.filter((v) => v !== 0)).toHaveLength(3);
    const large = task.sampleTrial(Rng.fromSeed(0), { conditions: { direction: 2, contrast: 0.99 } });
    expect(Array.from(large.ob.slice(8, 16)).every((v) => Math.abs(v - 0.99) < 1e-6)).toBe(true);
    expect(large.info.conditions.diameter).toBe(8);
  });

  it("targets the human report probabilities: rows sum to 1, correct reaches 0.99 by frame 35", () => {
    const tr = task.sampleTrial(Rng.fromSeed(1), { conditions: { direction: 3, contrast: 0.99 } });
    for (let t = 0; t < 36; t++) {
      const p = Array.from(tr.gt.slice(4 * t, 4 * t + 4));
      expect(p.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    }
    expect(tr.gt[4 * 0 + 2]).toBeCloseTo(0.249, 6);
    expect(tr.gt[4 * 35 + 2]).toBeCloseTo(0.99, 6);
    // Frame 11 (0-based) lies between the data at frames 9 (0.249; anti 0.31) and 12 (0.27; anti 0.4).
    expect(tr.gt[4 * 11 + 2]).toBeCloseTo(0.249 + (0.021 * 2) / 3, 6);
    expect(tr.gt[4 * 11 + 3]).toBeCloseTo(0.31 + (0.09 * 2) / 3, 6);
  });
});
