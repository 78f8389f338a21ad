import { range } from "../channels.ts";
import { sharedRing, sharedRingAngles } from "../ring.ts";
import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { truncatedExponential, uniform } from "../timing.ts";
import { requireInteger, requireNonNegative, requireOneOf } from "../validate.ts";

/** Options of {@link PostDecisionWager}. */
export interface PostDecisionWagerParams extends BaseParams {
  readonly dimRing: number;
  readonly sigma: number;
  /**
   * [quirk] NeuroGym compares the chosen action with the raw choice index (0/1) instead of the
   * choice action (1/2). `"index"` (default) keeps that scoring; `"action"` fixes it.
   */
  readonly choiceComparison: "index" | "action";
}

/** Conditions: whether the sure option is offered, the choice index 0..dimRing-1, the coherence. */
export type PostDecisionWagerConditions = {
  readonly wager: boolean;
  readonly groundTruth: number;
  readonly coh: number;
};

/** The sure-bet reward as a fraction of `correct`. */
const SURE_FRACTION = 0.7;

/**
 * Post-decision wagering: a random-dot stimulus, a delay, then a choice; on half the trials a sure
 * option (worth 0.7 × correct) appears 500–750 ms after stimulus offset. Noise on all channels
 * during the stimulus.
 *
 * Obs `[fixation, stimulus×2, sure]`; actions `[fixation, choice1, choice2, sure]`.
 *
 * Reference: Kiani & Shadlen (2009), "Representation of confidence associated with a decision by
 * neurons in the parietal cortex", Science 324:759.
 */
export const PostDecisionWager: TaskSpec<PostDecisionWagerParams, PostDecisionWagerConditions> = {
  name: "PostDecisionWager",
  summary: "Decide, or take a smaller sure reward when unsure (confidence).",
  reference: {
    authors: "Kiani & Shadlen",
    year: 2009,
    title: "Representation of confidence associated with a decision by neurons in the parietal cortex",
    venue: "Science 324:759",
    link: "https://science.sciencemag.org/content/324/5928/759.long",
  },
  tags: ["perceptual", "delayed response", "confidence"],
  defaults: {
    dtMs: 100,
    timing: {
      fixation: 100,
      stimulus: truncatedExponential(180, 100, 900),
      delay: truncatedExponential(1350, 1200, 1800),
      pre_sure: uniform(500, 750),
      decision: 100,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    dimRing: 2,
    sigma: 1,
    choiceComparison: "index",
  },
  layout: (p) => ({
    observation: { fixation: 0, stimulus: range(1, p.dimRing + 1), sure: p.dimRing + 1 },
    actions: { fixation: 0, choice: range(1, p.dimRing + 1), sure: p.dimRing + 1 },
  }),
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
    requireNonNegative(this.name, "sigma", p.sigma);
    requireOneOf(this.name, "choiceComparison", p.choiceComparison, ["index", "action"]);
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({
    wager: rng.choice([true, false]),
    groundTruth: rng.integer(0, p.dimRing),
    coh: rng.choice([0, 3.2, 6.4, 12.8, 25.6, 51.2]),
  }),
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    b.addPeriods(["fixation", "stimulus", "delay"]);
    if (c.wager) b.addPeriod("pre_sure", { after: "stimulus" });
    b.addPeriod("decision", { after: "delay" });
    b.addOb(1, ["fixation", "stimulus", "delay"], "fixation");
    b.addOb(sharedRing("coherence", p.dimRing, theta[c.groundTruth] ?? NaN, c.coh), "stimulus", "stimulus");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), "stimulus");
    if (c.wager) {
      b.addOb(1, ["delay", "decision"], "sure");
      b.setOb(0, "pre_sure", "sure");
    }
    b.setGroundTruth(c.groundTruth, "decision", "choice");
    return c;
  },
  rl: {
    step(ctx) {
      const { action, params } = ctx;
      const c = ctx.trial.info.conditions;
      if (ctx.inPeriod("fixation")) {
        if (action !== 0) return { reward: reward(params, "abort"), newTrial: abortsTrial(params) };
        return { reward: 0, newTrial: false };
      }
      if (!ctx.inPeriod("decision") || action === 0) return { reward: 0, newTrial: false };
      const sureAction = params.dimRing + 1;
      if (action === sureAction) {
        if (!c.wager) return { reward: reward(params, "abort"), newTrial: true };
        const correct = reward(params, "correct");
        const fail = reward(params, "fail");
        const sure = SURE_FRACTION * correct;
        ctx.performance = (sure - fail) / (correct - fail);
        return { reward: sure, newTrial: true };
      }
      const target = params.choiceComparison === "action" ? c.groundTruth + 1 : c.groundTruth;
      if (action === target) {
        ctx.performance = 1;
        return { reward: reward(params, "correct"), newTrial: true };
      }
      return { reward: reward(params, "fail"), newTrial: true };
    },
  },
};
