import { range } from "../channels.ts";
import { circularDistance, cosineRing, sharedRingAngles, wrapAngle } from "../ring.ts";
import { reward } from "../rules.ts";
import type { BaseParams, RlRule, TaskSpec } from "../spec.ts";
import { requireInteger, requireOneOf } from "../validate.ts";

/** Options of {@link Reaching1D}. */
export interface Reaching1DParams extends BaseParams {
  readonly dimRing: number;
  /**
   * [quirk] NeuroGym stores the target angle in an integer array, so its reward compares the arm
   * with `floor(target)`. `"truncatedTarget"` (default) keeps that scoring; `"target"` uses the
   * true angle. The `gt` array is always the float angle.
   */
  readonly rewardAgainst: "truncatedTarget" | "target";
}

/** Conditions: the target angle (rad, uniform on [0, 2π)). */
export type Reaching1DConditions = { readonly groundTruth: number };

/** Angle step per left/right action (rad). */
const STEP = 0.05;

/** NeuroGym's defaults shared by the reaching tasks. */
export const REACH_DEFAULTS = {
  dtMs: 100,
  timing: { fixation: 500, reach: 500 },
  rewards: { correct: 1, fail: -0.1 },
  rewardAgainst: "truncatedTarget",
} as const;

/**
 * The closed-loop reaching rule (Reaching1D and Reaching1DWithSelfDistraction): the arm starts at π
 * each trial and moves ±0.05 rad on actions 1/2; during reach each step earns
 * `max(correct − circularDistance(arm − target), fail)` and adds its normalised share to performance.
 * `show` writes the arm's position into the observation after each step.
 */
export function reachRule<P extends BaseParams & { readonly rewardAgainst: "truncatedTarget" | "target" }>(
  show: (ob: Float32Array, state: number, p: P) => void,
): RlRule<P, { readonly groundTruth: number }> {
  return {
    onNewTrial(scratch) {
      scratch["state"] = Math.PI;
    },
    step(ctx) {
      const s = ctx.scratch;
      const delta = ctx.action === 1 ? STEP : ctx.action === 2 ? -STEP : 0;
      s["state"] = wrapAngle((s["state"] ?? Math.PI) + delta);
      if (ctx.inPeriod("fixation")) return { reward: 0, newTrial: false };
      const target = ctx.params.rewardAgainst === "target" ? ctx.gtNow : Math.trunc(ctx.gtNow);
      const correct = reward(ctx.params, "correct");
      const fail = reward(ctx.params, "fail");
      const r = Math.max(correct - circularDistance((s["state"] ?? 0) - target), fail);
      const reach = ctx.trial.info.periods["reach"];
      const steps = reach === undefined ? 1 : reach.end - reach.start;
      ctx.performance += (r - fail) / (correct - fail) / steps;
      return { reward: r, newTrial: false };
    },
    observe(ob, scratch, p) {
      show(ob, scratch["state"] ?? Math.PI, p);
    },
  };
}

/**
 * Closed-loop 1-D reaching: the target direction appears at reach onset; the agent moves its arm
 * (0 stay, 1 +0.05 rad, 2 −0.05 rad) and sees its own position. A regression task: `gt` is the
 * angle to hold (π during fixation, the target during reach).
 *
 * Obs `[target×dimRing, self×dimRing]` (self written after each RL step); actions `[fixation, left, right]`.
 *
 * Reference: Georgopoulos, Schwartz & Kettner (1986), "Neuronal population coding of movement
 * direction", Science 233:1416.
 */
export const Reaching1D: TaskSpec<Reaching1DParams, Reaching1DConditions> = {
  name: "Reaching1D",
  summary: "Move a 1-D arm to a target direction using feedback of its own position.",
  reference: {
    authors: "Georgopoulos, Schwartz & Kettner",
    year: 1986,
    title: "Neuronal population coding of movement direction",
    venue: "Science 233:1416",
    link: "https://science.sciencemag.org/content/233/4771/1416",
  },
  tags: ["motor", "steps action space"],
  regression: true,
  defaults: { ...REACH_DEFAULTS, dimRing: 16 },
  layout: (p) => ({
    observation: { target: range(0, p.dimRing), self: range(p.dimRing, 2 * p.dimRing) },
    actions: { fixation: 0, left: 1, right: 2 },
  }),
  validate(p) {
    requireInteger(this.name, "dimRing", p.dimRing, 2);
    requireOneOf(this.name, "rewardAgainst", p.rewardAgainst, ["truncatedTarget", "target"]);
  },
  responsePeriods: () => ["reach"],
  draw: (rng) => ({ groundTruth: rng.uniformIn(0, 2 * Math.PI) }),
  build(b, c, p) {
    b.addPeriods(["fixation", "reach"]);
    b.addOb(cosineRing(sharedRingAngles(p.dimRing), c.groundTruth), "reach", "target");
    b.setGroundTruth(Math.PI, "fixation");
    b.setGroundTruth(c.groundTruth, "reach");
    return c;
  },
  rl: reachRule((ob, state, p) => ob.set(cosineRing(sharedRingAngles(p.dimRing), state), p.dimRing)),
};
