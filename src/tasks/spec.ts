/**
 * The shape of a task declaration and of the trials it makes. A task is data (defaults, channels,
 * timing) plus two small functions: `draw` picks the trial conditions, `build` lays out periods and
 * writes observations and ground truth.
 */
import type { Rng } from "../base/random.ts";
import type { ChannelMap } from "./channels.ts";
import type { Timing } from "./timing.ts";
import type { PeriodBounds, TrialBuilder } from "./trialBuilder.ts";

/** The paper a task reproduces. */
export interface PaperReference {
  readonly authors: string;
  readonly year: number;
  readonly title: string;
  readonly venue: string;
  readonly link?: string;
}

/** Options every task has. */
export interface BaseParams {
  /** Step size in ms. */
  readonly dtMs: number;
  /** Period name → duration spec (ms). */
  readonly timing: Timing;
  /** Reward per outcome (RL mode), e.g. `{ abort: -0.1, correct: 1, fail: 0 }`. */
  readonly rewards: Readonly<Record<string, number>>;
}

/**
 * The per-step loss mask: `"decision"` (default) weights only the steps where the task scores a
 * response, `"all"` weights every step, and `{ fixation, decision }` weights response steps by
 * `decision` and all other steps by `fixation`.
 */
export type LossMask = "decision" | "all" | { readonly fixation: number; readonly decision: number };

/** Trial conditions: the values drawn per trial (`groundTruth`, `coh`, ...). */
export type Conditions = Readonly<Record<string, unknown>>;

/** Period name → duration in ms, for the periods a trial draws from its timing. */
export type Durations = Readonly<Record<string, number>>;

/**
 * The conditions a trial logs: the task's conditions and the durations it drew, everything
 * `sampleTrial(rng, { conditions })` needs to rebuild it (its noise aside, which `rng` draws).
 */
export type LoggedConditions<C extends Conditions = Conditions> = C & { readonly durations: Durations };

/** Everything known about one trial besides its arrays. */
export interface TrialInfo<C extends Conditions = Conditions> {
  /**
   * Drawn (or caller-fixed) conditions, with NeuroGym's meaning of `groundTruth` for the task, and
   * the drawn period `durations`: passed back as `sampleTrial`'s `conditions` they rebuild this trial.
   */
  readonly conditions: LoggedConditions<C>;
  /** Period name → bounds, in the order they were added. */
  readonly periods: Readonly<Record<string, PeriodBounds>>;
  /** Periods whose steps the task scores (the default loss mask). */
  readonly responsePeriods: readonly string[];
  readonly nSteps: number;
  readonly dtMs: number;
  readonly tmaxMs: number;
}

/** One trial as plain arrays. */
export interface Trial<C extends Conditions = Conditions, G extends Int32Array | Float32Array = Int32Array> {
  /** Observations `[T, obDim]`, row-major. */
  readonly ob: Float32Array;
  /** Target per step `[T]`: action classes (`Int32Array`) or floats for regression tasks (`[T, gtDim]` for vector targets). */
  readonly gt: G;
  /** Loss weight per step `[T]` (see {@link LossMask}). */
  readonly mask: Float32Array;
  readonly info: TrialInfo<C>;
}

/** How a caller samples a trial. */
export interface SampleOptions<C extends Conditions = Conditions> {
  /**
   * Fix some conditions (e.g. `{ groundTruth: 0, coh: 51.2 }`) and period `durations` (ms); the rest
   * are drawn. Every key of a trial's `info.conditions` is accepted; a value that follows from the
   * others (`production = measure × gain`) must agree with them.
   */
  readonly conditions?: Partial<C> & { readonly durations?: Durations };
  /** `false` turns input noise off (for evaluation, oracles and psychometric curves). Default true. */
  readonly noise?: boolean;
  /**
   * The trial is for the RL environment ({@link TaskEnv}): wrappers that act on each step (Noise,
   * PassReward, PassAction) leave those inputs to the step instead of writing them into the trial.
   */
  readonly forEnv?: boolean;
  /**
   * The caller copies the trial's `ob`, `gt` and `mask` out before it samples this task again, as
   * `trialBatch` and `Dataset` do. The task may then write every such trial into one buffer it
   * reuses, so these arrays stay valid only until the task's next transient trial (`info` is the
   * trial's own). Default false.
   */
  readonly transient?: boolean;
}

