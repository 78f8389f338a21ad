import { reward } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireProbability } from "../validate.ts";

/** Options of {@link DawTwoStep}. */
export interface DawTwoStepParams extends BaseParams {
  /** Probability that first-stage action a leads to second-stage state a (common transition). */
  readonly pCommon: number;
  /** Per-trial probability that the reward contingencies swap. */
  readonly pSwitch: number;
  readonly highRewardP: number;
  readonly lowRewardP: number;
}

/** Conditions: the state each first-stage action leads to, each state's reward, the better state (0/1). */
export type DawTwoStepConditions = {
  readonly transition: readonly [number, number];
  readonly reward: readonly [number, number];
  readonly hiState: number;
};

/** Session state: which second-stage state currently pays more. */
export interface DawTwoStepState {
  state1HighReward: boolean;
}

/**
 * Two-step task (model-based vs model-free RL). Step 1: choose action 1 or 2 (0 aborts); it leads to
 * second-stage state s (common with p 0.8), shown one-hot, with that state's pre-drawn reward.
 * Step 2: any non-zero action costs `abort`; the trial ends. Performance 1 when the first choice
 * targets the currently better state. RL only: observations depend on the actions, so there are no
 * supervised `ob`/`gt` arrays (trials are 2 empty steps).
 *
 * Obs `[second-step cue, state1, state2]`; actions `[fixation, action1, action2]`.
 *
 * Reference: Daw, Gershman, Seymour, Dayan & Dolan (2011), "Model-based influences on humans'
 * choices and striatal prediction errors", Neuron 69:1204.
 */
export const DawTwoStep: TaskSpec<DawTwoStepParams, DawTwoStepConditions, DawTwoStepState> = {
  name: "DawTwoStep",
  summary: "Two-stage choice that separates model-based from model-free learning.",
  reference: {
    authors: "Daw, Gershman, Seymour, Dayan & Dolan",
    year: 2011,
    title: "Model-based influences on humans' choices and striatal prediction errors",
    venue: "Neuron 69:1204",
    link: "https://www.sciencedirect.com/science/article/pii/S0896627311001255",
  },
  tags: ["two-alternative"],
  rlOnly: true,
  defaults: {
    dtMs: 100,
    timing: {},
    rewards: { abort: -0.1, correct: 1 },
    pCommon: 0.8,
    pSwitch: 0.025,
    highRewardP: 0.9,
    lowRewardP: 0.1,
  },
  layout: () => ({
    observation: { cue: 0, state: [1, 2] },
    actions: { fixation: 0, choice: [1, 2] },
  }),
  validate(p) {
    for (const k of ["pCommon", "pSwitch", "highRewardP", "lowRewardP"] as const) {
      requireProbability(this.name, k, p[k]);
    }
  },
  responsePeriods: () => ["stage1"],
  initialState: () => ({ state1HighReward: true }),
  draw(rng, p, state) {
    const t1 = rng.uniform() < p.pCommon ? 1 : 2;
    const t2 = rng.uniform() < p.pCommon ? 2 : 1;
    if (rng.uniform() < p.pSwitch) state.state1HighReward = !state.state1HighReward;
    const hiState = state.state1HighReward ? 0 : 1;
    const rHi = rng.uniform() < p.highRewardP ? reward(p, "correct") : 0;
    const rLo = rng.uniform() < p.lowRewardP ? reward(p, "correct") : 0;
    return {
      transition: [t1, t2],
      reward: hiState === 0 ? [rHi, rLo] : [rLo, rHi],
      hiState,
    };
  },
  build(b, c) {
    b.addPeriod("stage1", { durationMs: b.dtMs });
    b.addPeriod("stage2", { durationMs: b.dtMs, after: "stage1" });
    b.setGroundTruth(c.hiState + 1, "stage1");
    return c;
  },
  rl: {
    step(ctx) {
      const ob = new Float32Array(3);
      const c = ctx.trial.info.conditions;
      if (ctx.tInd === 0) {
        if (ctx.action === 0) return { reward: reward(ctx.params, "abort"), newTrial: true, ob };
        const s = c.transition[ctx.action - 1] ?? 1;
        ob[s] = 1;
        ctx.performance = ctx.action === c.hiState + 1 ? 1 : 0;
        return { reward: c.reward[s - 1] ?? 0, newTrial: false, ob };
      }
      ob[0] = 1;
      return { reward: ctx.action !== 0 ? reward(ctx.params, "abort") : 0, newTrial: true, ob };
    },
  },
};
