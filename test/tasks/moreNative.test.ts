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
