import { range } from "../channels.ts";
import { sharedRing, sharedRingAngles } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireInteger, requireNonNegative, requireNumberList, requireOneOf } from "../validate.ts";

/** The periods of a trial, in order, and the one scored (made once, not per trial; trials log it). */
const PERIODS = ["fixation", "stimulus", "delay", "decision"] as const;
const RESPONSE = Object.freeze(["decision"] as const);
/** The periods the fixation cue is shown in (until the decision). */
const CUE_PERIODS = ["fixation", "stimulus", "delay"] as const;

/** Options of {@link PerceptualDecisionMaking}. */
export interface PerceptualDecisionMakingParams extends BaseParams {
  /** Number of choices (ring units). */
  readonly dimRing: number;
  /** Coherences (%) drawn uniformly per trial. */
  readonly cohs: readonly number[];
  /** Input noise; per-step sd is `sigma / sqrt(dtMs)`. */
  readonly sigma: number;
  /** End the trial on a fixation break. */
  readonly abort: boolean;
  /**
   * How long the fixation cue stays on: `"fixation"` (default; NeuroGym today) or
   * `"untilDecision"` (through stimulus and delay, so its offset is the go cue; NeuroGym's earlier
   * releases, which tutorials such as the PyTorch lab ran on).
   */
  readonly fixationCue: "fixation" | "untilDecision";
}

/** Conditions: `groundTruth` is the choice index 0..dimRing-1 (action `groundTruth + 1`). */
export type PerceptualDecisionMakingConditions = { readonly groundTruth: number; readonly coh: number };

/**
 * Two-alternative random-dot motion discrimination: integrate a noisy ring stimulus
 * `0.5 + (coh/200)·cos(θ_k − θ_gt) + N(0, σ²/dt)` and report its direction after the stimulus.
 *
 * Obs `[fixation, stimulus×dimRing]`; actions `[fixation, choice×dimRing]`. With the defaults a
 * trial is 22 steps (fixation 1, stimulus 20, decision 1).
 *
 * Reference: Britten, Shadlen, Newsome & Movshon (1992), "The analysis of visual motion: a comparison
 * of neuronal and psychophysical performance", J Neurosci 12:4745.
 *
 * @example
 * const task = makeTask(PerceptualDecisionMaking, { dtMs: 20, timing: { stimulus: 1000 } });
 * const trial = task.sampleTrial(Rng.fromSeed(0), { conditions: { groundTruth: 0, coh: 51.2 }, noise: false });
 */
export const PerceptualDecisionMaking: TaskSpec<
  PerceptualDecisionMakingParams,
  PerceptualDecisionMakingConditions
> = {
  name: "PerceptualDecisionMaking",
  summary: "Integrate a noisy motion stimulus and report its direction (2AFC).",
  reference: {
    authors: "Britten, Shadlen, Newsome & Movshon",
    year: 1992,
    title: "The analysis of visual motion: a comparison of neuronal and psychophysical performance",
    venue: "J Neurosci 12:4745",
    link: "https://www.jneurosci.org/content/12/12/4745",
  },
  tags: ["perceptual", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 100, stimulus: 2000, delay: 0, decision: 100 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    dimRing: 2,
    cohs: [0, 6.4, 12.8, 25.6, 51.2],
    sigma: 1,
    abort: false,
    fixationCue: "fixation",
  },
  layout: (p) => ({
    observation: { fixation: 0, stimulus: range(1, p.dimRing + 1) },
    actions: { fixation: 0, choice: range(1, p.dimRing + 1) },
  }),
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
    requireNumberList(this.name, "cohs", p.cohs);
    requireNonNegative(this.name, "sigma", p.sigma);
    requireOneOf(this.name, "fixationCue", p.fixationCue, ["fixation", "untilDecision"]);
  },
  responsePeriods: () => RESPONSE,
  draw: (rng, p) => ({ groundTruth: rng.integer(0, p.dimRing), coh: rng.choice(p.cohs) }),
  build(b, c, p) {
    const theta = sharedRingAngles(p.dimRing);
    b.addPeriods(PERIODS);
    b.addOb(1, p.fixationCue === "fixation" ? "fixation" : CUE_PERIODS, "fixation");
    b.addOb(sharedRing("coherence", p.dimRing, theta[c.groundTruth] ?? NaN, c.coh), "stimulus", "stimulus");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), "stimulus", "stimulus");
    b.setGroundTruth(c.groundTruth, "decision", "choice");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
