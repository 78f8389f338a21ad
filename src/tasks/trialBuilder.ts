/**
 * Builds one trial the way NeuroGym's `TrialEnv` does: periods laid out in time, then the whole
 * observation `[T, obDim]` and ground truth `[T]` written period by period.
 */
import type { Rng } from "../base/random.ts";
import { BraintsError, ValueError } from "../base/errors.ts";
import { addNormals } from "../base/ziggurat.ts";
import { type ChannelMap, type Where, resolveWhere } from "./channels.ts";
import { type TrialRows, type TrialSlot, copyRows } from "./rows.ts";
import type { LossMask } from "./spec.ts";
import { type Timing, sampleDuration } from "./timing.ts";

/** Where a period sits in a trial: ms bounds and step indices (`end` exclusive). */
export interface PeriodBounds {
  readonly startMs: number;
  readonly endMs: number;
  /** First step, `floor(startMs / dtMs)`. */
  readonly start: number;
  /** One past the last step, `floor(endMs / dtMs)`. */
  readonly end: number;
}

/**
 * A period's place in a builder's table, marked with the builder's trial that placed it: a
 * restarted builder keeps earlier trials' entries and rewrites them in place, trial after trial,
 * instead of making new ones.
 */
class PlacedPeriod implements PeriodBounds {
  #trial: number;

  constructor(
    trial: number,
    public startMs: number,
    public endMs: number,
    public start: number,
    public end: number,
  ) {
    this.#trial = trial;
  }

  place(trial: number, startMs: number, endMs: number, start: number, end: number): void {
    this.#trial = trial;
    this.startMs = startMs;
    this.endMs = endMs;
    this.start = start;
    this.end = end;
  }

  /** Whether the builder's trial `trial` placed this period. */
  placedIn(trial: number): boolean {
    return this.#trial === trial;
  }
}

/** A period selector: one name, several names, or the whole trial when omitted. */
export type PeriodSelector = string | readonly string[] | undefined;

/** What a builder needs from its task. */
export interface TrialBuilderContext {
  readonly task: string;
  readonly dtMs: number;
  readonly timing: Timing;
  readonly rng: Rng;
  readonly observation: ChannelMap;
  readonly obDim: number;
  readonly actions: ChannelMap;
  readonly noise: boolean;
  readonly regression: boolean;
  /** Target values per step (regression tasks with vector targets); default 1. */
  readonly gtDim?: number;
  /** Resolved observation columns by channel name (a per-task cache, filled on demand). */
  readonly columnCache?: Map<string, readonly number[]>;
  /** Durations (ms) to use instead of drawing from `timing`, e.g. a logged trial's `conditions.durations`. */
  readonly durations?: Readonly<Record<string, number>>;
  /**
   * A buffer to write the trial's arrays into instead of fresh memory (a transient trial: see
   * `SampleOptions.transient`), replaced by a larger one when the trial does not fit.
   */
  readonly scratch?: TrialScratch | null;
  /**
   * Rows of a stream's cache to write the trial straight into (zeroed), when it fits there; a
   * longer trial, or one whose task reads `ob`, `gt` or `mask` as arrays, is written to its own
   * memory and {@link TrialBuilder.copyToSlot} copies its first `slot.rows` rows over.
   */
  readonly slot?: TrialSlot | null;
}

/** The reused memory of transient trials: one per task. */
export interface TrialScratch {
  buffer: ArrayBuffer;
}

/** The arrays a finished builder hands back. */
export interface BuiltTrial {
  /** Observations, `[T, obDim]` row-major. */
  readonly ob: Float32Array;
  /** Ground truth per step, `[T]` (classes, or floats for regression tasks). */
  readonly gt: Int32Array | Float32Array;
  /** Zero-initialised loss mask `[T]` for the caller to fill. */
  readonly mask: Float32Array;
  readonly periods: Readonly<Record<string, PeriodBounds>>;
  /** The duration (ms) of every period drawn from `timing` (or fixed by the context's `durations`). */
  readonly durations: Readonly<Record<string, number>>;
  readonly nSteps: number;
  readonly tmaxMs: number;
}

