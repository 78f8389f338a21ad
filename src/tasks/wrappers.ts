/**
 * NeuroGym's wrappers over any task: each takes a {@link Task} and returns a task, so they compose
 * (`passReward(reactionTime(createTask("PerceptualDecisionMaking")))`) and work both for supervised
 * batches (`sampleTrial`, `Dataset`, `trialBatch`) and for the RL environment ({@link TaskEnv}).
 *
 * - trial wrappers change how trials are drawn: {@link randomGroundTruth}, {@link sideBias},
 *   {@link trialHistory}, {@link scheduleAttr}, {@link scheduleEnvs};
 * - step wrappers change what the agent sees or earns: {@link noise}, {@link passReward},
 *   {@link passAction}, {@link reactionTime} (which also reshapes the trial).
 *
 * Their draws come from the generator the trial is sampled with, before the wrapped task's own.
 */
import type { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import { type ChannelMap, columnNames, range, resolveWhere } from "./channels.ts";
import type {
  BaseParams,
  Conditions,
  LossMask,
  PaperReference,
  RlRule,
  RlStepContext,
  SampleOptions,
  StepOutcome,
  Trial,
} from "./spec.ts";
import type { Task } from "./task.ts";
import { fillMask } from "./trialBuilder.ts";
import type { TrialSchedule } from "./schedules.ts";
import { requireInteger, requireNonNegative, requireProbability } from "./validate.ts";

type AnyTrial<C extends Conditions> = Trial<C, Int32Array | Float32Array>;
type AfterStep = NonNullable<RlRule["afterStep"]>;
type Given<C extends Conditions> = NonNullable<SampleOptions<C>["conditions"]>;

/** A task that forwards everything to `inner`; wrappers override what they change. */
abstract class TaskWrapper<C extends Conditions> implements Task<C> {
  constructor(readonly inner: Task<C>) {}
  get name(): string {
    return this.inner.name;
  }
  get summary(): string {
    return this.inner.summary;
  }
  get reference(): PaperReference | null {
    return this.inner.reference;
  }
  get tags(): readonly string[] {
    return this.inner.tags;
  }
  get params(): BaseParams {
    return this.inner.params;
  }
  get dtMs(): number {
    return this.inner.dtMs;
  }
  get obDim(): number {
    return this.inner.obDim;
  }
  get nActions(): number {
    return this.inner.nActions;
  }
  get observation(): ChannelMap {
    return this.inner.observation;
  }
  get actions(): ChannelMap {
    return this.inner.actions;
  }
  get obColumnNames(): readonly string[] {
    return columnNames(this.observation, this.obDim);
  }
  get regression(): boolean {
    return this.inner.regression;
  }
  get gtDim(): number {
    return this.inner.gtDim;
  }
  get continuousActions(): boolean {
    return this.inner.continuousActions;
  }
  get rlOnly(): boolean {
    return this.inner.rlOnly;
  }
  get lossMask(): LossMask {
    return this.inner.lossMask;
  }
  get shortPeriods(): Readonly<Record<string, number>> {
    return this.inner.shortPeriods;
  }
  get rl(): RlRule<BaseParams, C> {
    return this.inner.rl;
  }
  channel(name: string): number[] {
    return resolveWhere(this.observation, this.obDim, name, `${this.name} observation`);
  }
  sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    return this.inner.sampleTrial(rng, opts);
  }
  abstract fresh(): Task<C>;
}

/** `inner`'s rule with `own` run after `inner`'s own `afterStep` (inner wrappers act first, as in NeuroGym). */
function withAfterStep<C extends Conditions>(
  inner: RlRule<BaseParams, C>,
  own: AfterStep,
): RlRule<BaseParams, C> {
  const first = inner.afterStep;
  return {
    ...inner,
    afterStep: first === undefined ? own : (s) => own({ ...s, ...first(s) }),
  };
}

