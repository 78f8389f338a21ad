/**
 * A configured task: options merged with the defaults and checked once, then `sampleTrial(rng)`
 * makes trials as plain `Float32Array`s.
 */
import type { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import { type ChannelMap, columnNames, mapWidth, resolveWhere } from "./channels.ts";
import type {
  BaseParams,
  Conditions,
  Durations,
  LossMask,
  PaperReference,
  RlRule,
  SampleOptions,
  TaskSpec,
  Trial,
} from "./spec.ts";
import { merged } from "./merge.ts";
import { type Timing, validateTiming } from "./timing.ts";
import type { TrialSlot } from "./rows.ts";
import { TrialBuilder, type TrialBuilderContext, type TrialScratch, fillMask } from "./trialBuilder.ts";
import { requireKnownKeys, requireNonNegative, requirePositive } from "./validate.ts";

/** Options a caller passes: any subset of the task's parameters, plus timing/reward overrides. */
export type TaskOptions<P extends BaseParams> = {
  readonly [K in Exclude<keyof P, "timing" | "rewards">]?: P[K];
} & {
  /** Period durations to override (ms specs); unknown periods are an error. */
  readonly timing?: Timing;
  /** Rewards to override; unknown outcomes are an error. */
  readonly rewards?: Readonly<Record<string, number>>;
  /** The per-step loss mask of sampled trials. Default `"decision"`. */
  readonly lossMask?: LossMask;
  /**
   * What a period that can be shorter than `dtMs` does: `"collapse"` (default, as NeuroGym: it is
   * floored to 0 steps and its inputs are never shown) or `"refuse"` (the task is not made).
   */
  readonly shortPeriods?: ShortPeriods;
};

/** What a period shorter than `dtMs` does: see `shortPeriods` in {@link TaskOptions}. */
export type ShortPeriods = "collapse" | "refuse";

/** A task ready to sample trials. */
export interface Task<
  C extends Conditions = Conditions,
  G extends Int32Array | Float32Array = Int32Array | Float32Array,
> {
  readonly name: string;
  readonly summary: string;
  readonly reference: PaperReference | null;
  readonly tags: readonly string[];
  /** The merged options (defaults + overrides). */
  readonly params: BaseParams;
  readonly dtMs: number;
  /** Observation width (channel 0 is fixation in NeuroGym tasks). */
  readonly obDim: number;
  /** Number of actions (action 0 = fixate). */
  readonly nActions: number;
  readonly observation: ChannelMap;
  readonly actions: ChannelMap;
  /** Per-column observation names, e.g. `["fixation", "stimulus 1", "stimulus 2"]`. */
  readonly obColumnNames: readonly string[];
  readonly regression: boolean;
  /** Target values per step: `gt` is `[T]` when 1, `[T, gtDim]` otherwise (regression tasks). */
  readonly gtDim: number;
  /** Actions are vectors of `nActions` numbers (the RL environment takes arrays). */
  readonly continuousActions: boolean;
  readonly rlOnly: boolean;
  readonly lossMask: LossMask;
  readonly rl: RlRule<BaseParams, C>;
  /**
   * Periods whose timing allows durations shorter than `dtMs` (they are floored to 0 steps then),
   * each with its shortest duration in ms.
   */
  readonly shortPeriods: Readonly<Record<string, number>>;
  /** Observation columns of a named channel. @throws ValueError for unknown names. */
  channel(name: string): number[];
  /** Samples one trial. Same generator state, same trial. */
  sampleTrial(rng: Rng, opts?: SampleOptions<C>): Trial<C, G>;
  /**
   * Samples one trial and writes it into `slot` (rows of a stream's cache, zero when called),
   * its first `slot.rows` steps if it is longer; returns its length in steps. The same generator
   * draws and the same `ob`, `gt` and `mask` as `sampleTrial(rng)`, without the trial's `info`.
   * Tasks without it are sampled with `sampleTrial` and copied.
   */
  writeTrial?(rng: Rng, slot: TrialSlot): number;
  /** The same task with fresh session state (blocks, contingencies), e.g. one per batch column. */
  fresh(): Task<C, G>;
}

/** The conditions of a trial sampled without any given. */
const NOTHING_GIVEN = Object.freeze({});

const BASE_KEYS = ["dtMs", "timing", "rewards", "lossMask", "shortPeriods"];

/**
 * Configures `spec` with `options`.
 * @throws ValueError naming any unknown option, period, reward or channel, negative durations,
 *   and, with `shortPeriods: "refuse"`, a `dtMs` longer than a period (which would make it vanish).
 */
export function makeTask<P extends BaseParams, C extends Conditions, S>(
  spec: TaskSpec<P, C, S>,
  options: TaskOptions<P> = {} as TaskOptions<P>,
): Task<C> {
  const where = spec.name;
  requireKnownKeys(where, "option", options, [...new Set([...Object.keys(spec.defaults), ...BASE_KEYS])]);
  const timingOverride = options.timing ?? {};
  requireKnownKeys(where, "timing period", timingOverride, Object.keys(spec.defaults.timing));
  const rewardOverride = options.rewards ?? {};
  requireKnownKeys(where, "reward", rewardOverride, Object.keys(spec.defaults.rewards));
  const { lossMask = "decision", shortPeriods = "collapse", ...rest } = options;
  const params = {
    ...spec.defaults,
    ...rest,
    timing: { ...spec.defaults.timing, ...timingOverride },
    rewards: { ...spec.defaults.rewards, ...rewardOverride },
  } as P;
  requirePositive(where, "dtMs", params.dtMs);
  for (const [k, v] of Object.entries(params.rewards)) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValueError(`${where}: rewards.${k} must be a finite number, got ${String(v)}`);
    }
  }
  if (shortPeriods !== "collapse" && shortPeriods !== "refuse") {
    throw new ValueError(
      `${where}: shortPeriods must be "collapse" or "refuse", got ${JSON.stringify(shortPeriods)}`,
    );
  }
  const short: Record<string, number> = {};
  for (const [period, t] of Object.entries(params.timing)) {
    const min = validateTiming(t, period, where);
    if (min !== null && min > 0 && min < params.dtMs) short[period] = min;
  }
  const [first] = Object.entries(short);
  if (shortPeriods === "refuse" && first) {
    const [period, min] = first;
    throw new ValueError(
      `${where}: dtMs must not exceed any period (shortPeriods "refuse"), got dtMs ${params.dtMs} with timing.${period} as short as ${min} ms (it would last 0 steps). Use dtMs <= ${min}, a longer ${period}, or shortPeriods "collapse" (NeuroGym's rule)`,
    );
  }
  validateLossMask(where, lossMask);
  spec.validate?.(params);
  return new ConfiguredTask(spec, params, lossMask, short);
}

