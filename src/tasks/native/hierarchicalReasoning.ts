import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { normalizeTiming, sampleDuration, truncatedExponential, type TimingSpec } from "../timing.ts";
import { requireOneOf } from "../validate.ts";

/** Options of {@link HierarchicalReasoning}. */
export interface HierarchicalReasoningParams extends BaseParams {
  /**
   * [quirk] NeuroGym takes "the median" of the delay choices as `median(delay[1])`, i.e. the second
   * listed delay (610 ms), so most intervals count as long. `"faithful"` (default) keeps that;
   * `"median"` uses the median of the choices (850 ms).
   */
  readonly midDelay: "faithful" | "median";
}

/** Conditions: the delay (ms), the rule in force (0/1), the flash side (0/1) and derived flags. */
export type HierarchicalReasoningConditions = {
  readonly interval: number;
  readonly rule: number;
  readonly stimulus: number;
  readonly longInterval: boolean;
  readonly proChoice: boolean;
};

/** Session state: the current rule and block position (blocks of 10–20 trials, unannounced). */
export interface HierarchicalReasoningState {
  rule: number;
  trialInBlock: number;
  blockSize: number;
}

/** The long/short boundary of the delay (ms) under either reading of NeuroGym's median. */
export function midDelayMs(spec: TimingSpec, rule: "faithful" | "median"): number {
  const s = normalizeTiming(spec);
  switch (s.kind) {
    case "choice": {
      if (rule === "faithful") return s.options[1] ?? s.options[0] ?? 0;
      const o = [...s.options].sort((a, b) => a - b);
      const m = o.length >> 1;
      return o.length % 2 ? (o[m] ?? 0) : ((o[m - 1] ?? 0) + (o[m] ?? 0)) / 2;
    }
    case "uniform":
      return (s.low + s.high) / 2;
    case "constant":
      return s.ms;
    default:
      return 0;
  }
}

/**
 * Hierarchical reasoning: judge whether the delay between two flashes is long, then go to the flash
 * side (pro) or away from it (anti) depending on a rule that alternates in unannounced blocks. The
 * rule is reported in `rule_target`; the final choice only pays if that report was right.
 *
 * Obs `[fixation, rule×2, stimulus×2]`; actions `[fixation, rule×2, choice×2]`.
 *
 * Reference: Sarafyazd & Jazayeri (2019), "Hierarchical reasoning by neural circuits in the frontal
 * cortex", Science 364:eaav8911.
 */
export const HierarchicalReasoning: TaskSpec<
  HierarchicalReasoningParams,
  HierarchicalReasoningConditions,
  HierarchicalReasoningState
> = {
  name: "HierarchicalReasoning",
  summary: "Infer a hidden block rule and apply it to an interval judgement.",
  reference: {
    authors: "Sarafyazd & Jazayeri",
    year: 2019,
    title: "Hierarchical reasoning by neural circuits in the frontal cortex",
    venue: "Science 364:eaav8911",
    link: "https://science.sciencemag.org/content/364/6441/eaav8911",
  },
  tags: ["perceptual", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: {
      fixation: truncatedExponential(600, 400, 800),
      rule_target: 1000,
      fixation2: truncatedExponential(600, 400, 900),
      flash1: 100,
      delay: [530, 610, 690, 770, 850, 930, 1010, 1090, 1170],
      flash2: 100,
      decision: 700,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    midDelay: "faithful",
  },
  layout: () => ({
    observation: { fixation: 0, rule: [1, 2], stimulus: [3, 4] },
    actions: { fixation: 0, rule: [1, 2], choice: [3, 4] },
  }),
  validate(p) {
    requireOneOf(this.name, "midDelay", p.midDelay, ["faithful", "median"]);
  },
  responsePeriods: () => ["rule_target", "decision"],
  initialState: () => ({ rule: 0, trialInBlock: 0, blockSize: 0 }),
  draw(rng, p, state) {
    const newBlock = (): void => {
      state.blockSize = rng.integer(10, 21);
      state.rule = 1 - state.rule;
      state.trialInBlock = 0;
    };
    if (state.blockSize === 0) newBlock();
    const delay = p.timing["delay"] ?? 0;
    const interval = sampleDuration(delay, rng, p.dtMs, 0, "delay");
    const rule = state.rule;
    const stimulus = rng.choice([0, 1]);
    const longInterval = interval > midDelayMs(delay, p.midDelay) + (rng.uniform() - 0.5);
    state.trialInBlock++;
    if (state.trialInBlock >= state.blockSize) newBlock();
    return { interval, rule, stimulus, longInterval, proChoice: (longInterval ? 1 : 0) === rule };
  },
  build(b, c) {
    b.addPeriods(["fixation", "rule_target", "fixation2", "flash1"]);
    b.addPeriod("delay", { durationMs: c.interval, after: "flash1" });
    b.addPeriods(["flash2", "decision"], { after: "delay" });
    const choice = c.proChoice ? c.stimulus : 1 - c.stimulus;
    b.addOb(1, undefined, "fixation");
    b.setOb(0, "decision", "fixation");
    b.addOb(1, "rule_target", "rule");
    b.addOb(1, ["flash1", "flash2"], 3 + c.stimulus);
    b.setGroundTruth(choice, "decision", "choice");
    b.setGroundTruth(c.rule, "rule_target", "rule");
    return c;
  },
  rl: {
    step(ctx) {
      const { action, params, scratch } = ctx;
      if (ctx.inPeriod("decision")) {
        if (action === 0) return { reward: 0, newTrial: false };
        const ok = action === ctx.gtNow && scratch["choseCorrectRule"] === 1;
        if (ok) ctx.performance = 1;
        scratch["choseCorrectRule"] = 0;
        return { reward: reward(params, ok ? "correct" : "fail"), newTrial: true };
      }
      if (ctx.inPeriod("rule_target")) {
        scratch["choseCorrectRule"] = action === ctx.gtNow ? 1 : 0;
        return { reward: 0, newTrial: false };
      }
      if (action !== 0) {
        const newTrial = abortsTrial(params);
        if (newTrial) scratch["choseCorrectRule"] = 0;
        return { reward: reward(params, "abort"), newTrial };
      }
      return { reward: 0, newTrial: false };
    },
  },
};
