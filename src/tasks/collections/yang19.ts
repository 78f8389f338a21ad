/**
 * The Yang et al. (2019) collection as NeuroGym ships it (`envs/collections/yang19.py`): 20 tasks on
 * one input/output layout, so one network can learn them all through a one-hot rule input.
 *
 * Every task sees `[fixation, stimulus_mod1×16, stimulus_mod2×16]` (33 inputs) and answers with
 * `[fixation, choice×16]` (17 actions): a direction on a ring of 16 preferred angles
 * `θ_k = 2πk/16`. Stimuli are Gaussian bumps `0.8·exp(−d²/2)·strength`, `d` the circular distance to
 * the stimulus direction in units of π/8. Three families:
 * - reach (`go`, `rtgo`, `dlygo`, `anti`, `rtanti`, `dlyanti`): a noiseless bump in one modality
 *   (the two alternate from trial to trial, modality 2 first, as NeuroGym's two-task random
 *   schedule does); answer its direction (go) or the opposite one (anti);
 * - decision (`dm1`, `dm2`, `ctxdm1`, `ctxdm2`, `multidm` and the delayed `dly…` forms): two bumps in
 *   noise (σ/√dt), answer the direction of the stronger, weighting the modalities by `wMod`;
 * - matching (`dms`, `dnms`, `dmc`, `dnmc`): a sample and a test separated by a delay; answer the test
 *   direction when they match (dms, dmc) or do not (dnms, dnmc), in direction or category (half ring).
 *
 * The fixation cue is on until the decision in the reach family and in the fixation period only in
 * the other two, as NeuroGym 2.2 has it; `fixationCue: "untilDecision"` keeps it on until the
 * decision in every task, as Yang et al.'s tasks (and NeuroGym 2.0) have it.
 */
import { ValueError } from "../../base/errors.ts";
import { type ChannelMap, range } from "../channels.ts";
import { circularDistance } from "../ring.ts";
import { responseRule } from "../rules.ts";
import type { BaseParams, RlRule, TaskSpec } from "../spec.ts";
import { makeTask, type Task, type TaskOptions } from "../task.ts";
import { type TimingSpec, uniform } from "../timing.ts";
import { randomSchedule } from "../schedules.ts";
import { scheduleEnvs } from "../wrappers.ts";
import { requireInteger, requireNonNegative, requireNumberList, requireOneOf } from "../validate.ts";
import { merged } from "../merge.ts";

/** Ring size of the collection. */
const RING = 16;

const REFERENCE = {
  authors: "Yang, Joglekar, Song, Newsome & Wang",
  year: 2019,
  title: "Task representations in neural networks trained to perform many cognitive tasks",
  venue: "Nat Neurosci 22:297",
  link: "https://www.nature.com/articles/s41593-018-0310-2",
} as const;

const REWARDS = { abort: -0.1, correct: 1, fail: 0 };

/** The shared layout: fixation, two 16-unit modality rings; fixation and 16 choices. */
function layout(dimRing: number): { readonly observation: ChannelMap; readonly actions: ChannelMap } {
  return {
    observation: {
      fixation: 0,
      stimulus_mod1: range(1, dimRing + 1),
      stimulus_mod2: range(dimRing + 1, 2 * dimRing + 1),
    },
    actions: { fixation: 0, choice: range(1, dimRing + 1) },
  };
}

/** Preferred angles `2πk/n`. */
const angles = (n: number): number[] => range(0, n).map((k) => (2 * Math.PI * k) / n);

/** NeuroGym's `_gaussianbump`: `0.8·exp(−(d/(π/8))²/2)·strength` on each unit. */
export function gaussianBump(loc: number, n: number, strength: number): number[] {
  return angles(n).map(
    (t) => 0.8 * Math.exp(-((circularDistance(loc - t) / (Math.PI / 8)) ** 2) / 2) * strength,
  );
}

const modalityChannel = (m: number): string => (m === 0 ? "stimulus_mod1" : "stimulus_mod2");

