import { range } from "../channels.ts";
import { sharedRing, sharedRingAngles, wrapAngle } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireInteger } from "../validate.ts";

/** The periods of a trial, in order, and the one scored (made once, not per trial; trials log it). */
const PERIODS = ["fixation", "stimulus", "delay", "decision"] as const;
const RESPONSE = Object.freeze(["decision"] as const);
/** The periods the fixation cue is shown in (until the decision). */
const CUE_PERIODS = ["fixation", "stimulus", "delay"] as const;

/** Options of {@link AntiReach}. */
export interface AntiReachParams extends BaseParams {
  /** Respond opposite to the stimulus (anti) or towards it (pro). */
  readonly anti: boolean;
  readonly dimRing: number;
}

/** Conditions: `groundTruth` is the response direction index 0..dimRing-1 (action `groundTruth + 1`). */
export type AntiReachConditions = { readonly groundTruth: number; readonly anti: boolean };

/**
 * Anti-reach (anti-saccade): a stimulus `cos(θ_k − θ)` appears on a ring; after it, reach to the
 * opposite direction (or the same one in pro mode). No noise; 15 steps with the defaults.
 *
 * Obs `[fixation, stimulus×dimRing]`; actions `[fixation, choice×dimRing]`.
 *
 * Reference: Munoz & Everling (2004), "Look away: the anti-saccade task and the voluntary control of
 * eye movement", Nat Rev Neurosci 5:218.
 */
export const AntiReach: TaskSpec<AntiReachParams, AntiReachConditions> = {
  name: "AntiReach",
  summary: "Reach away from (or towards) a briefly shown target.",
  reference: {
    authors: "Munoz & Everling",
    year: 2004,
    title: "Look away: the anti-saccade task and the voluntary control of eye movement",
    venue: "Nat Rev Neurosci 5:218",
    link: "https://www.nature.com/articles/nrn1345",
  },
  tags: ["perceptual", "steps action space"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 500, stimulus: 500, delay: 0, decision: 500 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    anti: true,
    dimRing: 32,
  },
  layout: (p) => ({
    observation: { fixation: 0, stimulus: range(1, p.dimRing + 1) },
    actions: { fixation: 0, choice: range(1, p.dimRing + 1) },
  }),
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
  },
  responsePeriods: () => RESPONSE,
  draw: (rng, p) => ({ groundTruth: rng.integer(0, p.dimRing), anti: p.anti }),
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    const phi = theta[c.groundTruth] ?? NaN;
    b.addPeriods(PERIODS);
    b.addOb(1, CUE_PERIODS, "fixation");
    b.addOb(sharedRing("cosine", p.dimRing, c.anti ? wrapAngle(phi + Math.PI) : phi), "stimulus", "stimulus");
    b.setGroundTruth(c.groundTruth, "decision", "choice");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
