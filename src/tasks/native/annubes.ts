import { ValueError } from "../../base/errors.ts";
import { range } from "../channels.ts";
import { reward } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import {
  requireInteger,
  requireNonNegative,
  requireNumberList,
  requirePositive,
  requireProbability,
} from "../validate.ts";

/** Options of {@link AnnubesEnv}. */
export interface AnnubesEnvParams extends BaseParams {
  /**
   * Trial types and their relative frequencies: one letter per modality (`v`, `a`), letters combined
   * for multimodal trials (`av`). Each type gets its own input channel.
   */
  readonly session: Readonly<Record<string, number>>;
  /** Stimulus intensities drawn uniformly on non-catch trials. */
  readonly stimIntensities: readonly number[];
  /** Probability of a catch trial (no stimulus; the target is to withhold). */
  readonly catchProb: number;
  /** At most this many consecutive trials of one type (catch trials excluded); `null`: no limit. */
  readonly maxSequential: number | null;
  /** Value of the fixation input during fixation. */
  readonly fixIntensity: number;
  /** Time constant (ms) that scales the noise: sd `noiseStd·sqrt(2α)/α`, `α = dtMs/tauMs`. */
  readonly tauMs: number;
  /** Output values; only their number (the action count) is used, as in NeuroGym. */
  readonly outputBehavior: readonly number[];
  /** Input noise sd before the `tauMs` scaling. */
  readonly noiseStd: number;
}

/** Conditions of one trial. */
export type AnnubesEnvConditions = {
  readonly catch: boolean;
  readonly stimType: string | null;
  readonly stimValue: number | null;
  readonly sequentialCount: number;
};

/** Session state: the last trial type and how many trials in a row had it. */
export interface AnnubesState {
  sequentialCount: number;
  lastModality: string | null;
}

const RESERVED = ["fixation", "start"];

/**
 * NeuroGym's Annubes task (audio-visual detection, after the ANNUBeS project): after fixation a start
 * cue comes on with, unless the trial is a catch trial, one stimulus of a session-drawn type; the
 * network responds (action 1) for the whole stimulus period when a stimulus is present and withholds
 * (action 0) on catch trials. A response on any stimulus step that matches the target scores the trial.
 *
 * Obs `[fixation, start, one channel per session type]`; actions `[fixation, choice×(outputs − 1)]`.
 */
export const AnnubesEnv: TaskSpec<AnnubesEnvParams, AnnubesEnvConditions, AnnubesState> = {
  name: "AnnubesEnv",
  summary:
    "Report whether a visual or auditory stimulus is present after a start cue (catch trials withhold).",
  reference: null,
  tags: [],
  defaults: {
    dtMs: 100,
    timing: { fixation: 500, stimulus: 1000, iti: 0 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    session: { v: 0.5, a: 0.5 },
    stimIntensities: [0.8, 0.9, 1],
    catchProb: 0.5,
    maxSequential: null,
    fixIntensity: 0,
    tauMs: 100,
    outputBehavior: [0, 1],
    noiseStd: 0.01,
  },
  layout: (p) => {
    const types = Object.keys(p.session);
    return {
      observation: { fixation: 0, start: 1, ...Object.fromEntries(types.map((k, i) => [k, i + 2])) },
      actions: { fixation: 0, choice: range(1, p.outputBehavior.length) },
    };
  },
  validate(p) {
    const types = Object.keys(p.session);
    if (types.length === 0)
      throw new ValueError(`${this.name}: session must name at least one trial type, got {}`);
    for (const [k, w] of Object.entries(p.session)) {
      if (RESERVED.includes(k)) {
        throw new ValueError(
          `${this.name}: session type '${k}' clashes with the ${k} channel; use another name`,
        );
      }
      requireNonNegative(this.name, `session.${k}`, w);
    }
    if (!(Object.values(p.session).reduce((a, w) => a + w, 0) > 0)) {
      throw new ValueError(
        `${this.name}: session weights must not all be 0, got ${JSON.stringify(p.session)}`,
      );
    }
    requireNumberList(this.name, "stimIntensities", p.stimIntensities);
    requireProbability(this.name, "catchProb", p.catchProb);
    if (p.maxSequential !== null) requireInteger(this.name, "maxSequential", p.maxSequential, 1);
    requirePositive(this.name, "tauMs", p.tauMs);
    requireNonNegative(this.name, "noiseStd", p.noiseStd);
    requireNumberList(this.name, "outputBehavior", p.outputBehavior);
    if (p.outputBehavior.length < 2) {
      throw new ValueError(
        `${this.name}: outputBehavior must have at least 2 values, got ${p.outputBehavior.length}`,
      );
    }
  },
  responsePeriods: () => ["stimulus"],
  initialState: () => ({ sequentialCount: 1, lastModality: null }),
  draw(rng, p, state) {
    const isCatch = rng.uniform() < p.catchProb;
    if (isCatch) {
      state.sequentialCount = 1;
      state.lastModality = null;
      return { catch: true, stimType: null, stimValue: null, sequentialCount: 1 };
    }
    const types = Object.keys(p.session);
    let stimType: string;
    if (types.length === 1) stimType = types[0] as string;
    else if (p.maxSequential !== null && state.sequentialCount >= p.maxSequential) {
      stimType = rng.choice(types.filter((k) => k !== state.lastModality));
    } else stimType = types[rng.categorical(types.map((k) => p.session[k] as number))] as string;
    state.sequentialCount = stimType !== state.lastModality ? 1 : state.sequentialCount + 1;
    state.lastModality = stimType;
    const stimValue = rng.choice(p.stimIntensities);
    return { catch: false, stimType, stimValue, sequentialCount: state.sequentialCount };
  },
  build(b, c, p) {
    b.addPeriods(["fixation", "stimulus", "iti"]);
    b.addOb(p.fixIntensity, "fixation", "fixation");
    b.addOb(1, "stimulus", "start");
    if (!c.catch && c.stimType !== null && c.stimValue !== null) {
      const alpha = p.dtMs / p.tauMs;
      b.addOb(c.stimValue, "stimulus", c.stimType);
      b.addNoise((p.noiseStd * Math.sqrt(2 * alpha)) / alpha, "stimulus", c.stimType);
      b.setGroundTruth(1, "stimulus");
    }
    return c;
  },
  rl: {
    step(ctx) {
      if (ctx.inPeriod("fixation") || ctx.inPeriod("iti")) {
        return { reward: ctx.action !== 0 ? reward(ctx.params, "abort") : 0, newTrial: false };
      }
      if (ctx.inPeriod("stimulus")) {
        let r: number;
        if (ctx.action === ctx.gtNow) {
          r = reward(ctx.params, "correct");
          ctx.performance = 1;
        } else r = reward(ctx.params, "fail");
        return { reward: r, newTrial: ctx.tMs >= ctx.trial.info.tmaxMs - ctx.params.dtMs };
      }
      return { reward: 0, newTrial: false };
    },
  },
};
