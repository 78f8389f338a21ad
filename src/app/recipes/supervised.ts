/**
 * The supervised recipe: from a run config to everything a `Trainer` needs to fit a recurrent
 * network on a cognitive task: fresh trial batches, the masked cross-entropy loss, the optimizer
 * and a held-out trial accuracy after every epoch.
 */
import { ValueError } from "../../base/errors.ts";
import { reshape } from "../../core/ops/layout.ts";
import { Rng } from "../../base/random.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { trialBatch } from "../../data/trialBatch.ts";
import type { Task } from "../../tasks/task.ts";
import { softmaxCrossEntropy } from "../../train/losses.ts";
import type { TrainerOptions } from "../../train/trainer.ts";
import type { SupervisedConfig } from "./config.ts";
import { asConfigError } from "./configErrors.ts";
import { type RecurrentNetwork, recurrentNetwork } from "./model.ts";
import { configuredOptimizer } from "./optimizer.ts";
import { type TaskPerformance, meanAccuracy, taskPerformance } from "./taskPerformance.ts";
import { type HeldOutSet, configuredTask, heldOutSets, trainingTask } from "./trials.ts";

/** One training batch: inputs `[T, B, obDim]`, a target class and a loss weight per step `[T·B]`. */
export interface TrainingBatch {
  readonly x: Tensor;
  readonly labels: Int32Array;
  readonly mask: Float32Array;
}

/** The metric key of one task's held-out accuracy in a multitask run, e.g. `accuracy/yang19.go`. */
export const taskAccuracyKey = (task: string): string => `accuracy/${task}`;

/**
 * The metrics of an epoch: `accuracy`, the fraction of held-out trials answered correctly; for a
 * multitask run the mean over the tasks of each task's accuracy (equal trial counts, so the same
 * fraction), and each task's as `accuracy/<task>`.
 */
function heldOutMetrics(performance: readonly TaskPerformance[]): Record<string, number> {
  const accuracy = meanAccuracy(performance);
  if (performance.length === 1) return { accuracy };
  return { accuracy, ...Object.fromEntries(performance.map((p) => [taskAccuracyKey(p.task), p.accuracy])) };
}

/** What {@link supervisedRecipe} returns. */
export interface SupervisedRecipe {
  readonly config: SupervisedConfig;
  /** The task trained on (with the configured loss mask). */
  readonly task: Task;
  readonly network: RecurrentNetwork;
  /** Loss, optimizer, clipping, L2 and the held-out `accuracy` metric; add callbacks and build a `Trainer`. */
  readonly trainerOptions: TrainerOptions<Tree, TrainingBatch>;
  /**
   * Fresh trials for every step, drawn from the stream the trainer hands it: the training seed's
   * data stream of that step (so a resumed run draws the same).
   */
  readonly batches: (rng: Rng, step: number) => TrainingBatch;
  /**
   * The held-out trials scored after every epoch (the evaluation seed's `"eval"` streams): one set,
   * or one per task of a multitask run.
   */
  readonly heldOut: readonly HeldOutSet[];
  readonly fitOptions: { readonly epochs: number; readonly stepsPerEpoch: number; readonly seed: number };
  /** The initial parameters, from the training seed's `"init"` stream. */
  initialParams(): Tree;
}

/**
 * Builds the recipe of a run config.
 * @throws ConfigError for task options the task refuses or a model that does not fit the task
 * @example
 * const recipe = supervisedRecipe(parseRunConfig({}));
 * const trainer = new Trainer(recipe.trainerOptions);
 * const state = trainer.fit(recipe.initialParams(), recipe.batches, recipe.fitOptions);
 */
export function supervisedRecipe(config: SupervisedConfig): SupervisedRecipe {
  const { training, evaluation } = config;
  const task = trainingTask(config);
  const network = asConfigError("the model section does not fit the task", () =>
    recurrentNetwork(config.model, task.obDim, task.nActions, task.dtMs),
  );
  const { model } = network;
  const heldOut = heldOutSets(config.task, configuredTask(config.task), evaluation.trials, evaluation.seed);
  const noisy = config.model.sigmaRec > 0;
  const loss = (params: Tree, batch: TrainingBatch, rng: Rng) => {
    const { outputs } = model.apply(params, batch.x, noisy ? { rng } : {});
    const [T, B, O] = outputs.shape as [number, number, number];
    return softmaxCrossEntropy(reshape(outputs, [T * B, O]), batch.labels, batch.mask);
  };
  return {
    config,
    task,
    network,
    heldOut,
    trainerOptions: {
      loss,
      optimizer: configuredOptimizer(training),
      evaluate: (params) => heldOutMetrics(taskPerformance(model, params, heldOut)),
      ...(training.clipNorm === undefined ? {} : { clipNorm: training.clipNorm }),
      ...(training.l2 > 0 ? { l2: { coefficient: training.l2 } } : {}),
    },
    batches: (rng) => {
      const b = trialBatch(task, rng, training.batchSize);
      if (!(b.target instanceof Int32Array)) {
        throw new ValueError(`supervisedRecipe: ${task.name} has float targets; it needs class targets`);
      }
      return { x: fromData(b.inputs, [b.T, b.batchSize, b.obDim]), labels: b.target, mask: b.mask };
    },
    fitOptions: { epochs: training.epochs, stepsPerEpoch: training.stepsPerEpoch, seed: training.seed },
    initialParams: () => model.init(Rng.fromSeed(training.seed).fold("init")),
  };
}