/**
 * How long the fixation cue stays on: `"fixation"` (the fixation period only) or `"untilDecision"`
 * (every period before the decision, so its offset is the go cue, as in Yang et al.'s own tasks).
 * NeuroGym 2.2 keeps it on until the decision in the reach family and in the fixation period only in
 * the decision and matching families (since 2.1; 2.0 kept it on there too), and each family's
 * default is NeuroGym 2.2's. Passing one value to the whole collection makes all 20 tasks agree.
 */
export type Yang19FixationCue = "fixation" | "untilDecision";

/** The periods the fixation cue is on in: `beforeDecision` (every period before the decision) or the fixation period alone. */
const cuePeriods = (cue: Yang19FixationCue, beforeDecision: readonly string[]): readonly string[] =>
  cue === "untilDecision" ? beforeDecision : ["fixation"];

const validateCue = (name: string, cue: unknown): void =>
  requireOneOf(name, "fixationCue", cue, ["fixation", "untilDecision"]);

/** Session state of the tasks shown in one modality per trial: the modality of the last trial. */
export interface ModalityState {
  modality: number;
}

/** The next modality: NeuroGym's two-task random schedule alternates, starting with modality 2. */
function nextModality(state: ModalityState): number {
  state.modality = 1 - state.modality;
  return state.modality;
}

// ---------------------------------------------------------------------------------------------
// Reach family

/** Options of the reach family (go, anti and their reaction-time and delayed forms). */
export interface Yang19ReachParams extends BaseParams {
  readonly dimRing: number;
  /** Answer the direction opposite the stimulus. */
  readonly anti: boolean;
  /** Reaction time: the stimulus appears with the go cue (periods fixation, decision only). */
  readonly reaction: boolean;
  readonly abort: boolean;
  /** How long the fixation cue stays on; NeuroGym's reach tasks: `"untilDecision"`. */
  readonly fixationCue: Yang19FixationCue;
}

/** Conditions: the answer's ring index and the modality (0 or 1) the stimulus is shown in. */
export type Yang19ReachConditions = { readonly groundTruth: number; readonly modality: number };

const reachSpec = (
  name: string,
  summary: string,
  over: Partial<Yang19ReachParams>,
): TaskSpec<Yang19ReachParams, Yang19ReachConditions, ModalityState> => ({
  name,
  summary,
  reference: REFERENCE,
  tags: ["perceptual", "steps action space"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 500, stimulus: 500, delay: 0, decision: 500 },
    rewards: REWARDS,
    dimRing: RING,
    anti: false,
    reaction: false,
    abort: false,
    fixationCue: "untilDecision",
    ...over,
  },
  layout: (p) => layout(p.dimRing),
  validate(p) {
    requireInteger(name, "dimRing", p.dimRing, 2);
    validateCue(name, p.fixationCue);
  },
  responsePeriods: () => ["decision"],
  initialState: () => ({ modality: 0 }),
  draw: (rng, p, state) => ({ groundTruth: rng.integer(0, p.dimRing), modality: nextModality(state) }),
  build(b, c, p) {
    const theta = (2 * Math.PI * c.groundTruth) / p.dimRing;
    const stim = gaussianBump(p.anti ? (theta + Math.PI) % (2 * Math.PI) : theta, p.dimRing, 1);
    if (p.reaction) {
      b.addPeriods(["fixation", "decision"]);
      b.addOb(1, "fixation", "fixation");
      b.addOb(stim, "decision", modalityChannel(c.modality));
    } else {
      b.addPeriods(["fixation", "stimulus", "delay", "decision"]);
      b.addOb(1, cuePeriods(p.fixationCue, ["fixation", "stimulus", "delay"]), "fixation");
      b.addOb(stim, "stimulus", modalityChannel(c.modality));
    }
    b.setGroundTruth(c.groundTruth, "decision", "choice");
    return c;
  },
  rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
});

// ---------------------------------------------------------------------------------------------
// Decision family