function validateLossMask(where: string, m: LossMask): void {
  if (m === "decision" || m === "all") return;
  if (typeof m === "object" && m !== null) {
    requireNonNegative(where, "lossMask.fixation", m.fixation);
    requireNonNegative(where, "lossMask.decision", m.decision);
    return;
  }
  throw new ValueError(
    `${where}: lossMask must be "decision", "all" or { fixation, decision }, got ${JSON.stringify(m)}`,
  );
}

class ConfiguredTask<P extends BaseParams, C extends Conditions, S> implements Task<C> {
  readonly name: string;
  readonly summary: string;
  readonly reference: PaperReference | null;
  readonly tags: readonly string[];
  readonly dtMs: number;
  readonly obDim: number;
  readonly nActions: number;
  readonly observation: ChannelMap;
  readonly actions: ChannelMap;
  readonly obColumnNames: readonly string[];
  readonly regression: boolean;
  readonly gtDim: number;
  readonly continuousActions: boolean;
  readonly rlOnly: boolean;
  readonly rl: RlRule<BaseParams, C>;
  private state: S;
  private readonly columnCache = new Map<string, readonly number[]>();
  /** Where transient trials are written (`SampleOptions.transient`). */
  private readonly scratch: TrialScratch = { buffer: new ArrayBuffer(0) };
  /** The builder of `writeTrial`, restarted for each trial while its generator and slot stay the same. */
  private slotBuilder: TrialBuilder | null = null;

  constructor(
    private readonly spec: TaskSpec<P, C, S>,
    readonly params: P,
    readonly lossMask: LossMask,
    readonly shortPeriods: Readonly<Record<string, number>>,
  ) {
    this.name = spec.name;
    this.summary = spec.summary;
    this.reference = spec.reference;
    this.tags = spec.tags;
    this.dtMs = params.dtMs;
    const layout = spec.layout(params);
    this.observation = layout.observation;
    this.actions = layout.actions;
    this.obDim = mapWidth(layout.observation);
    this.nActions = mapWidth(layout.actions);
    this.obColumnNames = columnNames(layout.observation, this.obDim);
    this.regression = spec.regression ?? false;
    this.gtDim = spec.gtDim ?? 1;
    this.continuousActions = spec.continuousActions ?? false;
    this.rlOnly = spec.rlOnly ?? false;
    this.rl = spec.rl as unknown as RlRule<BaseParams, C>;
    this.state = spec.initialState?.() as S;
  }

