import { ValueError } from "../../base/errors.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireNonNegative } from "../validate.ts";
import { merged } from "../merge.ts";

/** Options of {@link DelayComparison}. */
export interface DelayComparisonParams extends BaseParams {
  /** Frequency pairs `(a, b)` with `a > b`; one is drawn per trial. */
  readonly vpairs: readonly (readonly [number, number])[];
  readonly sigma: number;
}

/** Conditions: `groundTruth` 1 ⇔ the first stimulus is larger (action 1), 2 otherwise. */
export type DelayComparisonConditions = {
  readonly groundTruth: number;
  readonly vpair: readonly [number, number];
  readonly v1?: number;
  readonly v2?: number;
};

/** The two answers, drawn per trial. */
const CHOICES = [1, 2] as const;

const ranges = new WeakMap<object, readonly [number, number]>();

/** `[vmin, vmax]` over all pairs (memoised per vpairs list: it is read on every trial). */
function valueRange(vpairs: DelayComparisonParams["vpairs"]): readonly [number, number] {
  let r = ranges.get(vpairs);
  if (r === undefined) {
    const all = vpairs.flat();
    r = [Math.min(...all), Math.max(...all)];
    ranges.set(vpairs, r);
  }
  return r;
}

/**
 * Parametric working memory (Romo paradigm): two scalar stimuli `(1 + (v − vmin)/(vmax − vmin))/2`
 * separated by a delay; report whether the first was larger. Noise `N(0, σ²/dt)` is added to both
 * channels during the stimuli. With the defaults a trial is 26 steps.
 *
 * Obs `[fixation, stimulus]`; actions `[fixation, choice1, choice2]`.
 *
 * Reference: Barak, Tsodyks & Romo (2010), "Neuronal population coding of parametric working memory",
 * J Neurosci 30:9424.
 */
export const DelayComparison: TaskSpec<DelayComparisonParams, DelayComparisonConditions> = {
  name: "DelayComparison",
  summary: "Hold a scalar stimulus through a delay and compare it with a second one.",
  reference: {
    authors: "Barak, Tsodyks & Romo",
    year: 2010,
    title: "Neuronal population coding of parametric working memory",
    venue: "J Neurosci 30:9424",
    link: "https://www.jneurosci.org/content/30/28/9424",
  },
  tags: ["perceptual", "working memory", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 500, stimulus1: 500, delay: 1000, stimulus2: 500, decision: 100 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    vpairs: [
      [18, 10],
      [22, 14],
      [26, 18],
      [30, 22],
      [34, 26],
    ],
    sigma: 1,
  },
  layout: () => ({
    observation: { fixation: 0, stimulus: 1 },
    actions: { fixation: 0, choice: [1, 2] },
  }),
  validate(p) {
    requireNonNegative(this.name, "sigma", p.sigma);
    const all = p.vpairs.flat();
    if (p.vpairs.length === 0 || Math.max(...all) === Math.min(...all)) {
      throw new ValueError(
        `${this.name}: vpairs must be a non-empty list of pairs with at least two distinct values, got ${JSON.stringify(p.vpairs)}`,
      );
    }
  },
  responsePeriods: () => ["decision"],
  draw: (rng, p) => ({
    groundTruth: rng.choice(CHOICES),
    vpair: p.vpairs[rng.integer(0, p.vpairs.length)] as readonly [number, number],
  }),
  build(b, c, p) {
    const [vmin, vmax] = valueRange(p.vpairs);
    const v1 = c.vpair[c.groundTruth === 2 ? 1 : 0];
    const v2 = c.vpair[c.groundTruth === 2 ? 0 : 1];
    // rep(v) = (1 + (v − vmin)/(vmax − vmin)) / 2, in [0.5, 1].
    const rep1 = (1 + (v1 - vmin) / (vmax - vmin)) / 2;
    const rep2 = (1 + (v2 - vmin) / (vmax - vmin)) / 2;
    b.addPeriods(["fixation", "stimulus1", "delay", "stimulus2", "decision"]);
    b.addOb(1, undefined, "fixation");
    b.addOb(rep1, "stimulus1", "stimulus");
    b.addOb(rep2, "stimulus2", "stimulus");
    b.setOb(0, "decision");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), ["stimulus1", "stimulus2"]);
    b.setGroundTruth(c.groundTruth, "decision");
    return merged(c, { v1, v2 });
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
};