/** `trial` with `extra` columns appended to every observation row (filled by `fill(t, row)`). */
function widen<C extends Conditions>(
  trial: AnyTrial<C>,
  innerDim: number,
  extra: number,
  fill?: (t: number, row: Float32Array) => void,
): AnyTrial<C> {
  const n = trial.info.nSteps;
  const dim = innerDim + extra;
  const ob = new Float32Array(n * dim);
  for (let t = 0; t < n; t++) {
    ob.set(trial.ob.subarray(t * innerDim, (t + 1) * innerDim), t * dim);
    fill?.(t, ob.subarray(t * dim + innerDim, (t + 1) * dim));
  }
  return { ...trial, ob };
}

/** An observation of width `dim` holding `ob`'s first `innerDim` values and `value` after them. */
function appendValue(ob: Float32Array, innerDim: number, dim: number, value: number): Float32Array {
  const out = new Float32Array(dim);
  out.set(ob.subarray(0, innerDim));
  out[innerDim] = value;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Step wrappers

class NoiseTask<C extends Conditions> extends TaskWrapper<C> {
  constructor(
    inner: Task<C>,
    readonly std: number,
  ) {
    super(inner);
    requireNonNegative("noise", "std", std);
  }
  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const trial = this.inner.sampleTrial(rng, opts);
    if (opts.forEnv === true || opts.noise === false || this.std === 0) return trial;
    const ob = trial.ob;
    for (let i = 0; i < ob.length; i++) ob[i] = (ob[i] as number) + this.std * rng.normal();
    return trial;
  }
  override get rl(): RlRule<BaseParams, C> {
    return withAfterStep(this.inner.rl, (s) => {
      if (!s.noise || this.std === 0) return s;
      const ob = Float32Array.from(s.ob, (v) => v + this.std * s.rng.normal());
      return { ob, reward: s.reward };
    });
  }
  fresh(): Task<C> {
    return new NoiseTask(this.inner.fresh(), this.std);
  }
}

/**
 * Adds Gaussian noise `N(0, std²)` to every observation value (NeuroGym's `Noise`, std 0.1). In the
 * RL environment it is drawn at each step from the environment's rule stream; in supervised trials
 * it is added to the whole trial. `noise: false` (evaluation) turns it off like the tasks' own noise.
 */
export function noise<C extends Conditions>(task: Task<C>, opts: { readonly std?: number } = {}): Task<C> {
  return new NoiseTask(task, opts.std ?? 0.1);
}

/** Appends one input column: the last reward or the last action. */
class PassTask<C extends Conditions> extends TaskWrapper<C> {
  constructor(
    inner: Task<C>,
    readonly what: "reward" | "action",
  ) {
    super(inner);
    if (what in inner.observation) {
      throw new ValueError(
        `pass${what === "reward" ? "Reward" : "Action"}: ${inner.name} already has a '${what}' input`,
      );
    }
  }
  override get obDim(): number {
    return this.inner.obDim + 1;
  }
  override get observation(): ChannelMap {
    return { ...this.inner.observation, [this.what]: this.inner.obDim };
  }
  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const trial = this.inner.sampleTrial(rng, opts);
    if (this.what === "reward" || opts.forEnv === true) return widen(trial, this.inner.obDim, 1);
    // Supervised: the action the target asked for on the previous step (teacher forcing).
    return widen(trial, this.inner.obDim, 1, (t, row) => {
      row[0] = t === 0 ? 0 : (trial.gt[(t - 1) * this.gtDim] as number);
    });
  }
  override get rl(): RlRule<BaseParams, C> {
    const dim = this.obDim;
    const innerDim = this.inner.obDim;
    return withAfterStep(this.inner.rl, (s: StepOutcome) => ({
      ob: appendValue(s.ob, innerDim, dim, this.what === "reward" ? s.reward : s.action),
      reward: s.reward,
    }));
  }
  fresh(): Task<C> {
    return new PassTask(this.inner.fresh(), this.what);
  }
}

/**
 * Appends the previous step's reward as a last input column `reward` (NeuroGym's `PassReward`). In
 * the RL environment it is the reward of the step just taken; supervised trials have no agent, so
 * the column is 0.
 */
export function passReward<C extends Conditions>(task: Task<C>): Task<C> {
  return new PassTask(task, "reward");
}

/**
 * Appends the previous action as a last input column `action` (NeuroGym's `PassAction`: the action
 * index as a number). In the RL environment it is the action just taken; in supervised trials it is
 * the previous step's target (row t holds `gt[t − 1]`, 0 on the first step).
 */
