import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireNonNegative } from "../validate.ts";

/** Options of {@link PerceptualDecisionMakingDelayResponse}. */
export interface PerceptualDecisionMakingDelayResponseParams extends BaseParams {
  /** Multiplies the coherences [0, 6.4, 12.8, 25.6, 51.2] (difficulty). */
  readonly stimScale: number;
  readonly sigma: number;
}

/** Conditions: `groundTruth` is the action 1 or 2; `coh` already scaled. */
export type PerceptualDecisionMakingDelayResponseConditions = {
  readonly groundTruth: number;
  readonly coh: number;
};

const COHS = [0, 6.4, 12.8, 25.6, 51.2];

/**
 * Perceptual decision with a delayed response: two stimulus channels `(1 ± coh/100)/2` plus noise,
 * then a variable delay, then a 1.5-s response window.
 *
 * Obs `[fixation, s1, s2]`; actions `[fixation, choice1, choice2]`.
 *
 * Reference: Inagaki, Fontolan, Romani & Svoboda (2019), "Discrete attractor dynamics underlies
 * persistent activity in the frontal cortex", Nature 566:212.
 */
export const PerceptualDecisionMakingDelayResponse: TaskSpec<
  PerceptualDecisionMakingDelayResponseParams,
  PerceptualDecisionMakingDelayResponseConditions
> = {
  name: "PerceptualDecisionMakingDelayResponse",
  summary: "Discriminate two noisy stimuli and hold the decision through a variable delay.",
  reference: {
    authors: "Inagaki, Fontolan, Romani & Svoboda",
    year: 2019,
    title: "Discrete attractor dynamics underlies persistent activity in the frontal cortex",
    venue: "Nature 566:212",
    link: "https://www.nature.com/articles/s41586-019-0919-7",
  },
  tags: ["perceptual", "delayed response", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: {
      fixation: 0,
      stimulus: 1150,
      delay: [300, 500, 700, 900, 1200, 2000, 3200, 4000],
      decision: 1500,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    stimScale: 1,
    sigma: 1,
  },
  layout: () => ({
    observation: { fixation: 0, stimulus: [1, 2] },
    actions: { fixation: 0, choice: [1, 2] },
  }),
  validate(p) {
    requireNonNegative(this.name, "stimScale", p.stimScale);
    requireNonNegative(this.name, "sigma", p.sigma);
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({ groundTruth: rng.choice([1, 2]), coh: rng.choice(COHS) * p.stimScale }),
  build(b, c, p) {
    b.addPeriods(["fixation", "stimulus", "delay", "decision"]);
    b.setOb([1, 0, 0], "fixation");
    const hi = (1 + c.coh / 100) / 2;
    const lo = (1 - c.coh / 100) / 2;
    b.setOb([1, c.groundTruth === 1 ? hi : lo, c.groundTruth === 2 ? hi : lo], "stimulus");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), "stimulus", "stimulus");
    b.setOb([1, 0, 0], "delay");
    b.setGroundTruth(c.groundTruth, "decision");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
