/**
 * The BPTT trainer: the loop users otherwise rewrite. Minibatches over epochs or a step budget, a
 * held-out metric each epoch, learning-rate schedules (inside the optimizer), L2, gradient
 * clipping, early stopping, callbacks, divergence detection and resumable state.
 */
import { valueAndGrad } from "../core/autodiff.ts";
import { DivergenceError, ValueError } from "../base/errors.ts";
import { add } from "../core/ops/elementwise.ts";
import { Rng, type RngState } from "../base/random.ts";
import type { Tensor } from "../core/tensor.ts";
import type { Tree } from "../core/tree.ts";
import { clipByGlobalNorm, globalNorm, l2Penalty } from "../optim/clip.ts";
import type { Optimizer, OptimizerState } from "../optim/optimizer.ts";

/**
 * Where batches come from: a fixed list (shuffled each epoch) or a generator of fresh batches,
 * called with the data stream of the step (`Rng.fromSeed(seed).fold("data", step)`).
 */
export type BatchSource<B> = readonly B[] | ((rng: Rng, step: number) => B);

/**
 * The loss of one batch; `rng` is for stochastic parts of the model (noise, dropout): the step's
 * noise stream, `Rng.fromSeed(seed).fold("noise", step)`, apart from the data's.
 */
export type LossFn<P extends Tree, B> = (params: P, batch: B, rng: Rng) => Tensor;

/** One row of the training history, written every `logEvery` steps. */
export interface StepRecord {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly gradNorm: number;
  readonly lr?: number;
}

/** One row per epoch: the mean training loss and the held-out metrics. */
export interface EpochRecord {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface History {
  readonly steps: StepRecord[];
  readonly epochs: EpochRecord[];
}

/** Everything needed to continue a run exactly where it stopped. */
export interface TrainerState<P extends Tree> {
  readonly params: P;
  readonly optimizer: OptimizerState;
  /** The run's root stream (from the seed); every step's streams are folded from it. */
  readonly rng: RngState;
  /** Steps done in total. */
  readonly step: number;
  /** Epochs finished; after a stop mid-epoch, the unfinished epoch (`step` says how far it got). */
  readonly epoch: number;
  readonly history: History;
  /** After a stop mid-epoch: the sum of the unfinished epoch's losses so far, for its mean. */
  readonly epochLossSum?: number;
  /** Best value of the early-stopping metric so far and when it was reached. */
  readonly best?: { readonly value: number; readonly epoch: number };
}

/**
 * What a callback can say: keep going, or stop after this step/epoch. A stop from `onStep` before
 * the epoch's last step leaves the epoch unfinished: no epoch record, `step` counts the steps done,
 * and {@link Trainer.resume} continues that epoch with the batches it had not seen.
 */
export type CallbackResult = void | "stop";

export interface Callbacks<P extends Tree> {
  onStep?(record: StepRecord, state: TrainerState<P>): CallbackResult;
  onEpoch?(record: EpochRecord, state: TrainerState<P>): CallbackResult;
}

export interface TrainerOptions<P extends Tree, B> {
  readonly loss: LossFn<P, B>;
  readonly optimizer: Optimizer;
  /** Held-out metrics computed at the end of every epoch (e.g. `{ accuracy }` on test trials). */
  readonly evaluate?: (params: P) => Record<string, number>;
  /** Rescale gradients to this global norm when larger. */
  readonly clipNorm?: number;
  /** Adds `coefficient · Σ w²` over the leaves `include` accepts (default: every leaf). */
  readonly l2?: { readonly coefficient: number; readonly include?: (path: string) => boolean };
  /** Stop when `metric` has not improved for `patience` epochs. */
  readonly earlyStopping?: {
    readonly metric: string;
    readonly mode: "max" | "min";
    readonly patience: number;
  };
  /** Record the step loss every this many steps (default 1). */
  readonly logEvery?: number;
  readonly callbacks?: readonly Callbacks<P>[];
  /** The optimizer's learning rate at a step, for the history (optional). */
  readonly lrAt?: (step: number) => number;
}

export interface FitOptions {
  /** Number of epochs (default 1). */
  readonly epochs?: number;
  /** Steps per epoch for generated batches (default: the list's length for a list). */
  readonly stepsPerEpoch?: number;
  /** Seed of the data, noise and shuffling streams (default 0). */
  readonly seed?: number;
}

/**
 * Fits parameters by gradient descent on a loss.
 *
 * @example
 * const trainer = new Trainer({ loss: (p, b) => softmaxCrossEntropy(model.apply(p, b.x).outputs, b.y), optimizer: adam({ lr: 1e-3 }) });
 * const { params, history } = trainer.fit(model.init(rng), (rng) => dataset.batch(rng), { epochs: 20, stepsPerEpoch: 100 });
 */
export class Trainer<P extends Tree, B> {
  private readonly lossAndGrad: (params: P, batch: B, rng: Rng) => { value: number; grads: P };