/** Bytes of each slab that small trials' arrays are carved from. */
const SLAB_BYTES = 1 << 16;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * `bytes` of fresh zeroed memory as `[buffer, byteOffset]`. A new `ArrayBuffer` per trial dominated
 * the cost of short trials, so trials of up to a quarter slab share 64 kB slabs, each trial its own
 * disjoint range (a kept trial keeps its slab alive); longer ones get a buffer of their own.
 */
function carve(bytes: number): [ArrayBuffer, number] {
  if (bytes > SLAB_BYTES / 4) return [new ArrayBuffer(bytes), 0];
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += bytes;
  return [slab, at];
}

/** The first `bytes` of `scratch`, zeroed (a larger buffer when they do not fit), as `[buffer, 0]`. */
function reuse(scratch: TrialScratch, bytes: number): [ArrayBuffer, number] {
  if (scratch.buffer.byteLength < bytes) {
    scratch.buffer = new ArrayBuffer(Math.max(bytes, 2 * scratch.buffer.byteLength));
  } else {
    new Uint8Array(scratch.buffer, 0, bytes).fill(0);
  }
  return [scratch.buffer, 0];
}

/**
 * Lays out periods and writes `ob` / `gt`; one builder per trial. The trial's rows live in arrays of
 * their own, or in a stream's cache (`TrialBuilderContext.slot`) until the task asks for them as
 * arrays.
 */
export class TrialBuilder {
  readonly dtMs: number;
  readonly rng: Rng;
  private readonly ctx: TrialBuilderContext;
  /** Periods by name: this trial's, and a restarted builder's earlier trials' (see {@link PlacedPeriod}). */
  private readonly bounds: Record<string, PlacedPeriod> = {};
  /** Durations drawn (not kept by a restarted builder, whose trials go to its slot). */
  private readonly drawn: Record<string, number> = {};
  /** This trial's period names, in the order they were added (the first `added`). */
  private readonly names: string[] = [];
  private added = 0;
  /** How many times the builder was restarted: the number of its current trial. */
  private trial = 0;
  private rawTmaxMs = 0;
  /** Whole steps in `rawTmaxMs`, kept as periods are placed (read for every row range written). */
  private steps = 0;
  /** The rows of the whole trial, `[0, nSteps)`, for {@link span}. */
  private readonly wholeTrial = { start: 0, end: 0 };
  /** Where the trial's rows are (see {@link TrialRows}); null until ob, gt or mask is first written. */
  private at: TrialRows | null = null;
  /** `at` is the context's slot (else arrays of the trial's own, exactly `nSteps` rows long). */
  private inSlot = false;

  constructor(ctx: TrialBuilderContext) {
    this.ctx = ctx;
    this.dtMs = ctx.dtMs;
    this.rng = ctx.rng;
  }

  /**
   * Starts the next trial on this builder, rewriting its period table in place: for trials written
   * into the same slot one after another (`Task.writeTrial`), since the bounds `period` returned
   * before are overwritten, and such trials cannot be finished (their rows go to the slot).
   * @internal
   */
  restart(): this {
    this.trial++;
    this.added = 0;
    this.rawTmaxMs = 0;
    this.steps = 0;
    this.at = null;
    this.inSlot = false;
    return this;
  }

  /** Whether this builder writes its trials into `slot`. @internal */
  writesTo(slot: TrialSlot): boolean {
    return this.ctx.slot === slot;
  }

  /** Trial end so far, floored to a whole number of steps (ms). */
  get tmaxMs(): number {
    return this.steps * this.dtMs;
  }

  /**
   * Draws the duration of `period` from the task timing (floored to dt), or takes the one the
   * context fixes (after drawing, so that the generator advances alike); either way it is recorded.
   */
  sampleDuration(period: string): number {
    const spec = this.ctx.timing[period];
    if (spec === undefined) {
      throw new BraintsError(`${this.ctx.task}: period '${period}' has no timing entry`);
    }
    const fixed = this.ctx.durations?.[period];
    // Only an "until" spec reads the trial's end so far.
    const tmax = typeof spec === "number" ? 0 : this.tmaxMs;
    const d = sampleDuration(spec, this.rng, this.dtMs, tmax, period);
    if (this.trial === 0) this.drawn[period] = fixed ?? d;
    return fixed ?? d;
  }