export function passAction<C extends Conditions>(task: Task<C>): Task<C> {
  return new PassTask(task, "action");
}

class ReactionTimeTask<C extends Conditions> extends TaskWrapper<C> {
  constructor(
    inner: Task<C>,
    readonly urgency: number,
    readonly endOnStimulus: boolean,
  ) {
    super(inner);
    if (!Number.isFinite(urgency))
      throw new ValueError(`reactionTime: urgency must be a finite number, got ${urgency}`);
  }
  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const trial = this.inner.sampleTrial(rng, opts);
    const { periods, nSteps } = trial.info;
    const stim = periods["stimulus"];
    const dec = periods["decision"];
    if (stim === undefined || dec === undefined) {
      throw new ValueError(
        `reactionTime: the task needs 'stimulus' and 'decision' periods; ${this.name} has ${Object.keys(periods).join(", ")}`,
      );
    }
    const dt = this.dtMs;
    const choice = dec.start < nSteps ? (trial.gt[dec.start] as number) : 0;
    const decStartMs = stim.startMs + dt;
    const decision = { ...dec, startMs: decStartMs, start: Math.floor(decStartMs / dt + 1e-9) };
    const tmaxMs = this.endOnStimulus ? stim.endMs : trial.info.tmaxMs;
    const n = this.endOnStimulus ? Math.min(stim.end, nSteps) : nSteps;
    const dim = this.inner.obDim;
    if (this.gtDim !== 1)
      throw new ValueError(`reactionTime: ${this.name} has vector targets; it needs a choice per step`);
    const gt = trial.gt.slice(0, n);
    gt.fill(choice, Math.min(stim.start + 1, n), Math.min(stim.end, n));
    const newPeriods = { ...periods, decision };
    const mask = fillMask(new Float32Array(n), newPeriods, trial.info.responsePeriods, this.lossMask);
    return {
      ob: trial.ob.slice(0, n * dim),
      gt,
      mask,
      info: { ...trial.info, periods: newPeriods, nSteps: n, tmaxMs },
    };
  }
  override get rl(): RlRule<BaseParams, C> {
    if (this.urgency === 0) return this.inner.rl;
    return withAfterStep(this.inner.rl, (s) => ({ ob: s.ob, reward: s.reward + this.urgency }));
  }
  fresh(): Task<C> {
    return new ReactionTimeTask(this.inner.fresh(), this.urgency, this.endOnStimulus);
  }
}

/**
 * Lets the agent respond any time after the stimulus starts (NeuroGym's `ReactionTime`): the decision
 * period starts one step into the stimulus, the choice is the target from there on, and by default
 * (`endOnStimulus`) the trial ends with the stimulus. `urgency` is added to every step's reward.
 * NeuroGym applies it only in RL steps; braints reshapes the trial itself, so supervised batches
 * train the reaction-time version too. Needs `stimulus` and `decision` periods.
 */
export function reactionTime<C extends Conditions>(
  task: Task<C>,
  opts: { readonly urgency?: number; readonly endOnStimulus?: boolean } = {},
): Task<C> {
  return new ReactionTimeTask(task, opts.urgency ?? 0, opts.endOnStimulus ?? true);
}

// ---------------------------------------------------------------------------------------------
// Trial wrappers

/** The choices of a task: as given, or the indices of its `choice` action group. */
function choicesOf(task: Task, given: readonly unknown[] | undefined, where: string): readonly unknown[] {
  if (given !== undefined) {
    if (given.length === 0) throw new ValueError(`${where}: choices must not be empty`);
    return given;
  }
  const g = task.actions["choice"];
  if (g === undefined) {
    throw new ValueError(
      `${where}: ${task.name} has no 'choice' actions to draw the ground truth from; pass choices (the values of its groundTruth condition)`,
    );
  }
  return range(0, typeof g === "number" ? 1 : g.length);
}