/** Options of the decision family (dm, ctxdm, multidm and the delayed forms). */
export interface Yang19DecisionParams extends BaseParams {
  readonly dimRing: number;
  /** Stimulus strengths: signed offsets `±coh` around 0.5 (dm), or the two strengths (delayed). */
  readonly cohs: readonly number[];
  /** Input noise; per-step sd is `sigma / sqrt(dtMs)`. */
  readonly sigma: number;
  /** Weight of each modality in the decision. */
  readonly wMod: readonly [number, number];
  /** Which modalities show stimuli. */
  readonly stimMod: readonly [boolean, boolean];
  /** The two stimuli come one after the other across a delay (`dly…` tasks). */
  readonly delayComparison: boolean;
  readonly abort: boolean;
  /** How long the fixation cue stays on; NeuroGym 2.2's decision tasks: `"fixation"`. */
  readonly fixationCue: Yang19FixationCue;
}

/**
 * Conditions: the two directions (`theta1`, `theta2`, ring indices), each modality's two strengths
 * (`coh1Mod1`, `coh2Mod1`, ...; 0 for a modality without stimulus), the tie-breaking jitter, and the
 * answer `groundTruth` (derived: the direction whose weighted strength is larger).
 */
export type Yang19DecisionConditions = {
  readonly theta1: number;
  readonly theta2: number;
  readonly coh1Mod1: number;
  readonly coh2Mod1: number;
  readonly coh1Mod2: number;
  readonly coh2Mod2: number;
  readonly jitter: number;
  readonly groundTruth?: number;
};

const DM_TIMING: Readonly<Record<string, TimingSpec>> = {
  fixation: uniform(200, 500),
  stimulus: 500,
  decision: 200,
};
const DLYDM_TIMING: Readonly<Record<string, TimingSpec>> = {
  fixation: uniform(200, 500),
  stim1: 500,
  delay: 1000,
  stim2: 500,
  decision: 200,
};

const decisionSpec = (
  name: string,
  summary: string,
  over: Partial<Yang19DecisionParams>,
): TaskSpec<Yang19DecisionParams, Yang19DecisionConditions> => {
  const delayed = over.delayComparison === true;
  return {
    name,
    summary,
    reference: REFERENCE,
    // NeuroGym's decision family declares no metadata, hence no tags.
    tags: [],
    defaults: {
      dtMs: 100,
      timing: delayed ? DLYDM_TIMING : DM_TIMING,
      rewards: REWARDS,
      dimRing: RING,
      cohs: delayed ? [0.3, 0.6, 1] : [0.08, 0.16, 0.32, 0.64],
      sigma: 1,
      wMod: [1, 1],
      stimMod: [true, true],
      delayComparison: delayed,
      abort: false,
      fixationCue: "fixation",
      ...over,
    },
    layout: (p) => layout(p.dimRing),
    validate(p) {
      requireInteger(name, "dimRing", p.dimRing, 2);
      requireNumberList(name, "cohs", p.cohs);
      requireNonNegative(name, "sigma", p.sigma);
      validateCue(name, p.fixationCue);
      if (p.delayComparison && p.cohs.length < 2) {
        throw new ValueError(
          `${name}: cohs must offer at least 2 strengths to draw two different ones, got ${p.cohs.length}`,
        );
      }
      if (!p.stimMod[0] && !p.stimMod[1])
        throw new ValueError(`${name}: stimMod must show at least one modality`);
    },
    responsePeriods: () => ["decision"],
    draw(rng, p) {
      const theta1 = rng.integer(0, p.dimRing);
      const other = rng.integer(0, p.dimRing - 1);
      const theta2 = other >= theta1 ? other + 1 : other;
      const cohs: number[] = [];
      for (const shown of p.stimMod) {
        if (!shown) cohs.push(0, 0);
        else if (p.delayComparison) {
          const i = rng.integer(0, p.cohs.length);
          const j = rng.integer(0, p.cohs.length - 1);
          cohs.push(p.cohs[i] as number, p.cohs[j >= i ? j + 1 : j] as number);
        } else {
          const coh = rng.choice(p.cohs) * rng.choice([-1, 1]);
          cohs.push(0.5 + coh / 2, 0.5 - coh / 2);
        }
      }
      const [coh1Mod1, coh2Mod1, coh1Mod2, coh2Mod2] = cohs as [number, number, number, number];
      return { theta1, theta2, coh1Mod1, coh2Mod1, coh1Mod2, coh2Mod2, jitter: rng.uniformIn(-1e-6, 1e-6) };
    },
    build(b, c, p) {
      const [first, second] = p.delayComparison ? ["stim1", "stim2"] : ["stimulus", "stimulus"];
      b.addPeriods(
        p.delayComparison
          ? ["fixation", "stim1", "delay", "stim2", "decision"]
          : ["fixation", "stimulus", "decision"],
      );
      b.addOb(
        1,
        cuePeriods(
          p.fixationCue,
          p.delayComparison ? ["fixation", "stim1", "delay", "stim2"] : ["fixation", "stimulus"],
        ),
        "fixation",
      );
      const sigma = p.sigma / Math.sqrt(p.dtMs);
      const stimPeriods = p.delayComparison ? ["stim1", "stim2"] : ["stimulus"];
      b.addNoise(sigma, stimPeriods, "stimulus_mod1");
      b.addNoise(sigma, stimPeriods, "stimulus_mod2");
      const phi1 = (2 * Math.PI * c.theta1) / p.dimRing;
      const phi2 = (2 * Math.PI * c.theta2) / p.dimRing;
      const strengths = [
        [c.coh1Mod1, c.coh2Mod1],
        [c.coh1Mod2, c.coh2Mod2],
      ] as const;
      let total1 = 0;
      let total2 = 0;
      for (const m of [0, 1]) {
        if (!p.stimMod[m]) continue;
        const [s1, s2] = strengths[m] as readonly [number, number];
        b.addOb(gaussianBump(phi1, p.dimRing, s1), first, modalityChannel(m));
        b.addOb(gaussianBump(phi2, p.dimRing, s2), second, modalityChannel(m));
        total1 += (p.wMod[m] as number) * s1;
        total2 += (p.wMod[m] as number) * s2;
      }
      b.setOb(0, "decision");
      const groundTruth = total1 + c.jitter > total2 ? c.theta1 : c.theta2;
      b.setGroundTruth(groundTruth, "decision", "choice");
      return merged(c, { groundTruth });
    },
    rl: responseRule({ response: ["decision"], abortIn: ["fixation"] }),
  };
};