  /**
   * Adds a period. It starts at 0, or at the end of the period named by `after` (or at the ms given),
   * or ends where `before` starts. Durations given explicitly are not re-floored (as in NeuroGym).
   */
  addPeriod(
    name: string,
    opts: { durationMs?: number; after?: string | number; before?: string } = {},
  ): this {
    this.requireNoArrays();
    const d = opts.durationMs ?? this.sampleDuration(name);
    let start = 0;
    if (opts.after !== undefined) {
      start = this.endOf(opts.after);
    } else if (opts.before !== undefined) {
      start = this.period(opts.before).startMs - d;
    }
    return this.place(name, start, d);
  }

  /** Adds periods back to back (the first after `after`, or at 0). */
  addPeriods(names: readonly string[], opts?: { after?: string | number }): this {
    const after = opts?.after;
    let start = after === undefined ? 0 : this.endOf(after);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      this.requireNoArrays();
      const d = this.sampleDuration(name);
      this.place(name, start, d);
      start += d;
    }
    return this;
  }

  private requireNoArrays(): void {
    if (this.at !== null) {
      throw new BraintsError(`${this.ctx.task}: periods must all be added before ob or gt is written`);
    }
  }

  /** The ms at which a period placed `after` starts: the given ms, or the end of the named period. */
  private endOf(after: string | number): number {
    return typeof after === "number" ? after : this.period(after).endMs;
  }

  /** Records period `name` as `[start, start + d)` ms. */
  private place(name: string, start: number, d: number): this {
    const end = start + d;
    const startStep = Math.floor(start / this.dtMs + 1e-9);
    const endStep = Math.floor(end / this.dtMs + 1e-9);
    const b = this.bounds[name];
    if (b === undefined) this.bounds[name] = new PlacedPeriod(this.trial, start, end, startStep, endStep);
    else b.place(this.trial, start, end, startStep, endStep);
    this.names[this.added++] = name;
    this.rawTmaxMs = Math.max(this.rawTmaxMs, end);
    this.steps = Math.floor(this.rawTmaxMs / this.dtMs + 1e-9);
    return this;
  }

  /** Whether `name` is in the table from an earlier trial only. */
  private isLeftOver(name: string): boolean {
    const b = this.bounds[name];
    return b !== undefined && !b.placedIn(this.trial);
  }

  /** The bounds of an added period. */
  period(name: string): PeriodBounds {
    const b = this.bounds[name];
    if (b === undefined || !b.placedIn(this.trial)) {
      const added = [...new Set(this.names.slice(0, this.added))];
      throw new BraintsError(
        `${this.ctx.task}: period '${name}' has not been added; added periods are ${added.join(", ")}`,
      );
    }
    return b;
  }

  /** Number of steps so far. */
  get nSteps(): number {
    return this.steps;
  }

  /** Writes into the context's slot when the trial fits there, else into memory of its own. */
  private allocate(): void {
    const slot = this.ctx.slot;
    if (slot && this.nSteps <= slot.rows) {
      this.at = slot;
      this.inSlot = true;
    } else {
      this.allocateOwn();
    }
  }

  /** Places ob, gt and the mask side by side in the scratch buffer or a shared slab (see {@link carve}). */
  private allocateOwn(): void {
    const n = this.nSteps;
    const nOb = n * this.ctx.obDim;
    const nGt = n * (this.ctx.gtDim ?? 1);
    const bytes = (nOb + nGt + n) * 4;
    const [buf, at] = this.ctx.scratch ? reuse(this.ctx.scratch, bytes) : carve(bytes);
    this.at = {
      ob: new Float32Array(buf, at, nOb),
      gt: this.ctx.regression
        ? new Float32Array(buf, at + nOb * 4, nGt)
        : new Int32Array(buf, at + nOb * 4, nGt),
      mask: new Float32Array(buf, at + (nOb + nGt) * 4, n),
      row0: 0,
      step: 1,
    };
    this.inSlot = false;
  }

  /** Where the trial's rows are now (allocated on first use). */
  private rows(): TrialRows {
    if (this.at === null) this.allocate();
    return this.at as TrialRows;
  }

  /** The trial's rows in arrays of its own: moved out of the slot on first use as arrays. */
  private own(): TrialRows {
    const rows = this.rows();
    if (!this.inSlot) return rows;
    this.allocateOwn();
    const own = this.rows();
    copyRows(rows, own, this.nSteps, this.ctx.obDim, this.ctx.gtDim ?? 1);
    return own;
  }

  /**
   * Puts the trial's first `slot.rows` rows in the context's slot (copying them there unless they
   * were written there) and returns its length in steps.
   */
  copyToSlot(): number {
    const slot = this.ctx.slot;
    if (!slot) throw new BraintsError(`${this.ctx.task}: copyToSlot needs a builder with a slot`);
    const rows = this.rows();
    const n = this.nSteps;
    if (!this.inSlot) copyRows(rows, slot, Math.min(n, slot.rows), this.ctx.obDim, this.ctx.gtDim ?? 1);
    return n;
  }

  /** The observation array `[T, obDim]` (allocated on first use). */
  get ob(): Float32Array {
    return this.own().ob;
  }

  /** The ground-truth array `[T]` (allocated on first use). */
  get gt(): Int32Array | Float32Array {
    return this.own().gt;
  }

  /** The loss-mask array `[T]`, zeros until the task fills it (allocated on first use). */
  get mask(): Float32Array {
    return this.own().mask;
  }

  /**
   * Fills the loss mask: weight `lossMask`'s response weight on the rows of the `response`
   * periods, its other weight elsewhere (see {@link fillMask}).
   */
  fillMask(response: readonly string[], lossMask: LossMask): void {
    const { mask, row0, step } = this.rows();
    // A restarted builder's table still holds earlier trials' periods: score this trial's alone
    // (a new list only when one of the response periods is such a leftover).
    let present = response;
    for (let i = 0; i < response.length; i++) {
      if (this.isLeftOver(response[i] as string)) {
        present = response.filter((p) => !this.isLeftOver(p));
        break;
      }
    }
    fillMask(mask, this.bounds, present, lossMask, this.nSteps, row0, step);
  }

  /** Observation columns selected by `where`. */
  columns(where: Where | undefined): readonly number[] {
    const cache = this.ctx.columnCache;
    const key = where === undefined ? "" : typeof where === "string" ? where : null;
    const hit = key === null ? undefined : cache?.get(key);
    if (hit !== undefined) return hit;
    const cols = resolveWhere(this.ctx.observation, this.ctx.obDim, where, `${this.ctx.task} observation`);
    if (key !== null) cache?.set(key, cols);
    return cols;
  }

  /** The rows of `period`, `[start, end)`: the whole trial when undefined. */
  private span(period: string | undefined): { readonly start: number; readonly end: number } {
    if (period !== undefined) return this.period(period);
    this.wholeTrial.end = this.nSteps;
    return this.wholeTrial;
  }

  /** Adds `value` (a scalar, or one value per selected column) to the rows of `period` and columns `where`. */
  addOb(value: number | ArrayLike<number>, period?: PeriodSelector, where?: Where): this {
    return this.writeOb(value, period, where, false);
  }

  /** Overwrites the selected slice with `value` (zero, then add). */
  setOb(value: number | ArrayLike<number>, period?: PeriodSelector, where?: Where): this {
    return this.writeOb(value, period, where, true);
  }

  private writeOb(
    value: number | ArrayLike<number>,
    sel: PeriodSelector,
    where: Where | undefined,
    reset: boolean,
  ): this {
    const { ob, row0, step } = this.rows();
    const dim = this.ctx.obDim;
    const cols = this.columns(where);
    if (typeof value !== "number" && value.length !== cols.length) {
      throw new ValueError(
        `${this.ctx.task}: an observation vector must have one value per selected channel (${cols.length}), got ${value.length}`,
      );
    }
    const row = typeof value === "number" ? scalarRow(value, cols.length) : value;
    const run = firstOfRun(cols);
    for (let s = 0; s < selectedCount(sel); s++) {
      const { start, end } = this.span(selected(sel, s));
      for (let r = start; r < end; r++) {
        const base = (row0 + r * step) * dim;
        if (run >= 0) writeRun(ob, base + run, row, cols.length, reset);
        else writeRow(ob, base, cols, row, reset);
      }
    }
    return this;
  }

  /**
   * Adds i.i.d. `N(0, sigmaStep²)` to every selected element (skipped when the caller turned noise off),
   * row by row and column by column in order, one ziggurat deviate each (docs/randomness.md).
   * Tasks pass `sigmaStep = sigma / sqrt(dtMs)`, NeuroGym's convention.
   */
  addNoise(sigmaStep: number, period?: PeriodSelector, where?: Where): this {
    if (!this.ctx.noise || sigmaStep === 0) return this;
    const { ob, row0, step } = this.rows();
    const dim = this.ctx.obDim;
    const cols = this.columns(where);
    for (let s = 0; s < selectedCount(period); s++) {
      const { start, end } = this.span(selected(period, s));
      addNormals(this.rng, ob, (row0 + start * step) * dim, step * dim, end - start, cols, sigmaStep);
    }
    return this;
  }

  /**
   * Writes `value` as the target in the rows of `period` (whole trial when omitted). With `group`,
   * `value` indexes the named action list: `setGroundTruth(0, "decision", "choice")` writes action 1.
   */
  setGroundTruth(value: number, period?: PeriodSelector, group?: string): this {
    let v = value;
    if (group !== undefined) {
      const g = this.ctx.actions[group];
      if (g === undefined) {
        throw new ValueError(
          `${this.ctx.task}: action group '${group}' is unknown; known actions are ${Object.keys(this.ctx.actions).join(", ")}`,
        );
      }
      const list = typeof g === "number" ? [g] : g;
      const a = list[value];
      if (a === undefined) {
        throw new ValueError(`${this.ctx.task}: ${group} index must be in [0, ${list.length}), got ${value}`);
      }
      v = a;
    }
    // One value a row for class targets; a vector target's elements as rows, as `fill` has it.
    const { gt, row0, step } =
      this.ctx.gtDim === undefined || this.ctx.gtDim === 1 ? this.rows() : this.own();
    for (let s = 0; s < selectedCount(period); s++) {
      const p = selected(period, s);
      const { start, end } = this.span(p);
      fillRows(gt, row0, step, start, end, v);
    }
    return this;
  }

  /** Writes the target vector `value` (length `gtDim`) into every row of `period` (whole trial when omitted). */
  setGroundTruthVector(value: ArrayLike<number>, period?: PeriodSelector): this {
    const g = this.ctx.gtDim ?? 1;
    if (value.length !== g) {
      throw new ValueError(
        `${this.ctx.task}: a target vector must have gtDim (${g}) values, got ${value.length}`,
      );
    }
    const { gt, row0, step } = this.rows();
    for (let s = 0; s < selectedCount(period); s++) {
      const p = selected(period, s);
      const { start, end } = this.span(p);
      for (let r = start; r < end; r++)
        for (let k = 0; k < g; k++) gt[(row0 + r * step) * g + k] = value[k] as number;
    }
    return this;
  }

  /** Writes a per-step target series into `period` (length = the period's steps). */
  setGroundTruthSeries(values: ArrayLike<number>, period: string): this {
    const { start: r0, end: r1 } = this.span(period);
    if (values.length !== r1 - r0) {
      throw new ValueError(
        `${this.ctx.task}: the target series for '${period}' must have ${r1 - r0} steps, got ${values.length}`,
      );
    }
    const { gt, row0, step } =
      this.ctx.gtDim === undefined || this.ctx.gtDim === 1 ? this.rows() : this.own();
    for (let r = r0; r < r1; r++) gt[row0 + r * step] = values[r - r0] as number;
    return this;
  }

  /** The finished arrays and period table (not of a restarted builder, whose table holds earlier trials too). */
  finish(): BuiltTrial {
    if (this.trial > 0) {
      throw new BraintsError(
        `${this.ctx.task}: a restarted builder's trial goes to its slot (copyToSlot), not finish()`,
      );
    }
    return {
      ob: this.ob,
      gt: this.gt,
      mask: this.mask,
      periods: this.bounds,
      durations: this.drawn,
      nSteps: this.nSteps,
      tmaxMs: this.tmaxMs,
    };
  }
}