/** Checks a probability vector over `n` choices. */
function requireDistribution(where: string, name: string, p: readonly number[], n: number): void {
  if (p.length !== n)
    throw new ValueError(`${where}: ${name} must have one probability per choice (${n}), got ${p.length}`);
  p.forEach((v, i) => requireProbability(where, `${name}[${i}]`, v));
  const sum = p.reduce((a, v) => a + v, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new ValueError(`${where}: ${name} must sum to 1, got ${sum}`);
}

/** Removes wrapper keys from caller conditions before they reach the task. */
function splitConditions<C extends Conditions>(
  opts: SampleOptions<C>,
  keys: readonly string[],
): [Record<string, unknown>, SampleOptions<C>] {
  const all = { ...(opts.conditions ?? {}) } as Record<string, unknown>;
  const taken: Record<string, unknown> = {};
  for (const k of keys) {
    if (k in all) {
      taken[k] = all[k];
      delete all[k];
    }
  }
  return [taken, { ...opts, conditions: all as Given<C> }];
}

/** Samples `inner` with `groundTruth` fixed. */
function withGroundTruth<C extends Conditions>(
  inner: Task<C>,
  rng: Rng,
  opts: SampleOptions<C>,
  groundTruth: unknown,
): AnyTrial<C> {
  const conditions = { ...opts.conditions, groundTruth } as unknown as Given<C>;
  return inner.sampleTrial(rng, { ...opts, conditions });
}

class RandomGroundTruthTask<C extends Conditions> extends TaskWrapper<C> {
  readonly choices: readonly unknown[];
  constructor(
    inner: Task<C>,
    readonly p: readonly number[] | undefined,
    choices: readonly unknown[] | undefined,
  ) {
    super(inner);
    this.choices = choicesOf(inner, choices, "randomGroundTruth");
    if (p !== undefined) requireDistribution("randomGroundTruth", "p", p, this.choices.length);
  }
  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const [taken, rest] = splitConditions(opts, ["p"]);
    const p = (taken["p"] as readonly number[] | undefined) ?? this.p;
    if (p !== undefined) requireDistribution("randomGroundTruth", "conditions.p", p, this.choices.length);
    const k = p === undefined ? rng.integer(0, this.choices.length) : rng.categorical(p);
    return withGroundTruth(this.inner, rng, rest, this.choices[k]);
  }
  fresh(): Task<C> {
    return new RandomGroundTruthTask(this.inner.fresh(), this.p, this.choices);
  }
}

/**
 * Draws the ground truth from `p` over the task's choices (NeuroGym's `RandomGroundTruth`; uniform
 * when `p` is omitted). A schedule above it may set `p` per trial as a condition (see
 * {@link scheduleAttr}). `choices` defaults to the indices of the task's `choice` actions.
 */
export function randomGroundTruth<C extends Conditions>(
  task: Task<C>,
  opts: { readonly p?: readonly number[]; readonly choices?: readonly unknown[] } = {},
): Task<C> {
  return new RandomGroundTruthTask(task, opts.p, opts.choices);
}

/** Block length of {@link sideBias}: trials per block, a per-trial switch probability, or a `[low, high]` range. */
export type BlockDuration = number | readonly [number, number];

class SideBiasTask<C extends Conditions> extends TaskWrapper<C> {
  readonly choices: readonly unknown[];
  private block = -1;
  private remaining = 0;

  constructor(
    inner: Task<C>,
    readonly probs: readonly (readonly number[])[],
    readonly blockDur: BlockDuration,
    choices: readonly unknown[] | undefined,
  ) {
    super(inner);
    const where = "sideBias";
    this.choices = choicesOf(inner, choices, where);
    if (probs.length === 0) throw new ValueError(`${where}: probs must have at least one block, got []`);
    probs.forEach((row, b) => requireDistribution(where, `probs[${b}]`, row, this.choices.length));
    if (typeof blockDur === "number") {
      if (!(Number.isInteger(blockDur) ? blockDur >= 1 : blockDur > 0 && blockDur < 1)) {
        throw new ValueError(
          `${where}: blockDur must be an integer >= 1 (trials per block) or a switch probability in (0, 1), got ${blockDur}`,
        );
      }
    } else {
      const [lo, hi] = blockDur;
      requireInteger(where, "blockDur[0]", lo, 1);
      requireInteger(where, "blockDur[1]", hi, lo);
    }
  }

