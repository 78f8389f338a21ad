import { productionReward, reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { sampleDuration, truncatedExponential } from "../timing.ts";
import { requireNonNegative } from "../validate.ts";

/** Options of {@link OneTwoThreeGo}. */
export interface OneTwoThreeGoParams extends BaseParams {
  readonly prodMargin: number;
}

/** Conditions: the interval between pulses (ms, floored to dt). */
export type OneTwoThreeGoConditions = { readonly interval: number };

/**
 * Interval reproduction from two samples: three 100-ms pulses separated by the same interval; respond
 * one interval after the third. The fixation channel stays on the whole trial and the target
 * channel from the end of fixation on (as in NeuroGym).
 *
 * Obs `[fixation, stimulus, target]`; actions `[fixation, go]`; gt is 1 during `response`.
 *
 * Reference: Egger, Remington, Chang & Jazayeri (2019), "Internal models of sensorimotor integration
 * regulate cortical dynamics", Nat Neurosci 22:1871.
 */
export const OneTwoThreeGo: TaskSpec<OneTwoThreeGoParams, OneTwoThreeGoConditions> = {
  name: "OneTwoThreeGo",
  summary: "Measure an interval from three pulses and reproduce it after the third.",
  reference: {
    authors: "Egger, Remington, Chang & Jazayeri",
    year: 2019,
    title: "Internal models of sensorimotor integration regulate cortical dynamics",
    venue: "Nat Neurosci 22:1871",
    link: "https://www.nature.com/articles/s41593-019-0500-6",
  },
  tags: ["timing", "go-no-go", "supervised"],
  defaults: {
    dtMs: 80,
    timing: {
      fixation: truncatedExponential(400, 100, 800),
      target: truncatedExponential(1000, 500, 1500),
      s1: 100,
      interval1: [600, 700, 800, 900, 1000],
      s2: 100,
      s3: 100,
      response: 1000,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    prodMargin: 0.2,
  },
  layout: () => ({
    observation: { fixation: 0, stimulus: 1, target: 2 },
    actions: { fixation: 0, go: 1 },
  }),
  validate(p) {
    requireNonNegative(this.name, "prodMargin", p.prodMargin);
  },
  responsePeriods: () => ["interval3", "response"],
  draw: (rng, p) => ({ interval: sampleDuration(p.timing["interval1"] ?? 0, rng, p.dtMs, 0, "interval1") }),
  build(b, c) {
    b.addPeriods(["fixation", "target", "s1"]);
    b.addPeriod("interval1", { durationMs: c.interval, after: "s1" });
    b.addPeriod("s2", { after: "interval1" });
    b.addPeriod("interval2", { durationMs: c.interval, after: "s2" });
    b.addPeriod("s3", { after: "interval2" });
    b.addPeriod("interval3", { durationMs: c.interval, after: "s3" });
    b.addPeriod("response", { after: "interval3" });
    b.addOb(1, undefined, "fixation");
    b.addOb(1, ["s1", "s2", "s3"], "stimulus");
    b.addOb(1, undefined, "target");
    b.setOb(0, "fixation", "target");
    b.setGroundTruth(1, "response");
    return c;
  },
  rl: {
    step(ctx) {
      if (ctx.inPeriod("interval3") || ctx.inPeriod("response")) {
        if (ctx.action !== 1) return { reward: 0, newTrial: false };
        const produced = ctx.tMs - (ctx.trial.info.periods["s3"]?.endMs ?? 0);
        const target = ctx.trial.info.conditions.interval;
        return { reward: productionReward(ctx, produced, target, ctx.params.prodMargin), newTrial: true };
      }
      if (ctx.action !== 0) return { reward: reward(ctx.params, "abort"), newTrial: abortsTrial(ctx.params) };
      return { reward: 0, newTrial: false };
    },
  },
};