// ---------------------------------------------------------------------------------------------
// Matching family

/** Options of the matching family (dms, dnms, dmc, dnmc). */
export interface Yang19MatchParams extends BaseParams {
  readonly dimRing: number;
  /** Match the sample's direction or its category (half ring). */
  readonly matchTo: "sample" | "category";
  /** Answer (go to the test) on match trials (`true`) or on non-match trials (`false`). */
  readonly matchGo: boolean;
  readonly sigma: number;
  readonly abort: boolean;
  /**
   * [quirk] NeuroGym scores a correctly withheld response 0 (the trial's performance is never set).
   * `true` scores it 1, as GoNogo's option does.
   */
  readonly scoreNoGoTrials: boolean;
  /** How long the fixation cue stays on; NeuroGym 2.2's matching tasks: `"fixation"`. */
  readonly fixationCue: Yang19FixationCue;
}

/**
 * Conditions: `groundTruth` `"match"` or `"non-match"`, the modality, the sample and test ring
 * indices. Categories are NeuroGym's: a sample index above `dimRing/2` is category 1 (so index 8 of
 * 16 counts as category 0 for a sample but 1 for a test, which is drawn as `k + 8·category`).
 */
export type Yang19MatchConditions = {
  readonly groundTruth: "match" | "non-match";
  readonly modality: number;
  readonly sample: number;
  readonly test: number;
};

const isGo = (c: Yang19MatchConditions, p: Yang19MatchParams): boolean =>
  (c.groundTruth === "match") === p.matchGo;