  private newDuration(rng: Rng): number {
    const d = this.blockDur;
    if (typeof d !== "number") return rng.integer(d[0], d[1] + 1);
    return Number.isInteger(d) ? d : 0;
  }

  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const n = this.probs.length;
    if (this.block < 0) {
      this.block = rng.integer(0, n);
      this.remaining = this.newDuration(rng);
    }
    const d = this.blockDur;
    const pSwitch = typeof d === "number" && !Number.isInteger(d) ? d : null;
    let switchBlock: boolean;
    if (pSwitch !== null) switchBlock = rng.uniform() < pSwitch;
    else {
      this.remaining -= 1;
      switchBlock = this.remaining <= 0;
    }
    if (switchBlock) {
      if (n > 1) {
        const j = rng.integer(0, n - 1);
        this.block = j >= this.block ? j + 1 : j;
      }
      this.remaining = this.newDuration(rng);
    }
    const probs = this.probs[this.block] as readonly number[];
    const trial = withGroundTruth(this.inner, rng, opts, this.choices[rng.categorical(probs)]);
    return { ...trial, info: { ...trial.info, conditions: { ...trial.info.conditions, block: this.block } } };
  }

  fresh(): Task<C> {
    return new SideBiasTask(this.inner.fresh(), this.probs, this.blockDur, this.choices);
  }
}

/**
 * Block-wise biased ground truth (NeuroGym's `SideBias`): `probs[b]` is the choice distribution of
 * block `b`; a block lasts `blockDur` trials (an integer), switches with probability `blockDur` after
 * each trial (a number in (0, 1)), or lasts a uniform integer number of trials in `[low, high]`. The
 * first block is drawn uniformly and, as in NeuroGym, a fixed-length first block is one trial short;
 * a switch goes to a uniformly drawn other block. Logs the block as condition `block`.
 */
export function sideBias<C extends Conditions>(
  task: Task<C>,
  opts: {
    readonly probs: readonly (readonly number[])[];
    readonly blockDur?: BlockDuration;
    readonly choices?: readonly unknown[];
  },
): Task<C> {
  return new SideBiasTask(task, opts.probs, opts.blockDur ?? 200, opts.choices);
}

class TrialHistoryTask<C extends Conditions> extends TaskWrapper<C> {
  readonly choices: readonly unknown[];
  private prev = -1;
  constructor(
    inner: Task<C>,
    readonly probs: readonly (readonly number[])[] | undefined,
    choices: readonly unknown[] | undefined,
  ) {
    super(inner);
    this.choices = choicesOf(inner, choices, "trialHistory");
    if (probs !== undefined) this.check(probs, "probs");
  }
  private check(probs: readonly (readonly number[])[], name: string): void {
    const n = this.choices.length;
    if (probs.length !== n)
      throw new ValueError(`trialHistory: ${name} must be ${n}×${n}, got ${probs.length} rows`);
    probs.forEach((row, i) => requireDistribution("trialHistory", `${name}[${i}]`, row, n));
  }
  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const n = this.choices.length;
    const [taken, rest] = splitConditions(opts, ["probs"]);
    const probs = taken["probs"] as readonly (readonly number[])[] | undefined;
    if (probs !== undefined) this.check(probs, "conditions.probs");
    if (this.prev < 0) this.prev = rng.integer(0, n);
    const row = (probs ?? this.probs)?.[this.prev];
    this.prev = row === undefined ? rng.integer(0, n) : rng.categorical(row);
    return withGroundTruth(this.inner, rng, rest, this.choices[this.prev]);
  }
  fresh(): Task<C> {
    return new TrialHistoryTask(this.inner.fresh(), this.probs, this.choices);
  }
}

/**
 * Ground truth that depends on the previous trial's (NeuroGym's `TrialHistoryV2`): `probs[i][j]` is
 * the probability of choice `j` after choice `i` (uniform when omitted); the first "previous" choice
 * is drawn uniformly. A schedule may set `probs` per trial as a condition.
 */
export function trialHistory<C extends Conditions>(
  task: Task<C>,
  opts: { readonly probs?: readonly (readonly number[])[]; readonly choices?: readonly unknown[] } = {},
): Task<C> {
  return new TrialHistoryTask(task, opts.probs, opts.choices);
}

