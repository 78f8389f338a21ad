import { ValueError } from "../../base/errors.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { requireNonNegative, requireNumberList, requirePositive } from "../validate.ts";

/** Options of {@link ToneDetection}. */
export interface ToneDetectionParams extends BaseParams {
  /** Input noise; per-step sd is `sigma / sqrt(dtMs)`. */
  readonly sigma: number;
  /** Onsets (ms into the stimulus) where a tone may appear; condition k puts it at onset k − 1. */
  readonly toneOnsets: readonly number[];
  /** Tone duration (ms); must be at least `dtMs`. */
  readonly toneDur: number;
}

/** Conditions: `groundTruth` 0 = no tone, k = tone at `toneOnsets[k − 1]`. */
export type ToneDetectionConditions = { readonly groundTruth: number };

/**
 * Auditory tone in noise: report whether a 50-ms tone was embedded in the noise and, if so, at which
 * of three positions. No fixation or decision period (a human psychophysics version): the target is
 * the condition on every step, and NeuroGym defines no reward (RL performance stays 0; train it
 * supervised).
 *
 * Obs `[stimulus]`; actions `[none, position×3]` (NeuroGym names no channels; braints names them).
 *
 * Reference: Costalupes, Young & Gibson (1985), "Representation of tones in noise in the responses of
 * auditory nerve fibers in cats", J Neurosci 5:3261 (NeuroGym task by Ru-Yuan Zhang).
 */
export const ToneDetection: TaskSpec<ToneDetectionParams, ToneDetectionConditions> = {
  name: "ToneDetection",
  summary: "Report whether and where a brief tone was embedded in noise.",
  reference: {
    authors: "Costalupes, Young & Gibson",
    year: 1985,
    title: "Representation of tones in noise in the responses of auditory nerve fibers in cats",
    venue: "J Neurosci 5:3261",
    link: "https://www.jneurosci.org/content/jneuro/5/12/3261.full.pdf",
  },
  tags: ["auditory", "perceptual", "supervised", "decision"],
  defaults: {
    dtMs: 50,
    timing: { stimulus: 2000 },
    rewards: { abort: -0.1, correct: 1, noresp: -0.1 },
    sigma: 0.2,
    toneOnsets: [500, 1000, 1500],
    toneDur: 50,
  },
  layout: (p) => ({
    observation: { stimulus: 0 },
    actions: { none: 0, position: p.toneOnsets.map((_, i) => i + 1) },
  }),
  validate(p) {
    requireNonNegative(this.name, "sigma", p.sigma);
    requireNumberList(this.name, "toneOnsets", p.toneOnsets);
    requirePositive(this.name, "toneDur", p.toneDur);
    if (p.dtMs > p.toneDur) {
      throw new ValueError(
        `${this.name}: dtMs must not exceed toneDur, got dtMs ${p.dtMs} with toneDur ${p.toneDur} ms`,
      );
    }
  },
  responsePeriods: () => ["stimulus"],
  draw: (rng, p) => ({ groundTruth: rng.integer(0, p.toneOnsets.length + 1) }),
  build(b, c, p) {
    b.addPeriod("stimulus");
    if (c.groundTruth > 0) {
      const n = b.nSteps;
      const on = Math.floor((p.toneOnsets[c.groundTruth - 1] ?? 0) / p.dtMs + 1e-9);
      const dur = Math.floor(p.toneDur / p.dtMs + 1e-9);
      const ob = b.ob;
      for (let t = on; t < Math.min(on + dur, n); t++) ob[t] = 1;
    }
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), "stimulus");
    b.setGroundTruth(c.groundTruth);
    return c;
  },
  rl: { step: () => ({ reward: 0, newTrial: false }) },
};
