import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, RlRule, TaskSpec } from "../spec.ts";

/** Options of {@link GoNogo}. */
export interface GoNogoParams extends BaseParams {
  /**
   * [quirk] NeuroGym sets a no-go trial's performance to 1 and then resets it to 0 when the trial
   * starts, so withheld responses never score. `false` (default) keeps that; `true` scores a no-go
   * trial 1 unless the agent goes during the decision period.
   */
  readonly scoreNoGoTrials: boolean;
}

/** Conditions: `groundTruth` 0 = no-go, 1 = go (also the target action). */
export type GoNogoConditions = { readonly groundTruth: number };

/**
 * Rule for go/no-go tasks: going in the decision period scores `correct` on go trials and `fail`
 * (performance 0) on no-go trials; a go trial that times out costs `miss`.
 */
export function goNogoRule<P extends BaseParams & { readonly scoreNoGoTrials: boolean }>(): RlRule<
  P,
  GoNogoConditions
> {
  return {
    step(ctx) {
      if (ctx.inPeriod("fixation")) {
        if (ctx.action !== 0)
          return { reward: reward(ctx.params, "abort"), newTrial: abortsTrial(ctx.params) };
      } else if (ctx.inPeriod("decision") && ctx.action !== 0) {
        ctx.performance = ctx.gtNow !== 0 ? 1 : 0;
        return { reward: reward(ctx.params, ctx.gtNow !== 0 ? "correct" : "fail"), newTrial: true };
      }
      return { reward: 0, newTrial: false };
    },
    rTmax: (trial, p) => reward(p, "miss") * trial.info.conditions.groundTruth,
    initialPerformance: (trial, p) => (p.scoreNoGoTrials ? 1 - trial.info.conditions.groundTruth : 0),
  };
}

/**
 * Delayed go/no-go: a go or no-go cue, a delay, then respond (go) only on go trials. No noise;
 * with the defaults a trial is 15 steps.
 *
 * Obs `[fixation, nogo, go]`; actions `[fixation, go]`.
 *
 * Reference (as cited by NeuroGym, which notes the original go/no-go paper is still to be found):
 * Zhang et al. (2019), "Active information maintenance in working memory by a sensory cortex", eLife 8:e43191.
 */
export const GoNogo: TaskSpec<GoNogoParams, GoNogoConditions> = {
  name: "GoNogo",
  summary: "Respond after a delay to go cues and withhold the response to no-go cues.",
  reference: {
    authors: "Zhang et al.",
    year: 2019,
    title: "Active information maintenance in working memory by a sensory cortex",
    venue: "eLife 8:e43191",
    link: "https://elifesciences.org/articles/43191",
  },
  tags: ["delayed response", "go-no-go", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 0, stimulus: 500, delay: 500, decision: 500 },
    rewards: { abort: -0.1, correct: 1, fail: -0.5, miss: -0.5 },
    scoreNoGoTrials: false,
  },
  layout: () => ({
    observation: { fixation: 0, nogo: 1, go: 2 },
    actions: { fixation: 0, go: 1 },
  }),
  responsePeriods: () => ["decision"],
  draw: (rng) => ({ groundTruth: rng.choice([0, 1]) }),
  build(b, c) {
    b.addPeriods(["fixation", "stimulus", "delay", "decision"]);
    b.addOb(1, undefined, "fixation");
    b.addOb(1, "stimulus", c.groundTruth + 1);
    b.setOb(0, "decision");
    b.setGroundTruth(c.groundTruth, "decision");
    return c;
  },
  rl: goNogoRule(),
};
