import { range } from "../channels.ts";
import { matchRing, sharedRingAngles, wrapAngle } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireInteger, requireNonNegative } from "../validate.ts";
import { merged } from "../merge.ts";

/** Options of {@link DelayMatchSample}. */
export interface DelayMatchSampleParams extends BaseParams {
  readonly sigma: number;
  readonly dimRing: number;
}

/** Conditions: `groundTruth` 1 = match, 2 = non-match; angles in radians. */
export type DelayMatchSampleConditions = {
  readonly groundTruth: number;
  readonly sampleTheta: number;
  readonly testTheta?: number;
};

/**
 * Delayed match-to-sample: a sample direction, a delay, a test direction (the same, or opposite);
 * report match or non-match. Stimuli `0.5 + 0.5·cos(θ_k − θ)` plus noise on the stimulus channels.
 * With the defaults a trial is 32 steps.
 *
 * Obs `[fixation, stimulus×dimRing]`; actions `[fixation, match, non-match]`.
 *
 * Reference: Miller, Erickson & Desimone (1996), "Neural mechanisms of visual working memory in
 * prefrontal cortex of the macaque", J Neurosci 16:5154.
 */
export const DelayMatchSample: TaskSpec<DelayMatchSampleParams, DelayMatchSampleConditions> = {
  name: "DelayMatchSample",
  summary: "Remember a sample through a delay and report whether a test matches it.",
  reference: {
    authors: "Miller, Erickson & Desimone",
    year: 1996,
    title: "Neural mechanisms of visual working memory in prefrontal cortex of the macaque",
    venue: "J Neurosci 16:5154",
    link: "https://www.jneurosci.org/content/jneuro/16/16/5154.full.pdf",
  },
  tags: ["perceptual", "working memory", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 300, sample: 500, delay: 1000, test: 500, decision: 900 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    sigma: 1,
    dimRing: 2,
  },
  layout: (p) => ({
    observation: { fixation: 0, stimulus: range(1, p.dimRing + 1) },
    actions: { fixation: 0, match: 1, "non-match": 2 },
  }),
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
    requireNonNegative(this.name, "sigma", p.sigma);
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({
    groundTruth: rng.choice([1, 2]),
    sampleTheta: rng.choice([...sharedRingAngles(p.dimRing)]),
  }),
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    const testTheta = c.groundTruth === 1 ? c.sampleTheta : wrapAngle(c.sampleTheta + Math.PI);
    b.addPeriods(["fixation", "sample", "delay", "test", "decision"]);
    b.addOb(1, undefined, "fixation");
    b.setOb(0, "decision", "fixation");
    b.addOb(matchRing(theta, c.sampleTheta), "sample", "stimulus");
    b.addOb(matchRing(theta, testTheta), "test", "stimulus");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), ["sample", "test"], "stimulus");
    b.setGroundTruth(c.groundTruth, "decision");
    return merged(c, { testTheta });
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
