import { range } from "../channels.ts";
import { cosineRing, sharedRingAngles } from "../ring.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireOneOf } from "../validate.ts";
import { REACH_DEFAULTS, reachRule } from "./reaching1D.ts";

/** Options of {@link Reaching1DWithSelfDistraction}. */
export interface Reaching1DWithSelfDistractionParams extends BaseParams {
  /**
   * [quirk] As in Reaching1D, NeuroGym's reward compares the arm with `floor(target)` (integer gt
   * array): `"truncatedTarget"` (default) keeps that, `"target"` uses the true angle.
   */
  readonly rewardAgainst: "truncatedTarget" | "target";
}

/** Conditions: the target angle (rad, uniform on [0, 2π)). */
export type Reaching1DWithSelfDistractionConditions = { readonly groundTruth: number };

/** Ring size (fixed in NeuroGym). */
const DIM = 32;

/**
 * Reaching1D where the arm's own position is the stronger input: the 32 units see
 * `0.3·cos(θ_k − target)` during reach plus `cos(θ_k − arm)` on every step (the arm term is added
 * after each RL step, like the electric fish whose own discharges drown its electrosensing). A
 * regression task: `gt` is π during fixation and the target during reach.
 *
 * Obs `[stimulus×32]`; actions `[fixation, left, right]` (NeuroGym names neither; braints does).
 */
export const Reaching1DWithSelfDistraction: TaskSpec<
  Reaching1DWithSelfDistractionParams,
  Reaching1DWithSelfDistractionConditions
> = {
  name: "Reaching1DWithSelfDistraction",
  summary: "Reach to a weak target input while the arm's own position is a stronger input.",
  reference: null,
  tags: ["motor", "steps action space"],
  regression: true,
  defaults: REACH_DEFAULTS,
  layout: () => ({ observation: { stimulus: range(0, DIM) }, actions: { fixation: 0, left: 1, right: 2 } }),
  validate(p) {
    requireOneOf(this.name, "rewardAgainst", p.rewardAgainst, ["truncatedTarget", "target"]);
  },
  responsePeriods: () => ["reach"],
  draw: (rng) => ({ groundTruth: rng.uniformIn(0, 2 * Math.PI) }),
  build(b, c) {
    b.addPeriods(["fixation", "reach"]);
    b.addOb(
      cosineRing(sharedRingAngles(DIM), c.groundTruth).map((v) => v * 0.3),
      "reach",
      "stimulus",
    );
    b.setGroundTruth(Math.PI, "fixation");
    b.setGroundTruth(c.groundTruth, "reach");
    return c;
  },
  rl: reachRule((ob, state) => {
    const self = cosineRing(sharedRingAngles(DIM), state);
    for (let k = 0; k < DIM; k++) ob[k] = (ob[k] as number) + (self[k] as number);
  }),
};