const matchRule = (): RlRule<Yang19MatchParams, Yang19MatchConditions> => {
  const base = responseRule<Yang19MatchParams, Yang19MatchConditions>({
    response: ["decision"],
    abortIn: ["fixation"],
  });
  return {
    ...base,
    initialPerformance: (trial, p) => (p.scoreNoGoTrials && !isGo(trial.info.conditions, p) ? 1 : 0),
    step(ctx) {
      const res = base.step(ctx);
      // A response on a no-go trial fails (its target 0 never equals a response) and scores 0.
      if (res.newTrial && ctx.inPeriod("decision") && ctx.gtNow === 0) ctx.performance = 0;
      return res;
    },
  };
};

const matchSpec = (
  name: string,
  summary: string,
  over: Partial<Yang19MatchParams>,
): TaskSpec<Yang19MatchParams, Yang19MatchConditions, ModalityState> => ({
  name,
  summary,
  reference: REFERENCE,
  tags: ["perceptual", "working memory", "two-alternative", "supervised"],
  defaults: {
    dtMs: 100,
    timing: { fixation: 300, sample: 500, delay: 1000, test: 500, decision: 900 },
    rewards: REWARDS,
    dimRing: RING,
    matchTo: "sample",
    matchGo: true,
    sigma: 1,
    abort: false,
    scoreNoGoTrials: false,
    fixationCue: "fixation",
    ...over,
  },
  layout: (p) => layout(p.dimRing),
  validate(p) {
    requireInteger(name, "dimRing", p.dimRing, 2);
    if (p.dimRing % 2 !== 0) throw new ValueError(`${name}: dimRing must be even, got ${p.dimRing}`);
    requireNonNegative(name, "sigma", p.sigma);
    validateCue(name, p.fixationCue);
  },
  responsePeriods: () => ["decision"],
  initialState: () => ({ modality: 0 }),
  draw(rng, p, state) {
    const half = p.dimRing / 2;
    const groundTruth = rng.choice(["match", "non-match"] as const);
    const modality = nextModality(state);
    const sample = rng.integer(0, p.dimRing);
    let test: number;
    if (p.matchTo === "category") {
      const sampleCategory = sample > half ? 1 : 0;
      const testCategory = groundTruth === "match" ? sampleCategory : 1 - sampleCategory;
      test = rng.integer(0, half) + testCategory * half;
    } else test = groundTruth === "match" ? sample : (sample + half) % p.dimRing;
    return { groundTruth, modality, sample, test };
  },
  build(b, c, p) {
    b.addPeriods(["fixation", "sample", "delay", "test", "decision"]);
    b.addOb(1, cuePeriods(p.fixationCue, ["fixation", "sample", "delay", "test"]), "fixation");
    const ch = modalityChannel(c.modality);
    b.addOb(gaussianBump((2 * Math.PI * c.sample) / p.dimRing, p.dimRing, 1), "sample", ch);
    b.addOb(gaussianBump((2 * Math.PI * c.test) / p.dimRing, p.dimRing, 1), "test", ch);
    b.addNoise(p.sigma / Math.sqrt(p.dtMs), ["sample", "test"], ch);
    if (isGo(c, p)) b.setGroundTruth(c.test, "decision", "choice");
    return c;
  },
  rl: matchRule(),
});

// ---------------------------------------------------------------------------------------------
// The 20 tasks

const DM1_TIMING = { fixation: uniform(200, 500), stimulus: [200, 400, 600], decision: 200 };

