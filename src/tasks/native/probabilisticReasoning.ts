import { ValueError } from "../../base/errors.ts";
import { range } from "../channels.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { uniform } from "../timing.ts";
import { requireInteger, requireNumberList } from "../validate.ts";
import { merged } from "../merge.ts";

/** Options of {@link ProbabilisticReasoning}. */
export interface ProbabilisticReasoningParams extends BaseParams {
  /** log10 evidence weight of each shape for choice 2 (action 2) over choice 1. */
  readonly shapeWeight: readonly number[];
  /** Number of locations (and stimulus periods), 1..4. */
  readonly nLoc: number;
}

/** Conditions: location order, shapes shown, their summed log odds and the drawn choice index (0/1). */
export type ProbabilisticReasoningConditions = {
  readonly locs: readonly number[];
  readonly shapes: readonly number[];
  readonly logOdd?: number;
  /** Choice index 0/1; `null` until drawn from the evidence (fix it to force an answer). */
  readonly groundTruth: number | null;
};

/**
 * Probabilistic reasoning (weather prediction): shapes appear one by one at distinct locations, each
 * carrying log-odds evidence; the answer is drawn with `p = 1/(10^(−Σw) + 1)`, so even an ideal
 * observer is not always right.
 *
 * Obs `[fixation, loc0×nShape, loc1×nShape, ...]`; actions `[fixation, choice1, choice2]`.
 *
 * Reference: Yang & Shadlen (2007), "Probabilistic reasoning by neurons", Nature 447:1075.
 */
export const ProbabilisticReasoning: TaskSpec<
  ProbabilisticReasoningParams,
  ProbabilisticReasoningConditions
> = {
  name: "ProbabilisticReasoning",
  summary: "Add up probabilistic evidence from a sequence of shapes.",
  reference: {
    authors: "Yang & Shadlen",
    year: 2007,
    title: "Probabilistic reasoning by neurons",
    venue: "Nature 447:1075",
    link: "https://www.nature.com/articles/nature05852",
  },
  tags: ["perceptual", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: {
      fixation: 500,
      stimulus0: 500,
      stimulus1: 500,
      stimulus2: 500,
      stimulus3: 500,
      delay: uniform(450, 550),
      decision: 500,
    },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    shapeWeight: [-10, -0.9, -0.7, -0.5, -0.3, 0.3, 0.5, 0.7, 0.9, 10],
    nLoc: 4,
  },
  layout(p) {
    const n = p.shapeWeight.length;
    const observation: Record<string, number | number[]> = { fixation: 0 };
    for (let i = 0; i < p.nLoc; i++) observation[`loc${i}`] = range(1 + i * n, 1 + (i + 1) * n);
    return { observation, actions: { fixation: 0, choice: [1, 2] } };
  },
  validate(p) {
    requireNumberList(this.name, "shapeWeight", p.shapeWeight);
    requireInteger(this.name, "nLoc", p.nLoc, 1);
    if (p.nLoc > 4) {
      throw new ValueError(
        `${this.name}: nLoc must be an integer in [1, 4] (the timing table lists stimulus0..stimulus3), got ${p.nLoc}`,
      );
    }
  },
  responsePeriods: () => ["decision"],
  draw(rng, p) {
    const perm = rng.permutation(p.nLoc);
    const locs = Array.from(perm);
    const shapes = range(0, p.nLoc).map(() => rng.integer(0, p.shapeWeight.length));
    return { locs, shapes, groundTruth: null };
  },
  build(b, c, p) {
    const logOdd = c.shapes.reduce((a, s) => a + (p.shapeWeight[s] ?? 0), 0);
    const groundTruth = c.groundTruth ?? (b.rng.uniform() < 1 / (10 ** -logOdd + 1) ? 1 : 0);
    const stimuli = range(0, p.nLoc).map((i) => `stimulus${i}`);
    b.addPeriods(["fixation", ...stimuli, "delay", "decision"]);
    b.addOb(1, undefined, "fixation");
    b.setOb(0, "decision", "fixation");
    const n = p.shapeWeight.length;
    for (let i = 0; i < p.nLoc; i++) {
      const oneHot = new Float32Array(n);
      oneHot[c.shapes[i] ?? 0] = 1;
      b.addOb(oneHot, stimuli.slice(i), `loc${c.locs[i] ?? 0}`);
    }
    b.setGroundTruth(groundTruth, "decision", "choice");
    return merged(c, { logOdd, groundTruth });
  },
  rl: responseRule({ response: ["decision"], abortIn: "outsideResponse" }),
};
