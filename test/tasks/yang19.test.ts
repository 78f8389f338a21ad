/**
 * The Yang-19 collection against NeuroGym's envs/collections/yang19.py, on hand-worked trials.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { TaskEnv } from "../../src/tasks/env.ts";
import { createTask } from "../../src/tasks/registry.ts";
import { gaussianBump, yang19, yang19TaskNames } from "../../src/tasks/collections/yang19.ts";

const row = (ob: Float32Array, t: number, dim = 33): number[] =>
  Array.from(ob.subarray(t * dim, (t + 1) * dim));

describe("Yang-19", () => {
  it("has the 20 tasks on one layout: 33 inputs, 17 actions; all together 53 inputs with the rule", () => {
    expect(yang19TaskNames).toEqual([
      "go",
      "rtgo",
      "dlygo",
      "anti",
      "rtanti",
      "dlyanti",
      "dm1",
      "dm2",
      "ctxdm1",
      "ctxdm2",
      "multidm",
      "dlydm1",
      "dlydm2",
      "ctxdlydm1",
      "ctxdlydm2",
      "multidlydm",
      "dms",
      "dnms",
      "dmc",
      "dnmc",
    ]);
    for (const n of yang19TaskNames) {
      const t = createTask(`yang19.${n}`);
      expect([t.obDim, t.nActions]).toEqual([33, 17]);
    }
    const all = createTask("yang19");
    expect([all.obDim, all.nActions]).toEqual([53, 17]);
    expect(all.obColumnNames.slice(33)).toEqual(yang19TaskNames.map((n) => `rule ${n}`));
  });

  it("bumps are 0.8·exp(−d²/2) with d in units of π/8 on a ring of 16", () => {
    const b = gaussianBump(0, 16, 1);
    expect(b[0]).toBeCloseTo(0.8, 12);
    expect(b[1]).toBeCloseTo(0.8 * Math.exp(-0.5), 12);
    expect(b[15]).toBeCloseTo(0.8 * Math.exp(-0.5), 12);
    expect(b[8]).toBeCloseTo(0.8 * Math.exp(-32), 12);
  });

  it("go/anti: 15 steps, the bump in one modality (modality 2 first, then alternating), answer at or opposite it", () => {
    const go = createTask("yang19.go");
    const rng = Rng.fromSeed(0);
    const trials = [0, 1, 2].map(() => go.sampleTrial(rng, { conditions: { groundTruth: 3 } }));
    expect(trials.map((t) => t.info.conditions["modality"])).toEqual([1, 0, 1]);
    const tr = trials[0]!;
    expect(tr.info.nSteps).toBe(15);
    const stim = row(tr.ob, 5);
    expect(stim[0]).toBe(1); // the fixation cue stays on until the decision
    expect(stim.slice(1, 17).every((v) => v === 0)).toBe(true);
    expect(stim[17 + 3]).toBeCloseTo(0.8, 6);
    expect(Array.from(tr.gt)).toEqual([...Array(10).fill(0), ...Array(5).fill(4)]);
    const anti = createTask("yang19.anti").sampleTrial(Rng.fromSeed(0), {
      conditions: { groundTruth: 3, modality: 0 },
    });
    expect(row(anti.ob, 5)[1 + 11]).toBeCloseTo(0.8, 6);
    expect(anti.gt[14]).toBe(4);
    const rt = createTask("yang19.rtgo").sampleTrial(Rng.fromSeed(0), {
      conditions: { groundTruth: 3, modality: 0 },
    });
    expect(rt.info.nSteps).toBe(10);
    expect(row(rt.ob, 5)[0]).toBe(0);
    expect(row(rt.ob, 5)[1 + 3]).toBeCloseTo(0.8, 6);
    expect(createTask("yang19.dlygo").sampleTrial(Rng.fromSeed(0)).info.nSteps).toBe(20);
  });

  it("dm: two bumps scaled 0.5 ± coh/2 in noise, the answer the stronger; dm1 alone has stimulus {200, 400, 600}", () => {
    const c = { theta1: 2, theta2: 9, coh1Mod1: 0.66, coh2Mod1: 0.34, coh1Mod2: 0, coh2Mod2: 0, jitter: 0 };
    const tr = createTask("yang19.dm1").sampleTrial(Rng.fromSeed(0), { conditions: c, noise: false });
    const s = tr.info.periods["stimulus"]!;
    const x = row(tr.ob, s.start);
    expect(x[0]).toBe(0); // NeuroGym 2.2: the fixation cue in the fixation period only
    expect(x[1 + 2]).toBeCloseTo(0.8 * 0.66 + gaussianBump((2 * Math.PI * 9) / 16, 16, 0.34)[2]!, 6);
    expect(tr.info.conditions["groundTruth"]).toBe(2);
    expect(tr.gt[tr.info.nSteps - 1]).toBe(3);
    expect(createTask("yang19.dm1").params.timing["stimulus"]).toEqual([200, 400, 600]);
    expect(createTask("yang19.dm2").params.timing["stimulus"]).toBe(500);
    // ctxdm2 weighs only modality 2; the same strengths in modality 1 do not count.
    const ctx = createTask("yang19.ctxdm2").sampleTrial(Rng.fromSeed(0), {
      conditions: { ...c, coh1Mod2: 0.42, coh2Mod2: 0.58 },
      noise: false,
    });
    expect(ctx.info.conditions["groundTruth"]).toBe(9);
  });

  it("dly dm: strengths from {0.3, 0.6, 1.0}, different in each modality, one per stimulus period", () => {
    const task = createTask("yang19.multidlydm");
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 50; i++) {
      const c = task.sampleTrial(rng).info.conditions;
      expect(c["coh1Mod1"]).not.toBe(c["coh2Mod1"]);
      expect([0.3, 0.6, 1]).toContain(c["coh1Mod2"]);
    }
  });

  it("matching: go to the test only on match (dms) or non-match (dnms); categories split the ring at index 8", () => {
    const dms = createTask("yang19.dms");
    const go = dms.sampleTrial(Rng.fromSeed(0), { conditions: { groundTruth: "match", sample: 5, test: 5 } });
    expect(go.gt[go.info.nSteps - 1]).toBe(6);
    const nogo = createTask("yang19.dnms").sampleTrial(Rng.fromSeed(0), {
      conditions: { groundTruth: "match" },
    });
    expect(Array.from(nogo.gt).every((g) => g === 0)).toBe(true);
    const dmc = createTask("yang19.dmc");
    const rng = Rng.fromSeed(2);
    for (let i = 0; i < 200; i++) {
      const c = dmc.sampleTrial(rng).info.conditions as { groundTruth: string; sample: number; test: number };
      const same = (c.sample > 8 ? 1 : 0) === (c.test >= 8 ? 1 : 0);
      expect(same).toBe(c.groundTruth === "match");
    }
  });

  it("the fixation cue: NeuroGym 2.2's per family by default; fixationCue: untilDecision keeps it on until the decision in all 20", () => {
    // The cue over a whole noiseless trial, as the step at which it goes off for good.
    const cueEnd = (
      name: string,
      options: Record<string, unknown>,
    ): { off: number; fixationEnd: number; decision: number } => {
      const tr = createTask(`yang19.${name}`, options).sampleTrial(Rng.fromSeed(5), { noise: false });
      const cue = Array.from({ length: tr.info.nSteps }, (_, t) => row(tr.ob, t)[0]);
      const off = cue.indexOf(0);
      expect(cue.slice(0, off).every((v) => v === 1) && cue.slice(off).every((v) => v === 0)).toBe(true);
      return {
        off,
        fixationEnd: tr.info.periods["fixation"]!.end,
        decision: tr.info.periods["decision"]!.start,
      };
    };
    const reach = ["go", "rtgo", "dlygo", "anti", "rtanti", "dlyanti"];
    for (const name of yang19TaskNames) {
      const byDefault = cueEnd(name, {});
      expect(byDefault.off).toBe(reach.includes(name) ? byDefault.decision : byDefault.fixationEnd);
      const kept = cueEnd(name, { fixationCue: "untilDecision" });
      expect(kept.off).toBe(kept.decision);
      const fixationOnly = cueEnd(name, { fixationCue: "fixation" });
      expect(fixationOnly.off).toBe(fixationOnly.fixationEnd);
    }
    // The tasks with a period between fixation and decision are the ones the option changes.
    expect(cueEnd("dlydm1", {}).off).toBeLessThan(cueEnd("dlydm1", { fixationCue: "untilDecision" }).off);
    expect(() => createTask("yang19.dms", { fixationCue: "always" })).toThrow(
      /yang19\.dms: fixationCue must be one of "fixation", "untilDecision", got "always"/,
    );
    const all = createTask("yang19", { fixationCue: "untilDecision" });
    const rng = Rng.fromSeed(6);
    for (let i = 0; i < 40; i++) {
      const tr = all.sampleTrial(rng, { noise: false });
      const decision = tr.info.periods["decision"]!.start;
      const cue = Array.from({ length: tr.info.nSteps }, (_, t) => row(tr.ob, t, 53)[0]);
      expect(cue).toEqual(cue.map((_, t) => (t < decision ? 1 : 0)));
    }
  });

  it("a withheld no-go response scores 0 as in NeuroGym, 1 with scoreNoGoTrials", () => {
    for (const [score, expected] of [
      [false, 0],
      [true, 1],
    ] as const) {
      const env = new TaskEnv(createTask("yang19.dnms", { scoreNoGoTrials: score }), Rng.fromSeed(3), {
        noise: false,
      });
      env.reset({ noStep: true });
      while (env.trial.info.conditions["groundTruth"] !== "match") {
        for (let t = 0; t < 32; t++) env.step(0);
      }
      let r = env.step(0);
      for (let t = 1; t < 32; t++) r = env.step(0);
      expect(r.info).toMatchObject({ newTrial: true, performance: expected });
    }
  });

  it("the environment interleaves the tasks by NeuroGym's random schedule (never twice in a row), rule input on", () => {
    const env = yang19({ dtMs: 100 });
    const rng = Rng.fromSeed(4);
    const seq = Array.from({ length: 400 }, () => env.sampleTrial(rng));
    const idx = seq.map((t) => t.info.conditions["envIndex"] as number);
    expect(idx.every((v, i) => i === 0 || v !== idx[i - 1])).toBe(true);
    expect(new Set(idx).size).toBe(20);
    for (const t of seq.slice(0, 20)) {
      const r = row(t.ob, 0, 53).slice(33);
      expect(r.indexOf(1)).toBe(t.info.conditions["envIndex"]);
      expect(r.reduce((a, v) => a + v, 0)).toBe(1);
    }
  });
});