class ScheduleAttrTask<C extends Conditions> extends TaskWrapper<C> {
  constructor(
    inner: Task<C>,
    readonly schedule: TrialSchedule,
    readonly attrList: readonly Readonly<Record<string, unknown>>[],
  ) {
    super(inner);
    if (attrList.length !== schedule.n) {
      throw new ValueError(
        `scheduleAttr: attrList must have one entry per schedule index (${schedule.n}), got ${attrList.length}`,
      );
    }
  }
  override sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): AnyTrial<C> {
    const i = this.schedule.next(rng);
    const conditions = { ...opts.conditions, ...this.attrList[i] } as Given<C>;
    return this.inner.sampleTrial(rng, { ...opts, conditions });
  }
  fresh(): Task<C> {
    return new ScheduleAttrTask(this.inner.fresh(), this.schedule.fresh(), this.attrList);
  }
}

/**
 * Sets trial conditions by schedule (NeuroGym's `ScheduleAttr`): each trial, `schedule` picks an
 * index and `attrList[index]` is passed down as conditions (e.g. `{ p: [0.8, 0.2] }` for a
 * {@link randomGroundTruth} below it, or `{ coh: 51.2 }` for the task itself).
 */
export function scheduleAttr<C extends Conditions>(
  task: Task<C>,
  schedule: TrialSchedule,
  attrList: readonly Readonly<Record<string, unknown>>[],
): Task<C> {
  return new ScheduleAttrTask(task, schedule, attrList);
}

/** Conditions {@link scheduleEnvs} adds: which task the trial came from. */
export interface ScheduledConditions {
  readonly envIndex: number;
  readonly envName: string;
}

/** Whether `task` is, or wraps, a {@link scheduleEnvs} task (whose trials' `envIndex` it reads). */
function schedulesEnvs(task: Task): boolean {
  for (let t: Task | undefined = task; t !== undefined; t = t instanceof TaskWrapper ? t.inner : undefined) {
    if (t instanceof ScheduleEnvsTask) return true;
  }
  return false;
}

class ScheduleEnvsTask extends TaskWrapper<Conditions> {
  readonly names: readonly string[];
  constructor(
    readonly tasks: readonly Task[],
    readonly schedule: TrialSchedule,
    readonly envInput: boolean,
    names: readonly string[] | undefined,
  ) {
    super(tasks[0] as Task);
    const where = "scheduleEnvs";
    if (tasks.length !== schedule.n) {
      throw new ValueError(
        `${where}: the schedule must cover the ${tasks.length} tasks, got n = ${schedule.n}`,
      );
    }
    const first = tasks[0] as Task;
    for (const t of tasks) {
      if (schedulesEnvs(t)) {
        throw new ValueError(
          `${where}: ${t.name} interleaves tasks itself; nested schedules are not supported (list all the tasks in one scheduleEnvs)`,
        );
      }
      if (t.obDim !== first.obDim || t.nActions !== first.nActions || t.dtMs !== first.dtMs) {
        throw new ValueError(
          `${where}: every task must have the same input width, action count and dtMs; ${t.name} has ${t.obDim}, ${t.nActions}, ${t.dtMs} and ${first.name} ${first.obDim}, ${first.nActions}, ${first.dtMs}`,
        );
      }
      if (t.rl.afterStep !== undefined) {
        throw new ValueError(
          `${where}: ${t.name} has a step wrapper (noise, passReward, passAction or an urgency); wrap the scheduled task instead`,
        );
      }
      if (t.regression !== first.regression || t.gtDim !== first.gtDim) {
        throw new ValueError(
          `${where}: ${t.name} and ${first.name} must have targets of one kind (classes, or floats of one width)`,
        );
      }
    }
    this.names = names ?? tasks.map((t) => t.name);
    if (this.names.length !== tasks.length) {
      throw new ValueError(
        `${where}: names must name each of the ${tasks.length} tasks, got ${this.names.length}`,
      );
    }
  }
  override get name(): string {
    return `scheduleEnvs(${this.names.join(", ")})`;
  }
  override get summary(): string {
    return `One task per trial from ${this.names.join(", ")}, by a ${this.schedule.kind} schedule.`;
  }
  override get tags(): readonly string[] {
    return [...new Set(this.tasks.flatMap((t) => t.tags))];
  }
  override get rlOnly(): boolean {
    return this.tasks.some((t) => t.rlOnly);
  }
  override get obDim(): number {
    return this.inner.obDim + (this.envInput ? this.tasks.length : 0);
  }
  override get observation(): ChannelMap {
    if (!this.envInput) return this.inner.observation;
    return { ...this.inner.observation, rule: range(this.inner.obDim, this.obDim) };
  }
  override get obColumnNames(): readonly string[] {
    const base = columnNames(this.inner.observation, this.inner.obDim);
    return this.envInput ? [...base, ...this.names.map((n) => `rule ${n}`)] : base;
  }

