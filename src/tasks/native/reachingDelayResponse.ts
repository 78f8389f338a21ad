import { ValueError } from "../../base/errors.ts";
import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";

/** Options of {@link ReachingDelayResponse}. */
export interface ReachingDelayResponseParams extends BaseParams {
  /** Lowest target position. */
  readonly lowbound: number;
  /** Highest target position. */
  readonly highbound: number;
  /** End the trial on an early go. */
  readonly abort: boolean;
}

/** Conditions: the target position, uniform on `[lowbound, highbound)`. */
export type ReachingDelayResponseConditions = { readonly groundTruth: number };

/**
 * Remember a position shown during the stimulus through a delay and report it in the decision period.
 * Continuous in and out: the input is `[go, stimulus]` (`[0, position]` in the stimulus, `[0, −0.5]`
 * in the delay, `[1, −0.5]` in the decision) and the action is a 2-vector `[go, position]`; the target
 * `gt` is `[T, 2]`: `[−1, −0.5]` until the decision, `[1, position]` in it.
 *
 * RL (actions are vectors, `env.step([go, position])`): a non-negative go during the stimulus costs
 * `abort`; the first positive go in the decision ends the trial with reward
 * `correct / (1 + |position − target|)²`, its performance that reward over `correct`; a trial without
 * one costs `miss`. NeuroGym marks the task "to be revisited"; this is its behaviour as written.
 */
export const ReachingDelayResponse: TaskSpec<ReachingDelayResponseParams, ReachingDelayResponseConditions> = {
  name: "ReachingDelayResponse",
  summary: "Remember a continuous position through a delay, then report it with a continuous action.",
  reference: null,
  tags: [
    "perceptual",
    "delayed response",
    "continuous action space",
    "multidimensional action space",
    "supervised",
  ],
  regression: true,
  gtDim: 2,
  continuousActions: true,
  defaults: {
    dtMs: 100,
    timing: { stimulus: 500, delay: [0, 1000, 2000], decision: 500 },
    rewards: { abort: -0.1, correct: 1, fail: -0, miss: -0.5 },
    lowbound: 0,
    highbound: 1,
    abort: false,
  },
  layout: () => ({ observation: { go: 0, stimulus: 1 }, actions: { go: 0, position: 1 } }),
  validate(p) {
    if (!(Number.isFinite(p.lowbound) && Number.isFinite(p.highbound) && p.lowbound <= p.highbound)) {
      throw new ValueError(
        `${this.name}: lowbound must not exceed highbound (both finite), got ${p.lowbound} and ${p.highbound}`,
      );
    }
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({ groundTruth: rng.uniformIn(p.lowbound, p.highbound) }),
  build(b, c) {
    b.addPeriods(["stimulus", "delay", "decision"]);
    b.addOb(c.groundTruth, "stimulus", "stimulus");
    b.setOb([0, -0.5], "delay");
    b.setOb([1, -0.5], "decision");
    b.setGroundTruthVector([-1, -0.5], ["stimulus", "delay"]);
    b.setGroundTruthVector([1, c.groundTruth], "decision");
    return c;
  },
  rl: {
    step(ctx) {
      const a = ctx.actionVector ?? new Float32Array(2);
      if (ctx.inPeriod("stimulus")) {
        if (!((a[0] as number) < 0))
          return { reward: reward(ctx.params, "abort"), newTrial: abortsTrial(ctx.params) };
      } else if (ctx.inPeriod("decision") && (a[0] as number) > 0) {
        const target = ctx.trial.gt[ctx.tInd * 2 + 1] as number;
        const correct = reward(ctx.params, "correct");
        const r = correct / (1 + Math.abs((a[1] as number) - target)) ** 2;
        ctx.performance = r / correct;
        return { reward: r, newTrial: true };
      }
      return { reward: 0, newTrial: false };
    },
    rTmax: (_trial, p) => reward(p, "miss"),
  },
};