  channel(name: string): number[] {
    return resolveWhere(this.observation, this.obDim, name, `${this.name} observation`);
  }

  fresh(): Task<C> {
    return new ConfiguredTask(this.spec, this.params, this.lossMask, this.shortPeriods);
  }

  sampleTrial(rng: Rng, opts: SampleOptions<C> = {}): Trial<C, Int32Array | Float32Array> {
    const given = opts.conditions;
    // Without given conditions (the training path) there is nothing to split, merge or check.
    let durations: Durations | undefined;
    let fixed = NOTHING_GIVEN as Partial<C>;
    if (given !== undefined) {
      const { durations: d, ...rest } = given;
      durations = d;
      fixed = rest as Partial<C>;
    }
    const drawn = this.spec.draw(rng, this.params, this.state, fixed);
    // Given conditions that `build` adds (drawn there, or following from others): the keys a trial
    // logs, learnt from a build on a copy of the generator; `build` uses or checks their values.
    if (given !== undefined && Object.keys(fixed).some((k) => !(k in drawn))) {
      const probe = this.spec.build(
        this.builder(rng.clone(), opts, durations),
        drawn,
        this.params,
        this.state,
      );
      requireKnownKeys(`${this.name}.sampleTrial`, "condition", fixed, [...Object.keys(probe), "durations"]);
    }
    const conditions = given === undefined ? drawn : merged(drawn, fixed);
    const b = this.builder(rng, opts, durations);
    const full = this.spec.build(b, conditions, this.params, this.state);
    const built = b.finish();
    if (given !== undefined) this.checkGiven(fixed, full, durations, built.durations);
    const responsePeriods = this.spec.responsePeriods(this.params, full);
    return {
      ob: built.ob,
      gt: built.gt,
      mask: fillMask(built.mask, built.periods, responsePeriods, this.lossMask),
      info: {
        conditions: merged(full, { durations: built.durations }),
        periods: built.periods,
        responsePeriods,
        nSteps: built.nSteps,
        dtMs: this.dtMs,
        tmaxMs: built.tmaxMs,
      },
    };
  }

  writeTrial(rng: Rng, slot: TrialSlot): number {
    // sampleTrial's path without given conditions, its trial written in place and not logged.
    const drawn = this.spec.draw(rng, this.params, this.state, NOTHING_GIVEN as Partial<C>);
    let b = this.slotBuilder;
    if (b === null || b.rng !== rng || !b.writesTo(slot)) {
      b = this.slotBuilder = new TrialBuilder(this.context(rng, true, this.scratch, slot));
    } else {
      b.restart();
    }
    const full = this.spec.build(b, drawn, this.params, this.state);
    b.fillMask(this.spec.responsePeriods(this.params, full), this.lossMask);
    return b.copyToSlot();
  }

  private builder(rng: Rng, opts: SampleOptions<C>, durations: Durations | undefined): TrialBuilder {
    const ctx = this.context(rng, opts.noise ?? true, opts.transient === true ? this.scratch : null, null);
    return new TrialBuilder(durations === undefined ? ctx : merged(ctx, { durations }));
  }

  private context(
    rng: Rng,
    noise: boolean,
    scratch: TrialScratch | null,
    slot: TrialSlot | null,
  ): TrialBuilderContext {
    return {
      task: this.name,
      dtMs: this.dtMs,
      timing: this.params.timing,
      rng,
      observation: this.observation,
      obDim: this.obDim,
      actions: this.actions,
      noise,
      regression: this.regression,
      gtDim: this.gtDim,
      columnCache: this.columnCache,
      scratch,
      slot,
    };
  }

  /**
   * Every given condition must be one the trial logs; a derived one must agree with the others;
   * given durations must name periods the trial draws.
   */
  private checkGiven(given: Partial<C>, full: C, durations: Durations | undefined, drawn: Durations): void {
    const where = `${this.name}.sampleTrial`;
    requireKnownKeys(where, "condition", given, [...Object.keys(full), "durations"]);
    // A value `build` computes from the others overrides the given one: they must agree.
    for (const [key, value] of Object.entries(given)) {
      if (!sameValue(value, full[key])) {
        throw new ValueError(
          `${where}: condition ${key} follows from the other conditions and must be ${JSON.stringify(full[key])}, got ${JSON.stringify(value)}`,
        );
      }
    }
    if (durations !== undefined) requireKnownKeys(where, "duration", durations, Object.keys(drawn));
  }
}

/** Deep equality of condition values (numbers, strings, booleans and arrays or objects of them). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  return (
    Array.isArray(a) === Array.isArray(b) &&
    ka.length === Object.keys(b).length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