let scalars = new Float64Array(16);

/** `value` repeated `n` times, in one reused row: a scalar written as a vector (read at once). */
function scalarRow(value: number, n: number): Float64Array {
  if (scalars.length < n) scalars = new Float64Array(n);
  for (let k = 0; k < n; k++) scalars[k] = value;
  return scalars;
}

/** How many periods `sel` names (one for a single name or the whole trial). */
function selectedCount(sel: PeriodSelector): number {
  return sel === undefined || typeof sel === "string" ? 1 : sel.length;
}

/** The `i`-th period `sel` names (`undefined`: the whole trial), read without allocating. */
function selected(sel: PeriodSelector, i: number): string | undefined {
  return sel === undefined || typeof sel === "string" ? sel : sel[i];
}

/**
 * Row `ob[base .. base + dim)`, columns `cols`: set to `value` (`reset`) or add it, `value[k]` to
 * column `cols[k]`.
 */
/** `cols[0]` when `cols` are consecutive columns `cols[0], cols[0] + 1, ...`, else -1. */
function firstOfRun(cols: readonly number[]): number {
  const c0 = cols[0] ?? -1;
  for (let k = 1; k < cols.length; k++) if (cols[k] !== c0 + k) return -1;
  return c0;
}

/** {@link writeRow} for consecutive columns: `ob[at + k]` set to or added `value[k]`, `k < n`. */
function writeRun(ob: Float32Array, at: number, value: ArrayLike<number>, n: number, reset: boolean): void {
  if (reset) for (let k = 0; k < n; k++) ob[at + k] = value[k] as number;
  else for (let k = 0; k < n; k++) ob[at + k] = (ob[at + k] as number) + (value[k] as number);
}

