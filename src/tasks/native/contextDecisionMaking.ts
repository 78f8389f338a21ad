import { range } from "../channels.ts";
import { sharedRing, sharedRingAngles } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { truncatedExponential } from "../timing.ts";
import { requireInteger, requireNonNegative, requireOneOf } from "../validate.ts";
import type { ChannelMap } from "../channels.ts";

/** Options of {@link ContextDecisionMaking}. */
export interface ContextDecisionMakingParams extends BaseParams {
  /** Signal the relevant modality on two context channels and draw it per trial. */
  readonly useExplContext: boolean;
  /** The fixed relevant modality (0 or 1) when the context is implicit. */
  readonly implContextModality: number;
  readonly dimRing: number;
  readonly cohs: readonly number[];
  readonly sigma: number;
  readonly abort: boolean;
}

/** Conditions: `groundTruth`/`otherChoice` are actions 1..dimRing; `context` the relevant modality. */
export type ContextDecisionMakingConditions = {
  readonly groundTruth: number;
  readonly otherChoice: number;
  readonly context: number;
  readonly coh1: number;
  readonly coh2: number;
};

/**
 * Context-dependent integration: two noisy ring stimuli (modalities) point to possibly different
 * choices; report the one the context selects. Context channels (explicit mode) stay on the
 * whole trial.
 *
 * Obs `[fixation, mod1×dimRing, mod2×dimRing(, context1, context2)]`; actions `[fixation, choice×dimRing]`.
 *
 * Reference: Mante, Sussillo, Shenoy & Newsome (2013), "Context-dependent computation by recurrent
 * dynamics in prefrontal cortex", Nature 503:78.
 */
export const ContextDecisionMaking: TaskSpec<ContextDecisionMakingParams, ContextDecisionMakingConditions> = {
  name: "ContextDecisionMaking",
  summary: "Integrate the modality the context selects and ignore the other.",
  reference: {
    authors: "Mante, Sussillo, Shenoy & Newsome",
    year: 2013,
    title: "Context-dependent computation by recurrent dynamics in prefrontal cortex",
    venue: "Nature 503:78",
    link: "https://www.nature.com/articles/nature12742",
  },
  tags: ["perceptual", "context dependent", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 300, stimulus: 750, delay: truncatedExponential(600, 300, 3000), decision: 100 },
    rewards: { abort: -0.1, correct: 1 },
    useExplContext: false,
    implContextModality: 0,
    dimRing: 2,
    cohs: [5, 15, 50],
    sigma: 1,
    abort: false,
  },
  layout(p) {
    const r = p.dimRing;
    const observation: Record<string, number | number[]> = {
      fixation: 0,
      mod1: range(1, r + 1),
      mod2: range(r + 1, 2 * r + 1),
    };
    for (let i = 0; i < r; i++) {
      observation[`stim${i + 1}_mod1`] = i + 1;
      observation[`stim${i + 1}_mod2`] = i + 1 + r;
    }
    if (p.useExplContext) {
      observation["context1"] = 2 * r + 1;
      observation["context2"] = 2 * r + 2;
    }
    const actions: ChannelMap = { fixation: 0, choice: range(1, r + 1) };
    return { observation, actions };
  },
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
    requireNonNegative(this.name, "sigma", p.sigma);
    requireOneOf(this.name, "implContextModality", p.implContextModality, [0, 1]);
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({
    groundTruth: rng.integer(1, p.dimRing + 1),
    otherChoice: rng.integer(1, p.dimRing + 1),
    context: p.useExplContext ? rng.choice([0, 1]) : p.implContextModality,
    coh1: rng.choice(p.cohs),
    coh2: rng.choice(p.cohs),
  }),
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    const [choice1, choice2] =
      c.context === 1 ? [c.otherChoice, c.groundTruth] : [c.groundTruth, c.otherChoice];
    const sigmaStep = p.sigma / Math.sqrt(p.dtMs);
    b.addPeriods(["fixation", "stimulus", "delay", "decision"]);
    b.addOb(1, "fixation", "fixation");
    b.addOb(sharedRing("coherence", p.dimRing, theta[choice1 - 1] ?? NaN, c.coh1), "stimulus", "mod1");
    b.addOb(sharedRing("coherence", p.dimRing, theta[choice2 - 1] ?? NaN, c.coh2), "stimulus", "mod2");
    b.addNoise(sigmaStep, "stimulus", [...range(1, 2 * p.dimRing + 1)]);
    b.setOb(0, "decision");
    if (p.useExplContext) b.addOb(1, undefined, c.context === 0 ? "context1" : "context2");
    b.setGroundTruth(c.groundTruth, "decision");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
