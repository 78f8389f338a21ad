import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { uniform } from "../timing.ts";

/** Options of {@link EconomicDecisionMaking}. */
export interface EconomicDecisionMakingParams extends BaseParams {
  /** Value of one unit of juice B relative to A. */
  readonly bToA: number;
}

/** Conditions: juice identity of options 1 and 2, and the offer `(nB, nA)`. */
export type EconomicDecisionMakingConditions = {
  readonly juice: readonly ["a" | "b", "a" | "b"];
  readonly offer: readonly [number, number];
};

const OFFERS: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 3],
  [1, 2],
  [1, 1],
  [2, 1],
  [3, 1],
  [4, 1],
  [6, 1],
  [2, 0],
];

/** The values `[v1, v2]` of the two options (reward units). */
export function offerValues(
  c: EconomicDecisionMakingConditions,
  p: EconomicDecisionMakingParams,
): [number, number] {
  const rA = reward(p, "correct");
  const rB = p.bToA * rA;
  const [nB, nA] = c.offer;
  return c.juice[0] === "a" ? [nA * rA, nB * rB] : [nB * rB, nA * rA];
}

/**
 * Economic choice between two juice offers: option identities and quantities (n/5) are shown; choose
 * the option worth more (juice B is worth 1/2.2 of A). NeuroGym sets no ground truth; braints adds
 * the better option (1 or 2) in the decision period so the task can be trained supervised.
 *
 * Obs `[fixation, a1, b1, a2, b2, n1, n2]`; actions `[fixation, choice1, choice2]`.
 *
 * Reference: Padoa-Schioppa & Assad (2006), "Neurons in the orbitofrontal cortex encode economic
 * value", Nature 441:223.
 */
export const EconomicDecisionMaking: TaskSpec<
  EconomicDecisionMakingParams,
  EconomicDecisionMakingConditions
> = {
  name: "EconomicDecisionMaking",
  summary: "Choose the juice offer with the higher subjective value.",
  reference: {
    authors: "Padoa-Schioppa & Assad",
    year: 2006,
    title: "Neurons in the orbitofrontal cortex encode economic value",
    venue: "Nature 441:223",
    link: "https://www.nature.com/articles/nature04676",
  },
  tags: ["perceptual", "value-based"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 1500, offer_on: uniform(1000, 2000), decision: 750 },
    rewards: { abort: -0.1, correct: 0.22 },
    bToA: 1 / 2.2,
  },
  layout: () => ({
    observation: { fixation: 0, a1: 1, b1: 2, a2: 3, b2: 4, n1: 5, n2: 6 },
    actions: { fixation: 0, choice1: 1, choice2: 2 },
  }),
  responsePeriods: () => ["decision"],
  draw: (rng) => ({
    juice: rng.choice([["a", "b"] as const, ["b", "a"] as const]),
    offer: OFFERS[rng.integer(0, OFFERS.length)] as readonly [number, number],
  }),
  build(b, c, p) {
    const [juice1, juice2] = c.juice;
    const [nB, nA] = c.offer;
    const [n1, n2] = juice1 === "a" ? [nA, nB] : [nB, nA];
    b.addPeriods(["fixation", "offer_on", "decision"]);
    b.addOb(1, ["fixation", "offer_on"], "fixation");
    b.addOb(1, "offer_on", `${juice1}1`);
    b.addOb(1, "offer_on", `${juice2}2`);
    b.addOb(n1 / 5, "offer_on", "n1");
    b.addOb(n2 / 5, "offer_on", "n2");
    const [v1, v2] = offerValues(c, p);
    b.setGroundTruth(v1 >= v2 ? 1 : 2, "decision");
    return c;
  },
  rl: {
    step(ctx) {
      const { action, params } = ctx;
      if (ctx.inPeriod("fixation") || ctx.inPeriod("offer_on")) {
        if (action !== 0) return { reward: reward(params, "abort"), newTrial: abortsTrial(params) };
        return { reward: 0, newTrial: false };
      }
      if (ctx.inPeriod("decision") && (action === 1 || action === 2)) {
        const [v1, v2] = offerValues(ctx.trial.info.conditions, params);
        const [mine, other] = action === 1 ? [v1, v2] : [v2, v1];
        ctx.performance = mine > other ? 1 : 0;
        return { reward: mine, newTrial: true };
      }
      return { reward: 0, newTrial: false };
    },
  },
};