function writeRow(
  ob: Float32Array,
  base: number,
  cols: readonly number[],
  value: ArrayLike<number>,
  reset: boolean,
): void {
  const n = cols.length;
  if (reset) for (let k = 0; k < n; k++) ob[base + (cols[k] as number)] = value[k] as number;
  else {
    for (let k = 0; k < n; k++) {
      const i = base + (cols[k] as number);
      ob[i] = (ob[i] as number) + (value[k] as number);
    }
  }
}

/**
 * Fills a trial's loss mask of `n` steps: `lossMask` weights on the response periods' steps
 * (clipped to the trial), its other weight elsewhere (zero for `"decision"`: those rows are left as
 * they are, zero). Row `r` of the trial is `mask[row0 + r·step]` (see {@link TrialRows}).
 */
export function fillMask(
  mask: Float32Array,
  periods: Readonly<Record<string, { start: number; end: number }>>,
  response: readonly string[],
  m: LossMask,
  n = mask.length,
  row0 = 0,
  step = 1,
): Float32Array {
  if (m === "all") {
    fillRows(mask, row0, step, 0, n, 1);
    return mask;
  }
  const off = m === "decision" ? 0 : m.fixation;
  const on = m === "decision" ? 1 : m.decision;
  if (off !== 0) fillRows(mask, row0, step, 0, n, off);
  for (let i = 0; i < response.length; i++) {
    const b = periods[response[i] as string];
    if (b !== undefined) fillRows(mask, row0, step, b.start, Math.min(b.end, n), on);
  }
  return mask;
}

/** Sets rows `[r0, r1)` of a one-value-a-row array whose row `r` is `a[row0 + r·step]` to `v`. */
export function fillRows(
  a: Int32Array | Float32Array,
  row0: number,
  step: number,
  r0: number,
  r1: number,
  v: number,
): void {
  if (step === 1) a.fill(v, row0 + r0, row0 + r1);
  else for (let r = r0; r < r1; r++) a[row0 + r * step] = v;
}
