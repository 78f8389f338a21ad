import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireNonNegative } from "../validate.ts";

/** Options of {@link DualDelayMatchSample}. */
export interface DualDelayMatchSampleParams extends BaseParams {
  readonly sigma: number;
}

/** Conditions: per item, match (1) or non-match (2), its sample (0 or 0.5), and the test order. */
export type DualDelayMatchSampleConditions = {
  readonly groundTruth1: number;
  readonly groundTruth2: number;
  readonly sample1: number;
  readonly sample2: number;
  readonly testOrder: number;
};

/**
 * Two-item delayed match-to-sample with retro-cues: two samples, then a cue names the item tested
 * next; report match / non-match in each test. Items are `(cos πx, sin πx)`; noise on all channels
 * during sample and tests; 40 steps with the defaults.
 *
 * Obs `[fixation, stimulus1×2, stimulus2×2, cue1, cue2]`; actions `[fixation, match, non-match]`.
 *
 * Reference: Rose, LaRocque, Riggall, Gosseries, Starrett, Meyering & Postle (2016), "Reactivation of
 * latent working memories with transcranial magnetic stimulation", Science 354:1136.
 */
export const DualDelayMatchSample: TaskSpec<DualDelayMatchSampleParams, DualDelayMatchSampleConditions> = {
  name: "DualDelayMatchSample",
  summary: "Hold two items; a retro-cue says which one the next test probes.",
  reference: {
    authors: "Rose, LaRocque, Riggall, Gosseries, Starrett, Meyering & Postle",
    year: 2016,
    title: "Reactivation of latent working memories with transcranial magnetic stimulation",
    venue: "Science 354:1136",
    link: "https://science.sciencemag.org/content/354/6316/1136",
  },
  tags: ["perceptual", "working memory", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: {
      fixation: 500,
      sample: 500,
      delay1: 500,
      cue1: 500,
      test1: 500,
      delay2: 500,
      cue2: 500,
      test2: 500,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    sigma: 1,
  },
  layout: () => ({
    observation: { fixation: 0, stimulus1: [1, 2], stimulus2: [3, 4], cue1: 5, cue2: 6 },
    actions: { fixation: 0, match: 1, "non-match": 2 },
  }),
  validate(p) {
    requireNonNegative(this.name, "sigma", p.sigma);
  },
  responsePeriods: () => ["test1", "test2"],
  draw: (rng) => ({
    groundTruth1: rng.choice([1, 2]),
    groundTruth2: rng.choice([1, 2]),
    sample1: rng.choice([0, 0.5]),
    sample2: rng.choice([0, 0.5]),
    testOrder: rng.choice([0, 1]),
  }),
  build(b, c, p) {
    const item = (x: number): number[] => [Math.cos(Math.PI * x), Math.sin(Math.PI * x)];
    const test1 = c.groundTruth1 === 1 ? c.sample1 : 0.5 - c.sample1;
    const test2 = c.groundTruth2 === 1 ? c.sample2 : 0.5 - c.sample2;
    const [t1, t2] = c.testOrder === 0 ? ["test1", "test2"] : ["test2", "test1"];
    const [q1, q2] = c.testOrder === 0 ? ["cue1", "cue2"] : ["cue2", "cue1"];
    b.addPeriods(["fixation", "sample", "delay1", "cue1", "test1", "delay2", "cue2", "test2"]);
    b.addOb(1, undefined, "fixation");
    b.addOb(item(c.sample1), "sample", "stimulus1");
    b.addOb(item(c.sample2), "sample", "stimulus2");
    b.addOb(1, q1, "cue1");
    b.addOb(1, q2, "cue2");
    b.addOb(item(test1), t1, "stimulus1");
    b.addOb(item(test2), t2, "stimulus2");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), ["sample", "test1", "test2"]);
    b.setGroundTruth(c.groundTruth1, t1);
    b.setGroundTruth(c.groundTruth2, t2);
    return c;
  },
  rl: {
    step(ctx) {
      const { action, params } = ctx;
      const inTest1 = ctx.inPeriod("test1");
      if (inTest1 || ctx.inPeriod("test2")) {
        if (action === 0) return { reward: 0, newTrial: false };
        const correct = action === ctx.gtNow;
        if (correct) ctx.performance = 1;
        return { reward: reward(params, correct ? "correct" : "fail"), newTrial: !inTest1 };
      }
      if (action !== 0) return { reward: reward(params, "abort"), newTrial: abortsTrial(params) };
      return { reward: 0, newTrial: false };
    },
  },
};