/** The 20 task declarations by their NeuroGym names, in Yang et al.'s order. */
export const yang19Specs = {
  go: reachSpec("yang19.go", "Reach towards a stimulus after the go cue.", {}),
  rtgo: reachSpec("yang19.rtgo", "Reach towards a stimulus as soon as it appears.", { reaction: true }),
  dlygo: reachSpec("yang19.dlygo", "Remember a stimulus direction through a delay, then reach to it.", {
    timing: { fixation: 500, stimulus: 500, delay: 500, decision: 500 },
  }),
  anti: reachSpec("yang19.anti", "Reach away from a stimulus after the go cue.", { anti: true }),
  rtanti: reachSpec("yang19.rtanti", "Reach away from a stimulus as soon as it appears.", {
    anti: true,
    reaction: true,
  }),
  dlyanti: reachSpec(
    "yang19.dlyanti",
    "Remember a stimulus direction through a delay, then reach away from it.",
    {
      anti: true,
      timing: { fixation: 500, stimulus: 500, delay: 500, decision: 500 },
    },
  ),
  dm1: decisionSpec("yang19.dm1", "Pick the stronger of two stimuli in modality 1.", {
    stimMod: [true, false],
    timing: DM1_TIMING,
  }),
  dm2: decisionSpec("yang19.dm2", "Pick the stronger of two stimuli in modality 2.", {
    stimMod: [false, true],
  }),
  ctxdm1: decisionSpec("yang19.ctxdm1", "Pick the stronger stimulus in modality 1, ignoring modality 2.", {
    wMod: [1, 0],
  }),
  ctxdm2: decisionSpec("yang19.ctxdm2", "Pick the stronger stimulus in modality 2, ignoring modality 1.", {
    wMod: [0, 1],
  }),
  multidm: decisionSpec("yang19.multidm", "Pick the stimulus stronger summed over both modalities.", {}),
  dlydm1: decisionSpec("yang19.dlydm1", "Compare two stimuli shown one after the other in modality 1.", {
    delayComparison: true,
    stimMod: [true, false],
  }),
  dlydm2: decisionSpec("yang19.dlydm2", "Compare two stimuli shown one after the other in modality 2.", {
    delayComparison: true,
    stimMod: [false, true],
  }),
  ctxdlydm1: decisionSpec(
    "yang19.ctxdlydm1",
    "Compare two delayed stimuli in modality 1, ignoring modality 2.",
    {
      delayComparison: true,
      wMod: [1, 0],
    },
  ),
  ctxdlydm2: decisionSpec(
    "yang19.ctxdlydm2",
    "Compare two delayed stimuli in modality 2, ignoring modality 1.",
    {
      delayComparison: true,
      wMod: [0, 1],
    },
  ),
  multidlydm: decisionSpec("yang19.multidlydm", "Compare two delayed stimuli summed over both modalities.", {
    delayComparison: true,
  }),
  dms: matchSpec("yang19.dms", "Answer the test direction if it matches the remembered sample.", {}),
  dnms: matchSpec("yang19.dnms", "Answer the test direction if it differs from the remembered sample.", {
    matchGo: false,
  }),
  dmc: matchSpec("yang19.dmc", "Answer the test direction if its category matches the sample's.", {
    matchTo: "category",
  }),
  dnmc: matchSpec("yang19.dnmc", "Answer the test direction if its category differs from the sample's.", {
    matchTo: "category",
    matchGo: false,
  }),
} as const;

/** The 20 task names in Yang et al.'s order. */
export const yang19TaskNames = Object.keys(yang19Specs) as (keyof typeof yang19Specs)[];

/** One Yang-19 task by name (`"dlydm1"`), configured with `options`. */
export function yang19Task(name: string, options: Readonly<Record<string, unknown>> = {}): Task {
  if (!Object.hasOwn(yang19Specs, name)) {
    throw new ValueError(`yang19: unknown task '${name}'; the tasks are ${yang19TaskNames.join(", ")}`);
  }
  const spec = yang19Specs[name as keyof typeof yang19Specs] as unknown as TaskSpec<
    BaseParams,
    Record<string, unknown>,
    unknown
  >;
  return makeTask(spec, options as TaskOptions<BaseParams>);
}

/**
 * The Yang-19 environment: one trial from each of `tasks` (default all 20) in turn by NeuroGym's
 * random schedule (never the same task twice in a row), with the one-hot rule input appended
 * (`[fixation, stimulus_mod1×16, stimulus_mod2×16, rule×n]`, 53 inputs for all 20). `options` go to
 * every task (e.g. `{ dtMs: 20, fixationCue: "untilDecision" }`).
 */
export function yang19(
  options: Readonly<Record<string, unknown>> = {},
  tasks: readonly string[] = yang19TaskNames,
): Task {
  return scheduleEnvs(
    tasks.map((n) => yang19Task(n, options)),
    randomSchedule(tasks.length),
    { envInput: true, names: tasks },
  );
}
