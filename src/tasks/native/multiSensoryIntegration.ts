import { range } from "../channels.ts";
import { coherenceRing, sharedRingAngles } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireInteger, requireNonNegative, requireNumberList } from "../validate.ts";

/** Options of {@link MultiSensoryIntegration}. */
export interface MultiSensoryIntegrationParams extends BaseParams {
  readonly dimRing: number;
  readonly cohs: readonly number[];
  readonly sigma: number;
}

/** Conditions: `groundTruth` choice index 0..dimRing-1, total `coh` and the share `cohProp` of modality 1. */
export type MultiSensoryIntegrationConditions = {
  readonly groundTruth: number;
  readonly coh: number;
  readonly cohProp: number;
};

/**
 * Multisensory integration: two noisy modalities point to the same answer, with the coherence split
 * between them at random; report the direction. Noise on all channels during the stimulus.
 *
 * Obs `[fixation, mod1×dimRing, mod2×dimRing]`; actions `[fixation, choice×dimRing]`.
 *
 * Reference: none given by NeuroGym (listed without a paper).
 */
export const MultiSensoryIntegration: TaskSpec<
  MultiSensoryIntegrationParams,
  MultiSensoryIntegrationConditions
> = {
  name: "MultiSensoryIntegration",
  summary: "Combine evidence split across two modalities into one decision.",
  reference: null,
  tags: ["perceptual", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 300, stimulus: 750, decision: 100 },
    rewards: { abort: -0.1, correct: 1 },
    dimRing: 2,
    cohs: [5, 15, 50],
    sigma: 1,
  },
  layout: (p) => ({
    observation: {
      fixation: 0,
      stimulus_mod1: range(1, p.dimRing + 1),
      stimulus_mod2: range(p.dimRing + 1, 2 * p.dimRing + 1),
    },
    actions: { fixation: 0, choice: range(1, p.dimRing + 1) },
  }),
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
    requireNumberList(this.name, "cohs", p.cohs);
    requireNonNegative(this.name, "sigma", p.sigma);
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({
    groundTruth: rng.integer(0, p.dimRing),
    coh: rng.choice(p.cohs),
    cohProp: rng.uniform(),
  }),
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    const phi = theta[c.groundTruth] ?? NaN;
    b.addPeriods(["fixation", "stimulus", "decision"]);
    b.addOb(1, undefined, "fixation");
    b.addOb(coherenceRing(theta, phi, c.coh * c.cohProp), "stimulus", "stimulus_mod1");
    b.addOb(coherenceRing(theta, phi, c.coh * (1 - c.cohProp)), "stimulus", "stimulus_mod2");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), "stimulus");
    b.setOb(0, "decision");
    b.setGroundTruth(c.groundTruth, "decision", "choice");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
