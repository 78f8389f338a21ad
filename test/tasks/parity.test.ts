/**
 * Exact numbers from the specification (NeuroGym v2.2 behaviour) and the error messages.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { TaskEnv } from "../../src/tasks/env.ts";
import { createTask } from "../../src/tasks/registry.ts";

describe("trial lengths with default options", () => {
  it.each([
    ["PerceptualDecisionMaking", 22],
    ["DelayComparison", 26],
    ["DelayMatchSample", 32],
    ["DelayMatchCategory", 27],
    ["GoNogo", 15],
    ["AntiReach", 15],
    ["DualDelayMatchSample", 40],
  ] as const)("%s has %i steps", (name, steps) => {
    expect(createTask(name).sampleTrial(Rng.fromSeed(0)).info.nSteps).toBe(steps);
  });
});

describe("PerceptualDecisionMaking", () => {
  it("shows [0.756, 0.244] for noiseless coherence 51.2 towards choice 0, and targets action 1", () => {
    const tr = createTask("PerceptualDecisionMaking").sampleTrial(Rng.fromSeed(1), {
      conditions: { groundTruth: 0, coh: 51.2 },
      noise: false,
    });
    const stim = tr.info.periods["stimulus"]!;
    expect(stim).toMatchObject({ start: 1, end: 21 });
    for (let t = stim.start; t < stim.end; t++) {
      expect(tr.ob[t * 3]).toBe(0);
      expect(tr.ob[t * 3 + 1]).toBeCloseTo(0.756, 6);
      expect(tr.ob[t * 3 + 2]).toBeCloseTo(0.244, 6);
    }
    expect(Array.from(tr.ob.slice(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(tr.ob.slice(21 * 3))).toEqual([0, 0, 0]);
    expect(tr.gt[21]).toBe(1);
    expect(tr.info.conditions).toEqual({
      groundTruth: 0,
      coh: 51.2,
      durations: { fixation: 100, stimulus: 2000, delay: 0, decision: 100 },
    });
  });

  it("keeps the fixation cue on until the decision with fixationCue 'untilDecision' (earlier NeuroGym)", () => {
    const task = createTask("PerceptualDecisionMaking", { fixationCue: "untilDecision" });
    const tr = task.sampleTrial(Rng.fromSeed(1), { noise: false });
    const fixation = Array.from({ length: tr.info.nSteps }, (_, t) => tr.ob[t * 3]);
    expect(fixation).toEqual([...Array(21).fill(1), 0]);
    expect(() => createTask("PerceptualDecisionMaking", { fixationCue: "always" as "fixation" })).toThrow(
      /fixationCue/,
    );
  });

  it.each([
    [100, 0.1],
    [20, Math.sqrt(1 / 20)],
  ])("adds stimulus noise with sd sigma/sqrt(dt) (dt %i → %f)", (dtMs, sd) => {
    const task = createTask("PerceptualDecisionMaking", { dtMs, cohs: [0] });
    const rng = Rng.fromSeed(2);
    let n = 0;
    let ss = 0;
    for (let i = 0; i < 200; i++) {
      const tr = task.sampleTrial(rng);
      const s = tr.info.periods["stimulus"]!;
      for (let t = s.start; t < s.end; t++) {
        for (const c of [1, 2]) {
          ss += (tr.ob[t * 3 + c]! - 0.5) ** 2;
          n++;
        }
      }
    }
    expect(Math.sqrt(ss / n)).toBeCloseTo(sd, 2);
  });

  it("floors durations to dt (dt 80: 100 → 80 ms; 2000 is a multiple and stays)", () => {
    const tr = createTask("PerceptualDecisionMaking", { dtMs: 80 }).sampleTrial(Rng.fromSeed(0));
    expect(tr.info.periods["fixation"]).toMatchObject({ startMs: 0, endMs: 80 });
    expect(tr.info.periods["stimulus"]).toMatchObject({ startMs: 80, endMs: 2080, start: 1, end: 26 });
    const dmc = createTask("DelayMatchCategory").sampleTrial(Rng.fromSeed(0));
    expect(dmc.info.periods["sample"]).toMatchObject({ startMs: 500, endMs: 1100 });
  });
});

describe("DelayComparison", () => {
  it("encodes the first stimulus larger as ground truth 1 with rep(v) = (1 + (v − 10)/24)/2", () => {
    const tr = createTask("DelayComparison").sampleTrial(Rng.fromSeed(0), {
      conditions: { groundTruth: 1, vpair: [34, 26] },
      noise: false,
    });
    expect(tr.ob[5 * 2 + 1]).toBeCloseTo(1, 6);
    expect(tr.ob[20 * 2 + 1]).toBeCloseTo((1 + 16 / 24) / 2, 6);
    expect(tr.info.conditions).toMatchObject({ v1: 34, v2: 26 });
    expect(tr.gt[25]).toBe(1);
    expect(Array.from(tr.ob.slice(25 * 2))).toEqual([0, 0]);
  });
});

describe("ReadySetGo", () => {
  it("overlaps measure with ready and marks one target step after set", () => {
    const tr = createTask("ReadySetGo").sampleTrial(Rng.fromSeed(4), { conditions: { measure: 960 } });
    const { ready, measure, set, production } = tr.info.periods;
    expect(ready).toMatchObject({ startMs: 80, endMs: 160 });
    expect(measure).toMatchObject({ startMs: 80, endMs: 1040 });
    expect(set).toMatchObject({ startMs: 1040, endMs: 1120 });
    expect(production).toMatchObject({ startMs: 1120, endMs: 3040 });
    const ones = Array.from(tr.gt).flatMap((g, t) => (g === 1 ? [t] : []));
    expect(ones).toEqual([production!.start + 12]);
  });
});

describe("periods shorter than dtMs: one rule for every task", () => {
  it("collapse to 0 steps by default, as NeuroGym floors them (ReadySetGo at dt 100, MotorTiming's set cue)", () => {
    const rsg = createTask("ReadySetGo", { dtMs: 100 });
    expect(rsg.shortPeriods).toEqual({ ready: 83, set: 83 });
    const tr = rsg.sampleTrial(Rng.fromSeed(4), { conditions: { measure: 900 } });
    expect(tr.info.periods).toMatchObject({
      fixation: { start: 0, end: 1 },
      ready: { startMs: 100, endMs: 100 },
      measure: { start: 1, end: 10 },
      set: { startMs: 1000, endMs: 1000 },
      production: { start: 10, end: 28 },
    });
    // The cues last 0 steps: their channels are never on.
    expect(Array.from({ length: tr.info.nSteps }, (_, t) => tr.ob[t * 3 + 1]! + tr.ob[t * 3 + 2]!)).toEqual(
      Array(tr.info.nSteps).fill(0),
    );
    const mt = createTask("MotorTiming");
    expect(mt.shortPeriods).toEqual({ set: 50 });
    const set = mt.sampleTrial(Rng.fromSeed(0)).info.periods["set"]!;
    expect(set.end - set.start).toBe(0);
  });

  it.each([
    ["ReadySetGo", { dtMs: 100 }, "timing.ready as short as 83 ms", { ready: 100, set: 100 }],
    ["MotorTiming", {}, "timing.set as short as 50 ms", { set: 80 }],
  ] as const)("are refused alike with shortPeriods 'refuse': %s", (name, options, message, timing) => {
    expect(() => createTask(name, { ...options, shortPeriods: "refuse" })).toThrow(message);
    expect(createTask(name, { ...options, timing, shortPeriods: "refuse" } as never).shortPeriods).toEqual(
      {},
    );
  });
});

describe("RL stepping", () => {
  it("plays every step of a trial, reports its performance and returns row 0 of the next", () => {
    const task = createTask("PerceptualDecisionMaking");
    const env = new TaskEnv(task, Rng.fromSeed(3));
    env.reset({ noStep: true });
    const first = env.trial;
    let r = env.step(0);
    for (let i = 1; i < 21; i++) {
      expect(r.info.newTrial).toBe(false);
      r = env.step(0);
    }
    const correct = first.gt[21]!;
    r = env.step(correct);
    expect(r).toMatchObject({ reward: 1, info: { newTrial: true, performance: 1, gt: correct } });
    expect(Array.from(r.ob)).toEqual(Array.from(env.trial.ob.slice(0, 3)));
  });

  it("charges abort for fixation breaks without ending the trial, and times out silently", () => {
    const env = new TaskEnv(createTask("DelayComparison"), Rng.fromSeed(3));
    env.reset({ noStep: true });
    expect(env.step(1)).toMatchObject({ reward: -0.1, info: { newTrial: false } });
    let r = env.step(0);
    for (let i = 2; i < 26; i++) r = env.step(0);
    expect(r.info).toMatchObject({ newTrial: true, performance: 0 });
  });

  it("adds the miss penalty when a GoNogo go trial times out", () => {
    const env = new TaskEnv(createTask("GoNogo"), Rng.fromSeed(1));
    env.reset({ noStep: true });
    while (env.trial.info.conditions.groundTruth !== 1) {
      for (let i = 0; i < 15; i++) env.step(0);
    }
    let r = env.step(0);
    for (let i = 1; i < 15; i++) r = env.step(0);
    expect(r).toMatchObject({ reward: -0.5, info: { newTrial: true, performance: 0 } });
  });

  it("rejects actions outside the action space", () => {
    const env = new TaskEnv(createTask("GoNogo"), Rng.fromSeed(1));
    env.reset();
    expect(() => env.step(2)).toThrow("TaskEnv.step: action must be an integer in [0, 2), got 2");
  });
});

describe("option errors name the option, the value and what is allowed", () => {
  it.each([
    [
      () => createTask("Nope"),
      "createTask: unknown task 'Nope'; known tasks are PerceptualDecisionMaking, DelayComparison",
    ],
    [
      () => createTask("DelayComparison", { timing: { response: 500 } }),
      "DelayComparison: unknown timing period 'response'; allowed timing periods are fixation, stimulus1, delay, stimulus2, decision",
    ],
    [
      () => createTask("PerceptualDecisionMaking", { timing: { delay: -5 } }),
      "PerceptualDecisionMaking: timing.delay duration must be a finite duration >= 0 ms, got -5",
    ],
    [
      () => createTask("PerceptualDecisionMaking", { dtMs: 200, shortPeriods: "refuse" }),
      'PerceptualDecisionMaking: dtMs must not exceed any period (shortPeriods "refuse"), got dtMs 200 with timing.fixation as short as 100 ms',
    ],
    [
      () => createTask("PerceptualDecisionMaking", { shortPeriods: "drop" as never }),
      'PerceptualDecisionMaking: shortPeriods must be "collapse" or "refuse", got "drop"',
    ],
    [
      () => createTask("PerceptualDecisionMaking").channel("motion"),
      "channel 'motion' is unknown; known channels are fixation, stimulus",
    ],
    [
      () => createTask("PerceptualDecisionMaking", { sigmas: 1 }),
      "unknown option 'sigmas'; allowed options are",
    ],
    [
      () => createTask("PerceptualDecisionMaking", { dimRing: 1 }),
      "PerceptualDecisionMaking: dimRing must be an integer >= 2, got 1",
    ],
    [
      () => createTask("GoNogo", { rewards: { bonus: 1 } }),
      "GoNogo: unknown reward 'bonus'; allowed rewards are abort, correct, fail, miss",
    ],
    [
      () =>
        createTask("PerceptualDecisionMaking", {
          timing: { stimulus: { kind: "uniform", low: 500, high: 100 } },
        }),
      "timing.stimulus uniform needs low <= high, got low 500, high 100",
    ],
    [
      () =>
        createTask("PerceptualDecisionMaking").sampleTrial(Rng.fromSeed(0), {
          conditions: { coherence: 3 } as never,
        }),
      "PerceptualDecisionMaking.sampleTrial: unknown condition 'coherence'; allowed conditions are groundTruth, coh",
    ],
    [
      () =>
        createTask("PerceptualDecisionMaking").sampleTrial(Rng.fromSeed(0), {
          conditions: { groundTruth: 5 },
        }),
      "PerceptualDecisionMaking: choice index must be in [0, 2), got 5",
    ],
    [
      () => createTask("PerceptualDecisionMaking", { lossMask: "some" as never }),
      'lossMask must be "decision", "all" or { fixation, decision }',
    ],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });
});

describe("loss masks", () => {
  it("weights decision steps by default, all steps on request, or fixation/decision weights", () => {
    const rng = () => Rng.fromSeed(0);
    const d = createTask("DelayComparison").sampleTrial(rng()).mask;
    const a = createTask("DelayComparison", { lossMask: "all" }).sampleTrial(rng()).mask;
    const w = createTask("DelayComparison", { lossMask: { fixation: 0.1, decision: 2 } }).sampleTrial(
      rng(),
    ).mask;
    expect(Array.from(d).reduce((s, v) => s + v, 0)).toBe(1);
    expect(d[25]).toBe(1);
    expect(Array.from(a).every((v) => v === 1)).toBe(true);
    expect(w[0]).toBeCloseTo(0.1);
    expect(w[25]).toBe(2);
  });
});
