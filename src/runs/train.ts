/**
 * Training a run: a checkpoint and a metrics line after every epoch, the final model at the end, and
 * resumption from the last checkpoint that reproduces the uninterrupted loss history.
 */
import { existsSync } from "node:fs";
import { CorruptFileError } from "../io/safetensors.ts";
import type { Tree } from "../core/tree.ts";
import type { RunConfig } from "../train/recipes/config.ts";
import { type SupervisedRecipe, supervisedRecipe } from "../train/recipes/supervised.ts";
import { Trainer, type TrainerState } from "../train/trainer.ts";
import { type EpochLine, epochLine, historyOf } from "./metrics.ts";
import { type CheckpointFile, Run, RunDirectoryError } from "./run.ts";

/** Where training is, for progress displays. */
export interface TrainProgress {
  /** Updates done. */
  readonly step: number;
  readonly totalSteps: number;
  /** Epochs done. */
  readonly epoch: number;
  readonly epochs: number;
  /** The latest step loss. */
  readonly loss: number;
  /** The latest held-out trial accuracy (after the first epoch). */
  readonly accuracy?: number;
}

/** Progress callbacks of {@link startRun} and {@link resumeRun}. */
export interface TrainHooks {
  onStep?(progress: TrainProgress): void;
  onEpoch?(progress: TrainProgress, line: EpochLine): void;
}

/** A trained run: the directory, its recipe and the final trainer state. */
export interface TrainedRun {
  readonly run: Run;
  readonly recipe: SupervisedRecipe;
  readonly state: TrainerState<Tree>;
  /** The checkpoint training continued from, when resumed. */
  readonly resumedFrom?: CheckpointFile;
}

function train(run: Run, recipe: SupervisedRecipe, start: TrainerState<Tree>, hooks: TrainHooks): TrainerState<Tree> {
  const { epochs, stepsPerEpoch } = recipe.fitOptions;
  const lines = run.readMetrics().filter((l) => l.epoch < start.epoch);
  run.writeMetrics(lines);
  let accuracy = lines.at(-1)?.metrics["accuracy"];
  const progress = (step: number, loss: number): TrainProgress => ({
    step,
    totalSteps: epochs * stepsPerEpoch,
    epoch: Math.floor(step / stepsPerEpoch),
    epochs,
    loss,
    ...(accuracy === undefined ? {} : { accuracy }),
  });
  const trainer = new Trainer({
    ...recipe.trainerOptions,
    callbacks: [
      {
        onStep: (record) => hooks.onStep?.(progress(record.step + 1, record.loss)),
        onEpoch: (record, state) => {
          const line = epochLine(record, state.history.steps);
          lines.push(line);
          accuracy = record.metrics["accuracy"];
          // Metrics first: a crash between the two leaves a line the resume drops, never a gap.
          run.writeMetrics(lines);
          run.saveCheckpoint(state, recipe.network.model);
          hooks.onEpoch?.(progress(record.step, line.losses.at(-1) ?? NaN), line);
        },
      },
    ],
  });
  const final = trainer.resume(start, recipe.batches, recipe.fitOptions);
  run.saveModel(final.params, recipe.network.model);
  return final;
}

/**
 * Creates the run directory `dir` and trains the config's model in it. The config, task and model
 * are checked before the directory is made; if training fails before the first checkpoint, the
 * directory is removed again.
 * @example const { state } = startRun("runs/pdm", parseRunConfig({}), { onEpoch: (p) => console.log(p) });
 */
export function startRun(dir: string, config: RunConfig, hooks: TrainHooks = {}): TrainedRun {
  const recipe = supervisedRecipe(config);
  const run = Run.create(dir, config);
  try {
    const trainer = new Trainer(recipe.trainerOptions);
    const start = trainer.initialState(recipe.initialParams(), recipe.fitOptions.seed);
    return { run, recipe, state: train(run, recipe, start, hooks) };
  } catch (e) {
    if (run.checkpoints().length === 0) run.remove();
    throw e;
  }
}

/** The trainer state saved in a checkpoint, with the history rebuilt from the metrics lines before it. */
function restore(run: Run, recipe: SupervisedRecipe, file: CheckpointFile): TrainerState<Tree> {
  const c = run.load(file.path, recipe.initialParams());
  if (!c.optimizer || !c.rng || c.step === undefined || c.epoch === undefined) {
    throw new CorruptFileError(`${file.path}: not a training checkpoint (no optimizer, PRNG or step state)`);
  }
  const lines = run.readMetrics().filter((l) => l.epoch < file.epoch);
  if (lines.length !== file.epoch) {
    throw new CorruptFileError(
      `${run.path("metrics.jsonl")}: must hold the ${file.epoch} epochs before checkpoint ${file.path}, got ${lines.length}`,
    );
  }
  return { params: c.params, optimizer: c.optimizer, rng: c.rng, step: c.step, epoch: c.epoch, history: historyOf(lines) };
}

/**
 * Continues the run in `dir` from its last checkpoint (or from the start when it has none) with its
 * saved config. With the same seed the loss history equals an uninterrupted run's.
 * @throws RunDirectoryError when `dir` is not a run; CorruptFileError when the last checkpoint is torn or corrupted
 */
export function resumeRun(dir: string, hooks: TrainHooks = {}): TrainedRun {
  if (!existsSync(dir)) throw new RunDirectoryError(`--resume: run directory ${dir} does not exist`);
  const run = Run.open(dir);
  run.removeTemporaries();
  const recipe = supervisedRecipe(run.config);
  const last = run.checkpoints().at(-1);
  const start = last
    ? restore(run, recipe, last)
    : new Trainer(recipe.trainerOptions).initialState(recipe.initialParams(), recipe.fitOptions.seed);
  return { run, recipe, state: train(run, recipe, start, hooks), ...(last ? { resumedFrom: last } : {}) };
}
