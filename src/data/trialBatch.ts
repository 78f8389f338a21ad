/**
 * Trial-aligned batches: `B` whole trials, each starting at step 0, padded with zeros to the
 * longest, with the loss mask zero on padding. braints' default for training and evaluation.
 */
import { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import type { Conditions, SampleOptions, Trial, TrialInfo } from "../tasks/spec.ts";
import { merged } from "../tasks/merge.ts";
import { copyRows, ownRows } from "../tasks/rows.ts";
import type { Task } from "../tasks/task.ts";
import { type BatchLayout, toBatchFirst } from "./layout.ts";

/** Options of {@link trialBatch}. */
export interface TrialBatchOptions<C extends Conditions = Conditions> {
  /** Default `"time-major"`. */
  readonly layout?: BatchLayout;
  /** Pad (and, if longer trials come, fail) to this many steps instead of the longest trial. */
  readonly padTo?: number;
  /** Conditions for every trial, or one entry per trial (psychometric curves, evaluation grids). */
  readonly conditions?: Partial<C> | readonly Partial<C>[];
  /** `false` turns input noise off. */
  readonly noise?: boolean;
}

/** A padded batch of whole trials. */
export interface TrialBatch<C extends Conditions = Conditions> {
  /** `[T, B, obDim]` (time-major) or `[B, T, obDim]`. */
  readonly inputs: Float32Array;
  /** `[T, B]` or `[B, T]` (`[T, B, gtDim]` for vector targets); 0 on padding. */
  readonly target: Int32Array | Float32Array;
  /** `[T, B]` or `[B, T]`; 0 on padding. */
  readonly mask: Float32Array;
  /** Steps of each trial `[B]`. */
  readonly lengths: Int32Array;
  /** Conditions and period bounds per trial. */
  readonly trials: readonly TrialInfo<C>[];
  /** Padded length. */
  readonly T: number;
  readonly batchSize: number;
  readonly obDim: number;
  readonly layout: BatchLayout;
}

/** Packs already sampled trials into a padded batch. */
export function packTrials<C extends Conditions>(
  trials: readonly Trial<C, Int32Array | Float32Array>[],
  obDim: number,
  opts: { readonly layout?: BatchLayout; readonly padTo?: number } = {},
): TrialBatch<C> {
  const B = trials.length;
  if (B === 0) throw new ValueError(`packTrials: need at least one trial, got 0`);
  const packer = new Packer<C>(B, obDim, opts.padTo);
  for (let b = 0; b < B; b++) packer.add(b, trials[b] as Trial<C, Int32Array | Float32Array>);
  return packer.finish(opts.layout ?? "time-major");
}

/**
 * Packs trials into a padded time-major batch one at a time, each as soon as it is sampled (so a
 * transient trial's arrays are copied before the next is drawn). A row's place, `(t·B + b)·D`,
 * does not depend on the padded length, so the arrays grow by copying their prefix when a longer
 * trial comes; with `padTo` they are that long from the start.
 */
class Packer<C extends Conditions> {
  private T = 0;
  private longest = 0;
  private inputs = new Float32Array(0);
  private target: Int32Array | Float32Array = new Int32Array(0);
  private mask = new Float32Array(0);
  private readonly lengths: Int32Array;
  private readonly infos: TrialInfo<C>[] = [];
  /** Values per step of the targets (vector regression targets are `[T, G]` per trial). */
  private dims = { B: 0, D: 0, G: 1 };
  private regression = false;

  constructor(
    private readonly B: number,
    private readonly D: number,
    private readonly padTo: number | undefined,
  ) {
    this.lengths = new Int32Array(B);
  }

  add(b: number, tr: Trial<C, Int32Array | Float32Array>): void {
    const n = tr.info.nSteps;
    if (b === 0) {
      this.regression = tr.gt instanceof Float32Array;
      this.dims = { B: this.B, D: this.D, G: tr.gt.length / Math.max(n, 1) || 1 };
      this.grow(this.padTo ?? n);
    }
    this.infos.push(tr.info);
    this.lengths[b] = n;
    this.longest = Math.max(this.longest, n);
    if (this.padTo !== undefined && n > this.padTo) return; // refused in finish()
    if (n > this.T) this.grow(n);
    const to = { ob: this.inputs, gt: this.target, mask: this.mask, row0: b, step: this.B };
    copyRows(ownRows(tr), to, n, this.D, this.dims.G);
  }

  /** Makes the arrays `T` steps long, keeping what they hold. */
  private grow(T: number): void {
    const { B, D, G } = this.dims;
    const inputs = new Float32Array(T * B * D);
    const target = this.regression ? new Float32Array(T * B * G) : new Int32Array(T * B);
    const mask = new Float32Array(T * B);
    inputs.set(this.inputs);
    target.set(this.target);
    mask.set(this.mask);
    this.inputs = inputs;
    this.target = target;
    this.mask = mask;
    this.T = T;
  }

  finish(layout: BatchLayout): TrialBatch<C> {
    const { B, D, G } = this.dims;
    if (this.padTo !== undefined && this.padTo < this.longest) {
      throw new ValueError(
        `packTrials: padTo must be >= the longest trial (${this.longest} steps), got ${this.padTo}`,
      );
    }
    const T = this.T;
    let x = this.inputs;
    let target = this.target;
    let m = this.mask;
    if (layout === "batch-first") {
      x = toBatchFirst(x, T, B, D);
      target = toBatchFirst(target, T, B, G);
      m = toBatchFirst(m, T, B);
    }
    return {
      inputs: x,
      target,
      mask: m,
      lengths: this.lengths,
      trials: this.infos,
      T,
      batchSize: B,
      obDim: D,
      layout,
    };
  }
}

/**
 * Samples `batchSize` trials of `task` and pads them into one batch.
 * @example
 * const batch = trialBatch(createTask("PerceptualDecisionMaking"), Rng.fromSeed(0), 16);
 * batch.inputs; // [22, 16, 3]
 */
export function trialBatch<C extends Conditions>(
  task: Task<C>,
  rng: Rng,
  batchSize: number,
  opts: TrialBatchOptions<C> = {},
): TrialBatch<C> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValueError(`trialBatch: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (task.rlOnly) throw new ValueError(`trialBatch: ${task.name} is RL-only; use TaskEnv instead`);
  const { conditions } = opts;
  if (Array.isArray(conditions) && conditions.length !== batchSize) {
    throw new ValueError(
      `trialBatch: conditions must have one entry per trial (${batchSize}), got ${conditions.length}`,
    );
  }
  // Each trial is packed before the next is sampled, so the task may reuse its memory (transient).
  const sample: SampleOptions<C> =
    opts.noise === undefined ? { transient: true } : { noise: opts.noise, transient: true };
  const packer = new Packer<C>(batchSize, task.obDim, opts.padTo);
  for (let b = 0; b < batchSize; b++) {
    const c = Array.isArray(conditions)
      ? (conditions[b] as Partial<C>)
      : (conditions as Partial<C> | undefined);
    packer.add(b, task.sampleTrial(rng, c === undefined ? sample : merged(sample, { conditions: c })));
  }
  return packer.finish(opts.layout ?? "time-major");
}

/**
 * An endless, seeded stream of trial-aligned training batches: batch `k` is drawn from the data
 * stream of update `k`, `Rng.fromSeed(seed).fold("data", k)`, the stream a `Trainer` with the same
 * seed hands its batch function (docs/randomness.md).
 * @example
 * const batches = trialBatches(task, { batchSize: 16, seed: 0 });
 * const first = batches.next().value;
 */
export function* trialBatches<C extends Conditions>(
  task: Task<C>,
  opts: TrialBatchOptions<C> & { readonly batchSize: number; readonly seed?: number },
): Generator<TrialBatch<C>, never> {
  const root = Rng.fromSeed(opts.seed ?? 0);
  for (let k = 0; ; k++) yield trialBatch(task, root.fold("data", k), opts.batchSize, opts);
}
