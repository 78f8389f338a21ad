import { range } from "../channels.ts";
import { cosineRing, sharedRingAngles } from "../ring.ts";
import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";

/** Options of {@link DelayMatchSampleDistractor1D}. */
export type DelayMatchSampleDistractor1DParams = BaseParams;

/** Conditions: `groundTruth` ∈ {1, 2, 3} is the test that matches; angles in radians. */
export type DelayMatchSampleDistractor1DConditions = {
  readonly groundTruth: number;
  readonly sample: number;
  readonly test1: number;
  readonly test2: number;
  readonly test3: number;
};

const TESTS = ["test1", "test2", "test3"] as const;

/**
 * Delayed match-to-sample with distractors: a sample direction, then three tests separated by
 * delays; exactly one test matches and the agent must respond (action 1) only then. Stimuli are
 * `cos(θ_k − θ)` on a 32-unit ring, without noise.
 *
 * Obs `[fixation, stimulus×32]`; actions `[fixation, match]`.
 *
 * Reference: Miller, Erickson & Desimone (1996), "Neural mechanisms of visual working memory in
 * prefrontal cortex of the macaque", J Neurosci 16:5154.
 */
export const DelayMatchSampleDistractor1D: TaskSpec<
  DelayMatchSampleDistractor1DParams,
  DelayMatchSampleDistractor1DConditions
> = {
  name: "DelayMatchSampleDistractor1D",
  summary: "Respond only to the test that matches a remembered sample, ignoring distractors.",
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
    timing: {
      fixation: 300,
      sample: 500,
      delay1: 1000,
      test1: 500,
      delay2: 1000,
      test2: 500,
      delay3: 1000,
      test3: 500,
    },
    rewards: { abort: -0.1, correct: 1, fail: -1 },
  },
  layout: () => ({
    observation: { fixation: 0, stimulus: range(1, 33) },
    actions: { fixation: 0, match: 1 },
  }),
  responsePeriods: () => [...TESTS],
  draw(rng) {
    const groundTruth = rng.choice([1, 2, 3]);
    const sample = rng.uniformIn(0, 2 * Math.PI);
    const t = [1, 2, 3].map((i) => (i === groundTruth ? sample : rng.uniformIn(0, 2 * Math.PI)));
    return { groundTruth, sample, test1: t[0] as number, test2: t[1] as number, test3: t[2] as number };
  },
  build(b, c) {
    const theta = sharedRingAngles(32);
    b.addPeriods(["fixation", "sample", "delay1", "test1", "delay2", "test2", "delay3", "test3"]);
    b.addOb(1, "fixation", "fixation");
    for (const p of ["sample", ...TESTS] as const) b.addOb(cosineRing(theta, c[p]), p, "stimulus");
    b.setGroundTruth(1, `test${c.groundTruth}`);
    return c;
  },
  rl: {
    step(ctx) {
      const { action, params } = ctx;
      if ((ctx.inPeriod("fixation") || ctx.inPeriod("sample")) && action !== 0) {
        return { reward: reward(params, "abort"), newTrial: abortsTrial(params) };
      }
      if (!ctx.inPeriod(`test${ctx.trial.info.conditions.groundTruth}`)) {
        if (action !== 0) return { reward: reward(params, "fail"), newTrial: true };
        return { reward: 0, newTrial: false };
      }
      if (action === 1) {
        ctx.performance = 1;
        return { reward: reward(params, "correct"), newTrial: true };
      }
      return { reward: 0, newTrial: false };
    },
  },
};