/** What a reward rule sees at one RL step. */
export interface RlStepContext<P extends BaseParams = BaseParams, C extends Conditions = Conditions> {
  readonly action: number;
  /** The action vector of a task with continuous actions (`action` is then NaN). */
  readonly actionVector?: Float32Array;
  /** In-trial time in ms before this step. */
  readonly tMs: number;
  readonly tInd: number;
  /** `gt[tInd]` of the current trial. */
  readonly gtNow: number;
  readonly trial: Trial<C, Int32Array | Float32Array>;
  readonly params: P;
  /** NeuroGym's `in_period`: `start <= tMs < end`; false for periods the trial lacks. */
  inPeriod(name: string): boolean;
  /** This trial's score so far; the rule writes it. */
  performance: number;
  /** Per-environment state the rule may keep between steps (reset per trial by `onNewTrial`). */
  readonly scratch: Record<string, number>;
  /** The environment's stream for draws a rule makes while stepping (e.g. Bandit's rewards). */
  readonly rng: Rng;
}

/** What a reward rule returns for one step. */
export interface RlStepResult {
  readonly reward: number;
  readonly newTrial: boolean;
  /** An observation replacing `ob[tInd]` (tasks whose input depends on the agent). */
  readonly ob?: Float32Array;
}

/** One finished environment step, as step wrappers see it. */
export interface StepOutcome {
  /** The observation the agent is about to get (the next step's row). */
  readonly ob: Float32Array;
  /** The step's reward, time-out reward included. */
  readonly reward: number;
  readonly action: number;
  readonly newTrial: boolean;
  /** The environment's rule stream. */
  readonly rng: Rng;
  /** Whether the environment samples noisy trials. */
  readonly noise: boolean;
}

/** RL semantics of a task: its `_step`, plus the per-trial hooks NeuroGym tasks use. */
export interface RlRule<P extends BaseParams = BaseParams, C extends Conditions = Conditions> {
  step(ctx: RlStepContext<P, C>): RlStepResult;
  /** Reward added when a trial times out without a response (NeuroGym `r_tmax`). */
  rTmax?(trial: Trial<C, Int32Array | Float32Array>, params: P): number;
  /** Performance a trial starts with (NeuroGym resets it to 0; some fixes score withheld responses). */
  initialPerformance?(trial: Trial<C, Int32Array | Float32Array>, params: P): number;
  /** Called when a trial starts (reset per-trial scratch state). */
  onNewTrial?(scratch: Record<string, number>, trial: Trial<C, Int32Array | Float32Array>): void;
  /** Rewrites the observation returned after a step (closed-loop inputs). */
  observe?(ob: Float32Array, scratch: Record<string, number>, params: P): void;
  /**
   * Runs last in every environment step (NeuroGym's step wrappers: the reward or action passed as an
   * input, observation noise, an urgency cost); returns the observation and reward the agent gets.
   */
  afterStep?(step: StepOutcome): { readonly ob: Float32Array; readonly reward: number };
}

/**
 * A task declaration. `P` are its options (with defaults), `C` its trial conditions, `S` state
 * carried across trials of one session (blocks, reward contingencies).
 */
export interface TaskSpec<P extends BaseParams, C extends Conditions, S = undefined> {
  /** NeuroGym class name (the env id is `${name}-v0`). */
  readonly name: string;
  /** What the task tests, one sentence. */
  readonly summary: string;
  readonly reference: PaperReference | null;
  readonly tags: readonly string[];
  readonly defaults: P;
  /** Float targets instead of classes. */
  readonly regression?: boolean;
  /** Values per step of a regression target (`gt` is `[T, gtDim]`); default 1 (`[T]`). */
  readonly gtDim?: number;
  /** The agent's action is a vector of `nActions` numbers (NeuroGym's Box action space), not a class. */
  readonly continuousActions?: boolean;
  /** RL only: trials have no meaningful `ob`/`gt` arrays (not usable with datasets). */
  readonly rlOnly?: boolean;
  /** Observation channels and action names for these options. */
  layout(p: P): { readonly observation: ChannelMap; readonly actions: ChannelMap };
  /** Task-specific option checks (throw `ValueError`). */
  validate?(p: P): void;
  /** Periods scored in supervised mode (the default loss mask). */
  responsePeriods(p: P, c: C): readonly string[];
  initialState?(): S;
  /**
   * Draws this trial's conditions (all of them, even those the caller fixes, so the generator
   * advances alike); draws that depend on other conditions read them from `fixed` when given.
   */
  draw(rng: Rng, p: P, state: S, fixed: Partial<C>): C;
  /** Lays out periods and writes ob/gt; returns the conditions plus derived values (`v1`, ...). */
  build(b: TrialBuilder, c: C, p: P, state: S): C;
  readonly rl: RlRule<P, C>;
}
