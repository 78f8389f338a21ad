/**
 * Wrappers and schedules on hand-worked trials: the sequences, block lengths and trial reshaping that
 * NeuroGym's wrappers/ and utils/scheduler.py produce, worked out from its code.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { TaskEnv } from "../../src/tasks/env.ts";
import { createTask } from "../../src/tasks/registry.ts";
import {
  TrialSchedule,
  randomBlockSchedule,
  randomSchedule,
  sequentialBlockSchedule,
  sequentialSchedule,
} from "../../src/tasks/schedules.ts";
import type { Task } from "../../src/tasks/task.ts";
import {
  noise,
  passAction,
  passReward,
  randomGroundTruth,
  reactionTime,
  scheduleAttr,
  scheduleEnvs,
  sideBias,
  trialHistory,
} from "../../src/tasks/wrappers.ts";

const draws = (s: TrialSchedule, n: number, seed = 0): number[] => {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => s.next(rng));
};
const pdm = (o: Readonly<Record<string, unknown>> = {}): Task => createTask("PerceptualDecisionMaking", o);
const groundTruths = (task: Task, n: number, seed = 1): unknown[] => {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => task.sampleTrial(rng).info.conditions["groundTruth"]);
};

describe("schedules (NeuroGym's utils/scheduler.py)", () => {
  it("random never repeats an index (two tasks alternate, starting at 1)", () => {
    expect(draws(randomSchedule(2), 6)).toEqual([1, 0, 1, 0, 1, 0]);
    const three = draws(randomSchedule(3), 300);
    expect(three[0]).not.toBe(0);
    expect(three.every((v, i) => i === 0 || v !== three[i - 1])).toBe(true);
    expect(new Set(three)).toEqual(new Set([0, 1, 2]));
  });

  it("sequential starts at index 1", () => {
    expect(draws(sequentialSchedule(3), 7)).toEqual([1, 2, 0, 1, 2, 0, 1]);
  });

  it("sequential-block runs blockLens[i] trials of each index from 0", () => {
    expect(draws(sequentialBlockSchedule([2, 3]), 9)).toEqual([0, 0, 1, 1, 1, 0, 0, 1, 1]);
  });

  it("random-block runs blocks of blockLens[i] trials, each followed by another index", () => {
    expect(draws(randomBlockSchedule([2, 1]), 7)).toEqual([0, 0, 1, 0, 0, 1, 0]);
    const s = draws(randomBlockSchedule([3, 3, 3]), 60);
    for (let b = 0; b < 20; b++) expect(new Set(s.slice(3 * b, 3 * b + 3)).size).toBe(1);
  });

  it("refuses block lengths that do not match the indices, naming them", () => {
    expect(() => new TrialSchedule("random-block", 3, [2, 2])).toThrow(
      /blockLens must have one length per index \(n = 3\), got 2/,
    );
    expect(() => new TrialSchedule("cyclic" as "random", 2)).toThrow(/kind must be/);
  });
});

describe("ground-truth wrappers", () => {
  it("randomGroundTruth draws from p (and from a per-trial p a schedule sets)", () => {
    expect(new Set(groundTruths(randomGroundTruth(pdm(), { p: [0, 1] }), 50))).toEqual(new Set([1]));
    const gts = groundTruths(randomGroundTruth(pdm(), { p: [0.8, 0.2] }), 2000);
    expect(gts.filter((g) => g === 0).length / 2000).toBeCloseTo(0.8, 1);
    expect(() => randomGroundTruth(pdm(), { p: [0.5, 0.6] })).toThrow(/p must sum to 1, got 1.1/);
    expect(() => randomGroundTruth(createTask("GoNogo"))).toThrow(/no 'choice' actions .* pass choices/);
  });

  it("sideBias: a fixed-length first block is one trial short, later blocks are full", () => {
    const gts = groundTruths(
      sideBias(pdm(), {
        probs: [
          [1, 0],
          [0, 1],
        ],
        blockDur: 3,
      }),
      11,
    );
    const first = gts[0];
    const other = first === 0 ? 1 : 0;
    expect(gts).toEqual([first, first, other, other, other, first, first, first, other, other, other]);
  });

  it("sideBias: a switch probability gives geometric blocks; a [low, high] range bounds them", () => {
    const run = (blockDur: number | readonly [number, number]): number[] => {
      const task = sideBias(pdm(), {
        probs: [
          [1, 0],
          [0, 1],
        ],
        blockDur,
      });
      const rng = Rng.fromSeed(2);
      const blocks = Array.from(
        { length: 20000 },
        () => task.sampleTrial(rng).info.conditions["block"] as number,
      );
      const lens: number[] = [];
      let len = 1;
      for (let i = 1; i < blocks.length; i++) {
        if (blocks[i] === blocks[i - 1]) len++;
        else {
          lens.push(len);
          len = 1;
        }
      }
      return lens.slice(1);
    };
    const geometric = run(0.1);
    expect(geometric.reduce((a, v) => a + v, 0) / geometric.length).toBeCloseTo(10, 0);
    const ranged = run([4, 6]);
    expect(new Set(ranged)).toEqual(new Set([4, 5, 6]));
    expect(() => sideBias(pdm(), { probs: [[1, 0]], blockDur: 1.5 })).toThrow(
      /blockDur must be an integer >= 1/,
    );
  });

  it("trialHistory follows the transition matrix from the previous choice", () => {
    const gts = groundTruths(
      trialHistory(pdm(), {
        probs: [
          [0, 1],
          [1, 0],
        ],
      }),
      10,
    );
    expect(gts.every((g, i) => i === 0 || g !== gts[i - 1])).toBe(true);
  });

  it("scheduleAttr + randomGroundTruth is ibl20: 90 trials at 80:20, then 90 at 20:80", () => {
    const task = createTask("ibl20");
    const gts = groundTruths(task, 360, 3);
    const share = (a: number, b: number): number => gts.slice(a, b).filter((g) => g === 0).length / (b - a);
    expect(share(0, 90)).toBeGreaterThan(0.65);
    expect(share(90, 180)).toBeLessThan(0.35);
    expect(share(180, 270)).toBeGreaterThan(0.65);
    const attr = scheduleAttr(pdm(), sequentialSchedule(2), [{ coh: 0 }, { coh: 51.2 }]);
    const rng = Rng.fromSeed(0);
    expect([0, 1, 2].map(() => attr.sampleTrial(rng).info.conditions["coh"])).toEqual([51.2, 0, 51.2]);
  });
});

describe("reactionTime (NeuroGym's ReactionTime on PerceptualDecisionMaking)", () => {
  const trial = reactionTime(pdm()).sampleTrial(Rng.fromSeed(4), {
    conditions: { groundTruth: 1 },
    noise: false,
  });

  it("ends with the stimulus, targets the choice from the second stimulus step and scores it", () => {
    expect(trial.info.nSteps).toBe(21);
    expect(trial.info.tmaxMs).toBe(2100);
    expect(Array.from(trial.gt)).toEqual([0, 0, ...Array(19).fill(2)]);
    expect(Array.from(trial.mask)).toEqual([0, 0, ...Array(19).fill(1)]);
    expect(trial.info.periods["decision"]).toMatchObject({ startMs: 200, start: 2 });
    const whole = reactionTime(pdm(), { endOnStimulus: false }).sampleTrial(Rng.fromSeed(4), {
      noise: false,
    });
    expect(whole.info.nSteps).toBe(22);
  });

  it("in the environment: a response on the first stimulus step is ignored, one a step later ends the trial", () => {
    const env = new TaskEnv(reactionTime(pdm(), { urgency: -0.01 }), Rng.fromSeed(5), { noise: false });
    env.reset({ noStep: true });
    const gt = env.trial.gt;
    expect(env.step(0).reward).toBeCloseTo(-0.01, 9); // fixation
    const early = env.step(gt[2]!);
    expect(early.reward).toBeCloseTo(-0.01, 9);
    expect(early.info.newTrial).toBe(false);
    const r = env.step(gt[2]!);
    expect(r.info).toMatchObject({ newTrial: true, performance: 1 });
    expect(r.reward).toBeCloseTo(1 - 0.01, 9);
  });

  it("names the periods it needs", () => {
    expect(() => reactionTime(createTask("DelayMatchSample")).sampleTrial(Rng.fromSeed(0))).toThrow(
      /needs 'stimulus' and 'decision' periods; DelayMatchSample has fixation, sample, delay, test, decision/,
    );
  });
});

describe("step wrappers", () => {
  it("passReward shows the last reward as an extra input; passAction the last action", () => {
    const env = new TaskEnv(passAction(passReward(pdm())), Rng.fromSeed(6), { noise: false });
    expect(env.task.obColumnNames).toEqual(["fixation", "stimulus 1", "stimulus 2", "reward", "action"]);
    env.reset({ noStep: true });
    const abort = env.step(1); // a fixation break costs abort (-0.1)
    expect(Array.from(abort.ob.slice(3))).toEqual([Math.fround(-0.1), 1]);
    for (let t = 1; t < 21; t++) env.step(0);
    const gt = env.trial.gt[21]!;
    const last = env.step(gt);
    expect(last.info).toMatchObject({ newTrial: true, performance: 1 });
    expect(Array.from(last.ob)).toEqual([1, 0, 0, 1, gt]);
  });

  it("supervised trials: the reward column is 0, the action column the previous target", () => {
    const tr = passAction(passReward(pdm())).sampleTrial(Rng.fromSeed(7), { noise: false });
    const col = (c: number) => Array.from({ length: tr.info.nSteps }, (_, t) => tr.ob[t * 5 + c]);
    expect(col(3).every((v) => v === 0)).toBe(true);
    expect(col(4)).toEqual([0, ...Array.from(tr.gt).slice(0, -1)]);
  });

  it("noise adds N(0, 0.1²) to every input, per step in the environment and per trial in batches", () => {
    // The same trials with and without the wrapper (the inner task is noiseless).
    const a = new TaskEnv(noise(pdm({ sigma: 0 })), Rng.fromSeed(8));
    const b = new TaskEnv(pdm({ sigma: 0 }), Rng.fromSeed(8));
    a.reset();
    b.reset();
    let ss = 0;
    for (let i = 0; i < 2000; i++) {
      const x = a.step(0).ob;
      const y = b.step(0).ob;
      for (let k = 0; k < 3; k++) ss += (x[k]! - y[k]!) ** 2;
    }
    expect(Math.sqrt(ss / 6000)).toBeCloseTo(0.1, 2);
    const tr = noise(pdm({ sigma: 0 })).sampleTrial(Rng.fromSeed(9), { conditions: { coh: 0 } });
    // Stimulus rows 1..20 are [0, 0.5, 0.5] without the wrapper.
    const dev = Array.from(tr.ob.subarray(3, 63), (v, i) => v - [0, 0.5, 0.5][i % 3]!);
    // The RMS of 60 draws of N(0, 0.1²): within 4 standard errors (0.1 / √(2·60)), not ±0.05.
    const rms = Math.sqrt(dev.reduce((s2, v) => s2 + v * v, 0) / dev.length);
    expect(Math.abs(rms - 0.1)).toBeLessThan((4 * 0.1) / Math.sqrt(2 * dev.length));
    // noise: false (evaluation) turns it off like the tasks' own noise.
    const off = noise(pdm()).sampleTrial(Rng.fromSeed(9), { noise: false });
    expect(Array.from(off.ob)).toEqual(Array.from(pdm().sampleTrial(Rng.fromSeed(9), { noise: false }).ob));
  });
});

describe("scheduleEnvs", () => {
  const make = () =>
    scheduleEnvs([pdm(), createTask("PerceptualDecisionMakingDelayResponse")], sequentialSchedule(2), {
      envInput: true,
      names: ["pdm", "delayed"],
    });

  it("takes the schedule's first pick first and appends the one-hot rule input", () => {
    const task = make();
    expect(task.obColumnNames).toEqual(["fixation", "stimulus 1", "stimulus 2", "rule pdm", "rule delayed"]);
    const rng = Rng.fromSeed(0);
    const trials = [0, 1, 2].map(() => task.sampleTrial(rng));
    expect(trials.map((t) => t.info.conditions["envName"])).toEqual(["delayed", "pdm", "delayed"]);
    for (const tr of trials) {
      const i = tr.info.conditions["envIndex"] as number;
      for (let t = 0; t < tr.info.nSteps; t++)
        expect([tr.ob[t * 5 + 3], tr.ob[t * 5 + 4]]).toEqual(i === 0 ? [1, 0] : [0, 1]);
    }
    expect(task.sampleTrial(rng, { conditions: { envIndex: 0 } }).info.conditions["envName"]).toBe("pdm");
  });

  it("scores each trial by its own task's rule and rewards", () => {
    const env = new TaskEnv(
      scheduleEnvs(
        [pdm({ rewards: { correct: 2 } }), createTask("PerceptualDecisionMakingDelayResponse")],
        sequentialSchedule(2),
      ),
      Rng.fromSeed(1),
      { noise: false },
    );
    env.reset({ noStep: true });
    const seen: number[] = [];
    for (let k = 0; k < 4; k++) {
      const tr = env.trial;
      const d = tr.info.periods["decision"]!;
      let r = env.step(0);
      for (let t = 1; t < d.start; t++) r = env.step(0);
      r = env.step(tr.gt[d.start]!);
      expect(r.info.performance).toBe(1);
      seen.push(r.reward);
    }
    expect(seen).toEqual([1, 2, 1, 2]);
  });

  it("refuses a schedule inside a schedule (both would log envIndex)", () => {
    const inner = scheduleEnvs([pdm(), pdm()], randomSchedule(2));
    expect(() => scheduleEnvs([noise(inner), pdm()], randomSchedule(2))).toThrow(
      /nested schedules are not supported/,
    );
  });

  it("refuses tasks of different widths, naming them", () => {
    expect(() => scheduleEnvs([pdm(), createTask("GoNogo")], randomSchedule(2))).toThrow(
      /same input width, action count and dtMs; GoNogo has 3, 2, 100 and PerceptualDecisionMaking 3, 3, 100/,
    );
  });
});
