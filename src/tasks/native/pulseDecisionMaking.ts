import { ValueError } from "../../base/errors.ts";
import { range } from "../channels.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import type { TimingSpec } from "../timing.ts";
import { requireInteger, requireProbability } from "../validate.ts";

/** Options of {@link PulseDecisionMaking}. */
export interface PulseDecisionMakingParams extends BaseParams {
  /** Pulse probabilities of the two sides (randomly swapped per trial). */
  readonly pPulse: readonly [number, number];
  /** Number of cue/bin pairs; the timing table must list `cue0..` and `bin0..` for each. */
  readonly nBin: number;
}

/** Conditions: pulse trains per side (0/1 per bin) and `groundTruth` as a choice index (0 or 1). */
export type PulseDecisionMakingConditions = {
  readonly pulse1: readonly number[];
  readonly pulse2: readonly number[];
  readonly jitter: number;
  readonly groundTruth: number;
};

function pulseTiming(nBin: number): Record<string, TimingSpec> {
  const t: Record<string, TimingSpec> = { fixation: 500, decision: 500 };
  for (let i = 0; i < nBin; i++) {
    t[`cue${i}`] = 10;
    t[`bin${i}`] = 240;
  }
  return t;
}

/**
 * Pulse-based accumulation: brief Bernoulli pulses on two channels across `nBin` bins; report the
 * side with more pulses (ties broken by a ±0.1 jitter).
 *
 * Obs `[fixation, pulses1, pulses2]`; actions `[fixation, choice1, choice2]`.
 *
 * Reference: Scott, Constantinople, Erlich, Tank & Brody (2015), "Sources of noise during
 * accumulation of evidence in unrestrained and voluntarily head-restrained rats", eLife 4:e11308.
 */
export const PulseDecisionMaking: TaskSpec<PulseDecisionMakingParams, PulseDecisionMakingConditions> = {
  name: "PulseDecisionMaking",
  summary: "Count brief evidence pulses on two sides and pick the side with more.",
  reference: {
    authors: "Scott, Constantinople, Erlich, Tank & Brody",
    year: 2015,
    title:
      "Sources of noise during accumulation of evidence in unrestrained and voluntarily head-restrained rats",
    venue: "eLife 4:e11308",
    link: "https://elifesciences.org/articles/11308",
  },
  tags: ["perceptual", "two-alternative", "supervised"],
  defaults: {
    dtMs: 10,
    timing: pulseTiming(6),
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    pPulse: [0.3, 0.7],
    nBin: 6,
  },
  layout: () => ({
    observation: { fixation: 0, stimulus: [1, 2] },
    actions: { fixation: 0, choice: [1, 2] },
  }),
  validate(p) {
    requireInteger(this.name, "nBin", p.nBin, 1);
    if (p.nBin > 6) {
      throw new ValueError(
        `${this.name}: nBin must be an integer in [1, 6] (the timing table lists cue0..cue5 and bin0..bin5), got ${p.nBin}`,
      );
    }
    requireProbability(this.name, "pPulse[0]", p.pPulse[0]);
    requireProbability(this.name, "pPulse[1]", p.pPulse[1]);
  },
  responsePeriods: () => ["decision"],
  draw(rng, p) {
    let [p1, p2] = p.pPulse;
    if (rng.uniform() < 0.5) [p1, p2] = [p2, p1];
    const pulse1 = range(0, p.nBin).map((): number => (rng.uniform() < p1 ? 1 : 0));
    const pulse2 = range(0, p.nBin).map((): number => (rng.uniform() < p2 ? 1 : 0));
    const jitter = rng.uniformIn(-0.1, 0.1);
    const n1 = pulse1.reduce((a, v) => a + v, 0);
    const n2 = pulse2.reduce((a, v) => a + v, 0) + jitter;
    return { pulse1, pulse2, jitter, groundTruth: n1 < n2 ? 1 : 0 };
  },
  build(b, c, p) {
    const periods = ["fixation"];
    for (let i = 0; i < p.nBin; i++) periods.push(`cue${i}`, `bin${i}`);
    periods.push("decision");
    b.addPeriods(periods);
    b.addOb(1, undefined, "fixation");
    for (let i = 0; i < p.nBin; i++) {
      b.addOb(c.pulse1[i] ?? 0, `cue${i}`, 1);
      b.addOb(c.pulse2[i] ?? 0, `cue${i}`, 2);
    }
    b.setOb(0, "decision");
    b.setGroundTruth(c.groundTruth, "decision", "choice");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: "outsideResponse" }),
};
