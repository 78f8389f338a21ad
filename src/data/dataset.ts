/**
 * NeuroGym's supervised `Dataset`: each batch column plays trials back to back into a cache, and
 * `next()` returns consecutive fixed-length windows that cut through trials. Unlike NeuroGym, it is
 * seeded: column i draws from its own stream, `Rng.fromSeed(seed).fold(stream, "column", i)`, so
 * training windows (`stream: "data"`) and held-out ones (`"eval"`) never share trials, whatever the
 * seeds (docs/randomness.md).
 */
import { type DataStream, Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import type { Conditions } from "../tasks/spec.ts";
import type { Task } from "../tasks/task.ts";
import { type BatchLayout, toBatchFirst } from "./layout.ts";
import { type TrialSlot, copyRows, ownRows } from "../tasks/rows.ts";

const TRANSIENT = Object.freeze({ transient: true });

/** Options of {@link Dataset}. */
export interface DatasetOptions {
  /** Columns (independent trial streams). Default 1. */
  readonly batchSize?: number;
  /** Window length in steps. Default 1000 (NeuroGym's). */
  readonly seqLen?: number;
  /** Stop after this many windows. Default unlimited. */
  readonly maxBatch?: number;
  /** Default `"time-major"`: inputs `[seqLen, B, obDim]`. */
  readonly layout?: BatchLayout;
  /** Cache length in steps (rounded up to a multiple of `seqLen`, plus one more, as NeuroGym does). */
  readonly cacheLen?: number;
  /** Seed of the trials. Default 0. */
  readonly seed?: number;
  /** `"data"` (default) for training windows, `"eval"` for held-out ones: disjoint for any seeds. */
  readonly stream?: DataStream;
  /**
   * Hand out windows as views of the dataset's own memory instead of copies, as NeuroGym does: no
   * allocation or copying per window, but a window's `inputs`, `target` and `mask` are valid only
   * until the next call to `next()` (later windows overwrite them); copy what must outlive it.
   * Default false (every window in arrays of its own).
   */
  readonly views?: boolean;
}

/** One window of a {@link Dataset}. */
export interface StreamBatch {
  /** `[seqLen, B, obDim]` (time-major) or `[B, seqLen, obDim]`. */
  readonly inputs: Float32Array;
  /** `[seqLen, B]` (or `[B, seqLen]`): the tasks' ground truth (`[seqLen, B, gtDim]` for vector targets). */
  readonly target: Int32Array | Float32Array;
  /** `[seqLen, B]` (or `[B, seqLen]`): the tasks' loss masks, concatenated like the targets. */
  readonly mask: Float32Array;
  readonly seqLen: number;
  readonly batchSize: number;
  readonly obDim: number;
  readonly layout: BatchLayout;
}

/** NeuroGym's default cache length: `1e5 / (obDim + 1) / batchSize`, rounded up past a multiple of `seqLen`. */
export function defaultCacheLen(obDim: number, batchSize: number, seqLen: number, cacheLen?: number): number {
  const c = cacheLen ?? 1e5 / (obDim + 1) / batchSize;
  return (1 + Math.floor(c / seqLen)) * seqLen;
}

/**
 * A stream of fixed-length windows over back-to-back trials.
 * @example
 * const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 16, seqLen: 100, seed: 1 });
 * const { inputs, target } = ds.next().value; // [100, 16, 3], [100, 16]
 * // Views of the dataset's memory instead of copies (valid until the next call):
 * const fast = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 16, seqLen: 100, views: true });
 */
export class Dataset<C extends Conditions = Conditions> implements IterableIterator<StreamBatch> {
  readonly batchSize: number;
  readonly seqLen: number;
  readonly cacheLen: number;
  readonly obDim: number;
  readonly layout: BatchLayout;
  readonly maxBatch: number;
  /** Windows are views, valid until the next call to `next()` (see {@link DatasetOptions.views}). */
  readonly views: boolean;
  private readonly columns: { task: Task<C>; rng: Rng }[];
  private readonly cacheOb: Float32Array;
  private readonly cacheGt: Int32Array | Float32Array;
  /** Target values per step (`task.gtDim`). */
  private readonly gtDim: number;
  private readonly cacheMask: Float32Array;
  /** Where the next trial goes: column `b` from row `t0` is `row0 = t0·B + b`, `rows = cacheLen − t0`. */
  private readonly slot: { -readonly [K in keyof TrialSlot]: TrialSlot[K] };
  /** The row where each column's next trial starts while the cache is filled. */
  private readonly nextRow: Int32Array;
  private start = 0;
  private served = 0;
  private fills = 0;
  /** With `views`, batch-first windows are transposed into these (time-major ones are cache views). */
  private readonly window: Pick<StreamBatch, "inputs" | "target" | "mask"> | null;

  constructor(task: Task<C>, opts: DatasetOptions = {}) {
    const { batchSize = 1, seqLen = 1000, maxBatch = Infinity, layout = "time-major" } = opts;
    const { seed = 0, stream = "data", views = false } = opts;
    const where = `Dataset(${task.name})`;
    if (task.rlOnly) {
      throw new ValueError(
        `${where}: the task is RL-only (its observations depend on actions); use TaskEnv instead`,
      );
    }
    for (const [k, v] of [
      ["batchSize", batchSize],
      ["seqLen", seqLen],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new ValueError(`${where}: ${k} must be an integer >= 1, got ${v}`);
    }
    if (stream !== "data" && stream !== "eval") {
      throw new ValueError(`${where}: stream must be "data" or "eval", got ${JSON.stringify(stream)}`);
    }
    if (typeof views !== "boolean") {
      throw new ValueError(`${where}: views must be true or false, got ${JSON.stringify(views)}`);
    }
    if (layout !== "time-major" && layout !== "batch-first") {
      throw new ValueError(
        `${where}: layout must be "time-major" or "batch-first", got ${JSON.stringify(layout)}`,
      );
    }
    this.batchSize = batchSize;
    this.seqLen = seqLen;
    this.maxBatch = maxBatch;
    this.layout = layout;
    this.obDim = task.obDim;
    this.cacheLen = defaultCacheLen(task.obDim, batchSize, seqLen, opts.cacheLen);
    const root = Rng.fromSeed(seed);
    this.columns = Array.from({ length: batchSize }, (_, i) => ({
      task: task.fresh(),
      rng: root.fold(stream, "column", i),
    }));
    this.cacheOb = new Float32Array(this.cacheLen * batchSize * this.obDim);
    this.gtDim = task.gtDim;
    this.cacheGt = task.regression
      ? new Float32Array(this.cacheLen * batchSize * this.gtDim)
      : new Int32Array(this.cacheLen * batchSize);
    this.cacheMask = new Float32Array(this.cacheLen * batchSize);
    this.slot = {
      ob: this.cacheOb,
      gt: this.cacheGt,
      mask: this.cacheMask,
      row0: 0,
      step: batchSize,
      rows: 0,
    };
    this.window =
      views && layout === "batch-first"
        ? {
            inputs: new Float32Array(seqLen * batchSize * this.obDim),
            target: task.regression
              ? new Float32Array(seqLen * batchSize * this.gtDim)
              : new Int32Array(seqLen * batchSize),
            mask: new Float32Array(seqLen * batchSize),
          }
        : null;
    this.views = views;
    this.nextRow = new Int32Array(batchSize);
    this.fill();
  }

  /**
   * Refills the cache: column `b` plays its trials back to back from row 0, the last one cut at
   * row `cacheLen`. Tasks write each trial straight into its rows ({@link Task.writeTrial}). The
   * columns take turns, the one furthest behind next, so that the rows being written stay few and
   * in the processor's first-level cache; each column draws from its own generator and task, so
   * the order in which columns are served does not change any column's trials.
   */
  private fill(): void {
    const { batchSize: B, obDim: D, cacheLen: L, gtDim: G } = this;
    this.cacheOb.fill(0);
    this.cacheGt.fill(0);
    this.cacheMask.fill(0);
    const slot = this.slot;
    const next = this.nextRow.fill(0);
    for (;;) {
      let b = 0;
      for (let c = 1; c < B; c++) if ((next[c] as number) < (next[b] as number)) b = c;
      const t0 = next[b] as number;
      if (t0 >= L) break;
      const col = this.columns[b] as { task: Task<C>; rng: Rng };
      slot.row0 = t0 * B + b;
      slot.rows = L - t0;
      const n = writeTrial(col.task, col.rng, slot, D, G);
      if (n === 0) {
        throw new ValueError(
          `Dataset(${col.task.name}): the task made a trial of 0 steps (its periods last less than dtMs, ${col.task.dtMs} ms, in all), which cannot fill a stream`,
        );
      }
      next[b] = t0 + Math.min(n, slot.rows);
    }
    this.start = 0;
    this.fills++;
  }

  /** How many times the cache has been (re)filled with fresh trials. */
  get cachesFilled(): number {
    return this.fills;
  }

  /** The next window; throws after `maxBatch` windows (use the iterator protocol to stop cleanly). */
  next(): IteratorResult<StreamBatch> & { value: StreamBatch } {
    const r = this.nextOrDone();
    if (r === null)
      throw new ValueError(`Dataset.next: maxBatch (${this.maxBatch}) windows were already served`);
    return { done: false, value: r };
  }

  /** The next window, or `null` after `maxBatch` windows (the counter then resets, as in NeuroGym). */
  nextOrDone(): StreamBatch | null {
    if (this.served >= this.maxBatch) {
      this.served = 0;
      return null;
    }
    this.served++;
    if (this.start + this.seqLen >= this.cacheLen) this.fill();
    const { batchSize: B, obDim: D, seqLen: T, gtDim: G } = this;
    const s = this.start;
    this.start += T;
    const x = this.cacheOb.subarray(s * B * D, (s + T) * B * D);
    const y = this.cacheGt.subarray(s * B * G, (s + T) * B * G);
    const m = this.cacheMask.subarray(s * B, (s + T) * B);
    let inputs = x;
    let target = y;
    let mask = m;
    if (this.layout === "batch-first") {
      // Into the dataset's window arrays with views, into new ones without.
      const w = this.window;
      inputs = toBatchFirst(x, T, B, D, w?.inputs);
      target = toBatchFirst(y, T, B, G, w?.target);
      mask = toBatchFirst(m, T, B, 1, w?.mask);
    } else if (!this.views) {
      inputs = x.slice();
      target = y.slice();
      mask = m.slice();
    }
    return { inputs, target, mask, seqLen: T, batchSize: B, obDim: D, layout: this.layout };
  }

  [Symbol.iterator](): IterableIterator<StreamBatch> {
    return {
      next: (): IteratorResult<StreamBatch> => {
        const v = this.nextOrDone();
        return v === null ? { done: true, value: undefined } : { done: false, value: v };
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  }
}

/**
 * `task.writeTrial(rng, slot)`, or for a task without it a transient trial copied into the slot
 * at once (so the task may reuse its memory); returns the trial's length in steps.
 */
function writeTrial<C extends Conditions>(
  task: Task<C>,
  rng: Rng,
  slot: TrialSlot,
  D: number,
  G: number,
): number {
  if (task.writeTrial !== undefined) return task.writeTrial(rng, slot);
  const tr = task.sampleTrial(rng, TRANSIENT);
  const n = tr.info.nSteps;
  copyRows(ownRows(tr), slot, Math.min(n, slot.rows), D, G);
  return n;
}
