import { reward, abortsTrial } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { truncatedExponential } from "../timing.ts";
import { requireNonNegative, requirePositive } from "../validate.ts";
import { merged } from "../merge.ts";

/** Options of {@link Detection}. */
export interface DetectionParams extends BaseParams {
  /** Input noise; per-step sd is `sigma / sqrt(dtMs)`. */
  readonly sigma: number;
  /** Stimulus onset after the start of the stimulus period (ms); `null` draws it per trial. */
  readonly delay: number | null;
  /** How long the stimulus lasts (ms). */
  readonly stimDur: number;
  /** End the trial on a fixation break. */
  readonly abort: boolean;
}

/**
 * Conditions: `groundTruth` 1 on go trials (a stimulus appears), 0 on no-go trials; `onsetMs` is
 * where the stimulus starts within the stimulus period (0 on no-go trials; drawn by `build`, once the
 * stimulus period's length is known).
 */
export type DetectionConditions = { readonly groundTruth: number; readonly onsetMs?: number };

/**
 * Detect a brief stimulus in noise and respond (go) as soon as it appears; withhold on trials
 * without one. The stimulus adds 0.5 for `stimDur` ms at a random onset within the stimulus period;
 * the target is "go" from the onset to the end of the trial.
 *
 * NeuroGym's version does not work (its docs/tasks.md entry says how this one differs): it adds the
 * noise twice on no-go trials (so the noise level gives the answer away) and scores a correctly
 * withheld no-go trial 0 (it sets performance 1 when the trial is made, then resets it). Here the noise
 * is the same on every trial and a withheld no-go trial scores 1. `delay` is in ms (NeuroGym uses the
 * value as a step index).
 *
 * Obs `[fixation, stimulus]`; actions `[fixation, go]`. A response during the stimulus period ends
 * the trial: correct only on go trials at or after the onset.
 */
export const Detection: TaskSpec<DetectionParams, DetectionConditions> = {
  name: "Detection",
  summary: "Respond as soon as a brief stimulus appears in noise; withhold when none does.",
  reference: null,
  tags: ["perceptual", "reaction time", "go-no-go", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 500, stimulus: truncatedExponential(1000, 500, 1500) },
    rewards: { abort: -0.1, correct: 1, fail: -1, miss: -1 },
    sigma: 1,
    delay: null,
    stimDur: 100,
    abort: false,
  },
  layout: () => ({ observation: { fixation: 0, stimulus: 1 }, actions: { fixation: 0, go: 1 } }),
  validate(p) {
    requireNonNegative(this.name, "sigma", p.sigma);
    requirePositive(this.name, "stimDur", p.stimDur);
    if (p.delay !== null) requireNonNegative(this.name, "delay", p.delay);
  },
  responsePeriods: () => ["stimulus"],
  draw: (rng) => ({ groundTruth: rng.integer(0, 2) }),
  build(b, c, p) {
    b.addPeriods(["fixation", "stimulus"]);
    b.addOb(1, "fixation", "fixation");
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), "stimulus", "stimulus");
    if (c.groundTruth !== 1) return merged(c, { onsetMs: 0 });
    const stim = b.period("stimulus");
    const nStim = stim.end - stim.start;
    const durSteps = Math.floor(p.stimDur / p.dtMs + 1e-9);
    // A one-step stimulus leaves one more step after it to respond in (as NeuroGym does).
    const extra = durSteps === 1 ? 1 : 0;
    let onset: number;
    if (p.delay === null) {
      const maxDelay = nStim - durSteps - extra;
      onset = maxDelay <= 0 ? 0 : b.rng.integer(0, maxDelay);
    } else {
      onset = Math.floor(p.delay / p.dtMs + 1e-9);
    }
    // A caller-given onset replaces the drawn one (drawn anyway, so the generator advances alike).
    if (c.onsetMs !== undefined) onset = Math.floor(c.onsetMs / p.dtMs + 1e-9);
    onset = Math.min(Math.max(onset, 0), nStim);
    const col = b.columns("stimulus")[0] as number;
    const ob = b.ob;
    for (let t = stim.start + onset; t < Math.min(stim.start + onset + durSteps, stim.end); t++) {
      ob[t * 2 + col] = (ob[t * 2 + col] as number) + 0.5;
    }
    b.gt.fill(1, stim.start + onset, stim.end);
    return merged(c, { onsetMs: onset * p.dtMs });
  },
  rl: {
    step(ctx) {
      if (ctx.inPeriod("fixation")) {
        if (ctx.action !== 0)
          return { reward: reward(ctx.params, "abort"), newTrial: abortsTrial(ctx.params) };
        return { reward: 0, newTrial: false };
      }
      if (ctx.inPeriod("stimulus") && ctx.action !== 0) {
        const { conditions, periods } = ctx.trial.info;
        const onset = (periods["fixation"]?.endMs ?? 0) + (conditions.onsetMs ?? 0);
        if (ctx.action === conditions.groundTruth && ctx.tMs >= onset) {
          ctx.performance = 1;
          return { reward: reward(ctx.params, "correct"), newTrial: true };
        }
        ctx.performance = 0;
        return { reward: reward(ctx.params, "fail"), newTrial: true };
      }
      return { reward: 0, newTrial: false };
    },
    rTmax: (trial, p) => (trial.info.conditions.groundTruth === 1 ? reward(p, "miss") : 0),
    initialPerformance: (trial) => (trial.info.conditions.groundTruth === 1 ? 0 : 1),
  },
};
