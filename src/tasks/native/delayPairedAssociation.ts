import { range } from "../channels.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { goNogoRule } from "./goNogo.ts";

/** Options of {@link DelayPairedAssociation}. */
export interface DelayPairedAssociationParams extends BaseParams {
  /** See {@link GoNogoParams.scoreNoGoTrials}: the same [quirk] applies here. */
  readonly scoreNoGoTrials: boolean;
}

/** Conditions: the stimulus pair (channels) and `groundTruth` 1 = go, 0 = no-go. */
export type DelayPairedAssociationConditions = {
  readonly pair: readonly [number, number];
  readonly groundTruth: number;
};

const PAIRS: readonly (readonly [number, number])[] = [
  [1, 3],
  [1, 4],
  [2, 3],
  [2, 4],
];

/**
 * Delayed paired association: two stimuli separated by a delay; go if the pair is associated
 * (channel difference even), withhold otherwise. No noise.
 *
 * Obs `[fixation, stimulus×4]`; actions `[fixation, go]`.
 *
 * Reference: Zhang et al. (2019), "Active information maintenance in working memory by a sensory
 * cortex", eLife 8:e43191.
 */
export const DelayPairedAssociation: TaskSpec<
  DelayPairedAssociationParams,
  DelayPairedAssociationConditions
> = {
  name: "DelayPairedAssociation",
  summary: "Go only when two stimuli separated by a delay form an associated pair.",
  reference: {
    authors: "Zhang et al.",
    year: 2019,
    title: "Active information maintenance in working memory by a sensory cortex",
    venue: "eLife 8:e43191",
    link: "https://elifesciences.org/articles/43191",
  },
  tags: ["perceptual", "working memory", "go-no-go", "supervised"],
  defaults: {
    dtMs: 100,
    timing: {
      fixation: 0,
      stim1: 1000,
      delay_btw_stim: 1000,
      stim2: 1000,
      delay_aft_stim: 1000,
      decision: 500,
    },
    rewards: { abort: -0.1, correct: 1, fail: -1, miss: 0 },
    scoreNoGoTrials: false,
  },
  layout: () => ({
    observation: { fixation: 0, stimulus: range(1, 5) },
    actions: { fixation: 0, go: 1 },
  }),
  responsePeriods: () => ["decision"],
  draw(rng) {
    const pair = PAIRS[rng.integer(0, PAIRS.length)] as readonly [number, number];
    return { pair, groundTruth: (pair[1] - pair[0]) % 2 === 0 ? 1 : 0 };
  },
  build(b, c) {
    b.addPeriods(["fixation", "stim1", "delay_btw_stim", "stim2", "delay_aft_stim", "decision"]);
    b.addOb(1, undefined, "fixation");
    b.addOb(1, "stim1", c.pair[0]);
    b.addOb(1, "stim2", c.pair[1]);
    b.setOb(0, "decision");
    b.setGroundTruth(c.groundTruth, "decision");
    return c;
  },
  rl: goNogoRule(),
};
