import { productionRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { uniform } from "../timing.ts";
import { requireNonNegative, requireNumberList } from "../validate.ts";
import { productionTarget } from "./readySetGo.ts";
import { merged } from "../merge.ts";

/** Options of {@link MotorTiming}. */
export interface MotorTimingParams extends BaseParams {
  /** The two intervals to produce (ms), cued by channel 1 or 2. */
  readonly intervals: readonly number[];
  readonly prodMargin: number;
}

/** Conditions: which interval is cued (`productionInd`) and its length (ms, follows from it). */
export type MotorTimingConditions = { readonly productionInd: number; readonly production?: number };

/**
 * Cued interval production: a cue says which of two intervals to produce; respond that long after
 * the set signal.
 *
 * [quirk] The default `set` cue lasts 50 ms while `dtMs` is 80, so NeuroGym floors it to 0 steps and
 * the set channel is never shown; kept as the faithful default (pass `timing: { set: 80 }` to show it).
 *
 * Obs `[fixation, interval1, interval2, set]`; actions `[fixation, go]`.
 *
 * Reference: Wang, Narain, Hosseini & Jazayeri (2018), "Flexible timing by temporal scaling of
 * cortical responses", Nat Neurosci 21:102.
 */
export const MotorTiming: TaskSpec<MotorTimingParams, MotorTimingConditions> = {
  name: "MotorTiming",
  summary: "Produce one of two cued intervals after a set signal.",
  reference: {
    authors: "Wang, Narain, Hosseini & Jazayeri",
    year: 2018,
    title: "Flexible timing by temporal scaling of cortical responses",
    venue: "Nat Neurosci 21:102",
    link: "https://www.nature.com/articles/s41593-017-0028-6",
  },
  tags: ["timing", "go-no-go", "supervised"],
  defaults: {
    dtMs: 80,
    timing: { fixation: 500, cue: uniform(1000, 3000), set: 50 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    intervals: [800, 1500],
    prodMargin: 0.2,
  },
  layout: () => ({
    observation: { fixation: 0, interval1: 1, interval2: 2, set: 3 },
    actions: { fixation: 0, go: 1 },
  }),
  validate(p) {
    requireNumberList(this.name, "intervals", p.intervals);
    requireNonNegative(this.name, "prodMargin", p.prodMargin);
  },
  responsePeriods: () => ["production"],
  draw: (rng, p) => ({ productionInd: rng.integer(0, p.intervals.length) }),
  build(b, c, p) {
    const production = p.intervals[c.productionInd] ?? NaN;
    b.addPeriods(["fixation", "cue", "set"]);
    b.addPeriod("production", { durationMs: 2 * production, after: "set" });
    b.setOb(1, ["fixation", "cue", "set"], "fixation");
    b.setOb(1, ["cue", "set"], 1 + c.productionInd);
    b.setOb(1, "set", "set");
    const prod = b.period("production");
    b.setGroundTruthSeries(productionTarget(production, prod.end - prod.start, b.dtMs), "production");
    return merged(c, { production });
  },
  rl: productionRule("set", (c) => c.production ?? NaN),
};
