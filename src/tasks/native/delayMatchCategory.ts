import { ValueError } from "../../base/errors.ts";
import { range } from "../channels.ts";
import { matchRing, sharedRingAngles } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireInteger, requireNonNegative } from "../validate.ts";

/** Options of {@link DelayMatchCategory}. */
export interface DelayMatchCategoryParams extends BaseParams {
  readonly sigma: number;
  readonly dimRing: number;
}

/**
 * Conditions: `groundTruth` is `"match"` or `"non-match"`; categories 0 = [0, π), 1 = [π, 2π); the
 * sample and test directions (radians) lie in the sample's category and in the test's (the
 * sample's when they match, the other otherwise).
 */
export type DelayMatchCategoryConditions = {
  readonly groundTruth: "match" | "non-match";
  readonly sampleCategory: number;
  readonly sampleTheta: number;
  readonly testTheta: number;
};

const testCategoryOf = (c: Pick<DelayMatchCategoryConditions, "groundTruth" | "sampleCategory">) =>
  c.groundTruth === "match" ? c.sampleCategory : 1 - c.sampleCategory;

/**
 * Delayed match-to-category: a sample direction from one half of the circle, a delay, then a test;
 * report during the test whether both fall in the same half. The response is given during `test`
 * (there is no separate decision period); with the defaults a trial is 27 steps.
 *
 * Obs `[fixation, stimulus×dimRing]`; actions `[fixation, match, non-match]`.
 *
 * Reference: Freedman & Assad (2006), "Experience-dependent representation of visual categories in
 * parietal cortex", Nature 443:85.
 */
export const DelayMatchCategory: TaskSpec<DelayMatchCategoryParams, DelayMatchCategoryConditions> = {
  name: "DelayMatchCategory",
  summary: "Remember the category of a sample and report whether a test shares it.",
  reference: {
    authors: "Freedman & Assad",
    year: 2006,
    title: "Experience-dependent representation of visual categories in parietal cortex",
    venue: "Nature 443:85",
    link: "https://www.nature.com/articles/nature05078",
  },
  tags: ["perceptual", "working memory", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 500, sample: 650, first_delay: 1000, test: 650 },
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
  responsePeriods: () => ["test"],
  // NeuroGym's order of draws: ground truth, category, then the two directions in their halves.
  draw(rng, _p, _s, fixed) {
    const drawn = {
      groundTruth: rng.choice(["match", "non-match"] as const),
      sampleCategory: rng.choice([0, 1]),
    };
    const c = { ...drawn, ...fixed };
    const sampleTheta = (c.sampleCategory + rng.uniform()) * Math.PI;
    const testTheta = (testCategoryOf(c) + rng.uniform()) * Math.PI;
    return { ...drawn, sampleTheta, testTheta };
  },
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    const { sampleTheta, testTheta } = c;
    for (const [name, angle, category] of [
      ["sampleTheta", sampleTheta, c.sampleCategory],
      ["testTheta", testTheta, testCategoryOf(c)],
    ] as const) {
      if (!(angle >= category * Math.PI && angle < (category + 1) * Math.PI)) {
        throw new ValueError(
          `DelayMatchCategory.sampleTrial: condition ${name} must lie in category ${category}, [${category}π, ${category + 1}π), got ${angle}`,
        );
      }
    }
    b.addPeriods(["fixation", "sample", "first_delay", "test"]);
    b.addOb(1, undefined, "fixation");
    b.setOb(0, "test", "fixation");
    b.addOb(matchRing(theta, sampleTheta), "sample", "stimulus");
    b.addOb(matchRing(theta, testTheta), "test", "stimulus");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), ["sample", "test"], "stimulus");
    b.setGroundTruth(c.groundTruth === "match" ? 1 : 2, "test");
    return c;
  },
  rl: responseRule({ response: ["test"], abortIn: ["fixation"] }),
};
