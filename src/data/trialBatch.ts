/**
 * Trial-aligned batches: `B` whole trials, each starting at step 0, padded with zeros to the
 * longest, with the loss mask zero on padding. braints' default for training and evaluation.
 */
import { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import type { Conditions, SampleOptions, Trial, TrialInfo } from "../tasks/spec.ts";
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
  const D = obDim;
  let T = 0;
  for (const tr of trials) T = Math.max(T, tr.info.nSteps);
  if (opts.padTo !== undefined) {
    if (opts.padTo < T) {
      throw new ValueError(`packTrials: padTo must be >= the longest trial (${T} steps), got ${opts.padTo}`);
    }
    T = opts.padTo;
  }
  const regression = trials[0]?.gt instanceof Float32Array;
  // Values per step of the targets (vector regression targets are `[T, G]` per trial).
  const G = (trials[0]?.gt.length ?? 0) / Math.max(trials[0]?.info.nSteps ?? 1, 1) || 1;
  const inputs = new Float32Array(T * B * D);
  let target: Int32Array | Float32Array = regression ? new Float32Array(T * B * G) : new Int32Array(T * B);
  const mask = new Float32Array(T * B);
  const lengths = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const { ob, gt, mask: m, info } = trials[b] as Trial<C, Int32Array | Float32Array>;
    const n = info.nSteps;
    lengths[b] = n;
    for (let t = 0; t < n; t++) {
      const row = t * B + b;
      for (let d = 0; d < D; d++) inputs[row * D + d] = ob[t * D + d] as number;
      for (let g = 0; g < G; g++) target[row * G + g] = gt[t * G + g] as number;
      mask[row] = m[t] as number;
    }
  }
  const layout = opts.layout ?? "time-major";
  let x = inputs;
  let m = mask;
  if (layout === "batch-first") {
    x = toBatchFirst(inputs, T, B, D);
    target = toBatchFirst(target, T, B, G);
    m = toBatchFirst(mask, T, B);
  }
  return {
    inputs: x,
    target,
    mask: m,
    lengths,
    trials: trials.map((t) => t.info),
    T,
    batchSize: B,
    obDim: D,
    layout,
  };
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
  const trials: Trial<C, Int32Array | Float32Array>[] = [];
  const noise: SampleOptions<C> = opts.noise === undefined ? {} : { noise: opts.noise };
  for (let b = 0; b < batchSize; b++) {
    const c = Array.isArray(conditions)
      ? (conditions[b] as Partial<C>)
      : (conditions as Partial<C> | undefined);
    trials.push(task.sampleTrial(rng, c === undefined ? noise : { ...noise, conditions: c }));
  }
  return packTrials(trials, task.obDim, {
    ...(opts.layout === undefined ? {} : { layout: opts.layout }),
    ...(opts.padTo === undefined ? {} : { padTo: opts.padTo }),
  });
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
