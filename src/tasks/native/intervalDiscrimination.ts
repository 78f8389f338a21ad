import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { sampleDuration, uniform } from "../timing.ts";

/** Options of {@link IntervalDiscrimination}. */
export type IntervalDiscriminationParams = BaseParams;

/** Conditions: the two durations (ms, floored) and `groundTruth` 1 if the first is longer, else 2. */
export type IntervalDiscriminationConditions = {
  readonly duration1: number;
  readonly duration2: number;
  readonly groundTruth: number;
};

/**
 * Interval discrimination: two stimuli of random durations separated by a delay; report which lasted
 * longer (ties → the second). No noise.
 *
 * Obs `[fixation, stim1, stim2]`; actions `[fixation, choice1, choice2]`.
 *
 * Reference: Genovesio, Tsujimoto & Wise (2009), "Feature- and order-based timing representations in
 * the frontal cortex", Neuron 63:254.
 */
export const IntervalDiscrimination: TaskSpec<
  IntervalDiscriminationParams,
  IntervalDiscriminationConditions
> = {
  name: "IntervalDiscrimination",
  summary: "Compare the durations of two stimuli separated by a delay.",
  reference: {
    authors: "Genovesio, Tsujimoto & Wise",
    year: 2009,
    title: "Feature- and order-based timing representations in the frontal cortex",
    venue: "Neuron 63:254",
    link: "https://www.sciencedirect.com/science/article/pii/S0896627309004887",
  },
  tags: ["timing", "working memory", "delayed response", "two-alternative", "supervised"],
  defaults: {
    dtMs: 80,
    timing: {
      fixation: 300,
      stim1: uniform(300, 600),
      delay1: uniform(800, 1500),
      stim2: uniform(300, 600),
      delay2: 500,
      decision: 300,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
  },
  layout: () => ({
    observation: { fixation: 0, stim1: 1, stim2: 2 },
    actions: { fixation: 0, choice1: 1, choice2: 2 },
  }),
  responsePeriods: () => ["decision"],
  draw(rng, p) {
    const duration1 = sampleDuration(p.timing["stim1"] ?? 0, rng, p.dtMs, 0, "stim1");
    const duration2 = sampleDuration(p.timing["stim2"] ?? 0, rng, p.dtMs, 0, "stim2");
    return { duration1, duration2, groundTruth: duration1 > duration2 ? 1 : 2 };
  },
  build(b, c) {
    b.addPeriod("fixation");
    b.addPeriod("stim1", { durationMs: c.duration1, after: "fixation" });
    b.addPeriod("delay1", { after: "stim1" });
    b.addPeriod("stim2", { durationMs: c.duration2, after: "delay1" });
    b.addPeriods(["delay2", "decision"], { after: "stim2" });
    b.addOb(1, undefined, "fixation");
    b.addOb(1, "stim1", "stim1");
    b.addOb(1, "stim2", "stim2");
    b.setOb(0, "decision");
    b.setGroundTruth(c.groundTruth, "decision");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