  override sampleTrial(rng: Rng, opts: SampleOptions<Conditions> = {}): AnyTrial<Conditions> {
    const scheduled = this.schedule.next(rng);
    const [taken, rest] = splitConditions(opts, ["envIndex", "envName"]);
    const given = taken["envIndex"];
    if (
      given !== undefined &&
      !(Number.isInteger(given) && (given as number) >= 0 && (given as number) < this.tasks.length)
    ) {
      throw new ValueError(
        `scheduleEnvs: condition envIndex must be an integer in [0, ${this.tasks.length}), got ${String(given)}`,
      );
    }
    const i = (given as number | undefined) ?? scheduled;
    const task = this.tasks[i] as Task;
    let trial = task.sampleTrial(rng, rest);
    if (this.envInput) {
      trial = widen(trial, task.obDim, this.tasks.length, (_, row) => {
        row[i] = 1;
      });
    }
    const conditions = { ...trial.info.conditions, envIndex: i, envName: this.names[i] as string };
    return { ...trial, info: { ...trial.info, conditions } };
  }

  override get rl(): RlRule<BaseParams, Conditions> {
    const tasks = this.tasks;
    const envDim = this.inner.obDim;
    const of = (trial: AnyTrial<Conditions>): Task =>
      tasks[trial.info.conditions["envIndex"] as number] as Task;
    const rule: RlRule<BaseParams, Conditions> = {
      step(ctx) {
        const task = of(ctx.trial);
        const sub: RlStepContext<BaseParams, Conditions> = { ...ctx, params: task.params };
        const res = task.rl.step(sub);
        ctx.performance = sub.performance;
        return res;
      },
      rTmax: (trial) => of(trial).rl.rTmax?.(trial, of(trial).params) ?? 0,
      initialPerformance: (trial) => of(trial).rl.initialPerformance?.(trial, of(trial).params) ?? 0,
      onNewTrial(scratch, trial) {
        scratch["envIndex"] = trial.info.conditions["envIndex"] as number;
        of(trial).rl.onNewTrial?.(scratch, trial);
      },
      observe(ob, scratch) {
        const task = tasks[scratch["envIndex"] ?? 0] as Task;
        task.rl.observe?.(ob.subarray(0, envDim), scratch, task.params);
      },
    };
    return rule;
  }

  fresh(): Task {
    return new ScheduleEnvsTask(
      this.tasks.map((t) => t.fresh()),
      this.schedule.fresh(),
      this.envInput,
      this.names,
    );
  }
}

/**
 * Interleaves tasks by schedule (NeuroGym's `ScheduleEnvs`): each trial comes from the task the
 * schedule picks (the first trial takes the schedule's first pick). With `envInput` a one-hot rule
 * input (`rule`, one column per task) is appended, so one network can learn them all. The tasks must
 * share the input width, action count and `dtMs`; each keeps its own rewards and scoring. Trials log
 * `envIndex` and `envName`; passing `envIndex` as a condition picks the task.
 */
export function scheduleEnvs(
  tasks: readonly Task[],
  schedule: TrialSchedule,
  opts: { readonly envInput?: boolean; readonly names?: readonly string[] } = {},
): Task {
  if (tasks.length === 0) throw new ValueError("scheduleEnvs: tasks must not be empty");
  return new ScheduleEnvsTask(tasks, schedule, opts.envInput ?? false, opts.names);
}