  constructor(private readonly options: TrainerOptions<P, B>) {
    const { l2 } = options;
    if (options.clipNorm !== undefined && !(options.clipNorm > 0)) {
      throw new ValueError(`Trainer: clipNorm must be > 0, got ${options.clipNorm}`);
    }
    if (l2 && !(l2.coefficient >= 0))
      throw new ValueError(`Trainer: l2.coefficient must be >= 0, got ${l2.coefficient}`);
    const objective = (p: P, batch: B, rng: Rng) => {
      const base = options.loss(p, batch, rng);
      return l2 && l2.coefficient > 0 ? add(base, l2Penalty(p, l2.coefficient, l2.include)) : base;
    };
    this.lossAndGrad = valueAndGrad(objective);
  }

  /** The state a fresh run starts from. */
  initialState(params: P, seed = 0): TrainerState<P> {
    return {
      params,
      optimizer: this.options.optimizer.init(params),
      rng: Rng.fromSeed(seed).state(),
      step: 0,
      epoch: 0,
      history: { steps: [], epochs: [] },
    };
  }

  /** Trains from fresh parameters. */
  fit(params: P, data: BatchSource<B>, options: FitOptions = {}): TrainerState<P> {
    return this.resume(this.initialState(params, options.seed ?? 0), data, options);
  }

  /**
   * Continues from a saved state until `options.epochs` epochs are complete in total; with the
   * same data source the history is the one an uninterrupted run would have produced.
   */
  resume(start: TrainerState<P>, data: BatchSource<B>, options: FitOptions = {}): TrainerState<P> {
    const epochs = options.epochs ?? 1;
    const perEpoch =
      typeof data === "function" ? options.stepsPerEpoch : (options.stepsPerEpoch ?? data.length);
    if (!Number.isInteger(epochs) || epochs < 1)
      throw new ValueError(`Trainer.fit: epochs must be a positive integer, got ${epochs}`);
    if (perEpoch === undefined || !Number.isInteger(perEpoch) || perEpoch < 1) {
      throw new ValueError(
        `Trainer.fit: stepsPerEpoch must be a positive integer (required for generated batches), got ${String(perEpoch)}`,
      );
    }
    if (typeof data !== "function" && data.length === 0)
      throw new ValueError("Trainer.fit: the batch list is empty");
    const o = this.options;
    const logEvery = o.logEvery ?? 1;
    let state = start;
    const history: History = { steps: [...start.history.steps], epochs: [...start.history.epochs] };
    while (state.epoch < epochs) {
      const t0 = performance.now();
      // The run's seed names one stream per use and step (docs/randomness.md): the data never
      // shares numbers with the model's noise, and a resumed run replays the same numbers.
      const root = Rng.fromState(state.rng);
      const order =
        typeof data === "function" ? null : root.fold("shuffle", state.epoch).permutation(data.length);
      const firstStep = state.epoch * perEpoch;
      const done = state.step - firstStep;
      if (!(Number.isInteger(done) && done >= 0 && done < perEpoch)) {
        throw new ValueError(
          `Trainer.resume: step ${state.step} does not lie in epoch ${state.epoch} of ${perEpoch} steps ` +
            `(steps ${firstStep} to ${firstStep + perEpoch - 1}). Resume with the stepsPerEpoch the run had`,
        );
      }
      let params = state.params;
      let optimizer = state.optimizer;
      let lossSum = state.epochLossSum ?? 0;
      let stop = false;
      for (let k = done; k < perEpoch; k++) {
        const step = firstStep + k;
        const batch = order
          ? ((data as readonly B[])[order[k % order.length] as number] as B)
          : (data as (r: Rng, s: number) => B)(root.fold("data", step), step);
        const { value, grads } = this.lossAndGrad(params, batch, root.fold("noise", step));
        const clipped = o.clipNorm ? clipByGlobalNorm(grads, o.clipNorm) : { grads, norm: globalNorm(grads) };
        const gradNorm = clipped.norm;
        if (!Number.isFinite(value) || !Number.isFinite(gradNorm)) {
          throw new DivergenceError(
            `Trainer: training diverged at step ${step} (epoch ${state.epoch}): loss is ${value}, gradient norm ${gradNorm}. ` +
              `Last finite loss: ${lastFinite(history)}. Try a lower learning rate or gradient clipping.`,
          );
        }
        ({ params, state: optimizer } = o.optimizer.update(clipped.grads, optimizer, params));
        lossSum += value;
        if (step % logEvery === 0) {
          const record: StepRecord = {
            step,
            epoch: state.epoch,
            loss: value,
            gradNorm,
            ...(o.lrAt ? { lr: o.lrAt(step) } : {}),
          };
          history.steps.push(record);
          const view = { ...state, params, optimizer, step: step + 1, history };
          for (const cb of o.callbacks ?? []) if (cb.onStep?.(record, view) === "stop") stop = true;
        }
        if (stop && k < perEpoch - 1) {
          const { best } = state;
          return {
            params,
            optimizer,
            rng: state.rng,
            step: step + 1,
            epoch: state.epoch,
            history,
            epochLossSum: lossSum,
            ...(best ? { best } : {}),
          };
        }
      }
      const metrics = o.evaluate ? o.evaluate(params) : {};
      const record: EpochRecord = {
        epoch: state.epoch,
        step: firstStep + perEpoch,
        trainLoss: lossSum / perEpoch,
        metrics,
        seconds: (performance.now() - t0) / 1000,
      };
      history.epochs.push(record);
      const best = updateBest(o.earlyStopping, metrics, state);
      state = {
        params,
        optimizer,
        rng: state.rng,
        step: firstStep + perEpoch,
        epoch: state.epoch + 1,
        history,
        ...(best ? { best } : {}),
      };
      for (const cb of o.callbacks ?? []) if (cb.onEpoch?.(record, state) === "stop") stop = true;
      const es = o.earlyStopping;
      if (es && best && state.epoch - 1 - best.epoch >= es.patience) stop = true;
      if (stop) break;
    }
    return state;
  }
}

function lastFinite(history: History): string {
  for (let i = history.steps.length - 1; i >= 0; i--) {
    const l = history.steps[i]?.loss;
    if (l !== undefined && Number.isFinite(l)) return String(l);
  }
  return "none";
}

function updateBest<P extends Tree>(
  es: TrainerOptions<P, unknown>["earlyStopping"],
  metrics: Readonly<Record<string, number>>,
  state: TrainerState<P>,
): { value: number; epoch: number } | undefined {
  if (!es) return state.best;
  const value = metrics[es.metric];
  if (value === undefined) {
    throw new ValueError(
      `Trainer: earlyStopping.metric '${es.metric}' is not among the evaluated metrics [${Object.keys(metrics).join(", ")}]`,
    );
  }
  const better = !state.best || (es.mode === "max" ? value > state.best.value : value < state.best.value);
  return better ? { value, epoch: state.epoch } : state.best;
}
