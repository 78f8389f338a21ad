/**
 * Training a run: for BPTT recipes (supervised, spiking) a checkpoint and a metrics line after every
 * epoch, the final model at the end, and resumption from the last checkpoint that reproduces the
 * uninterrupted loss history; for the forecast recipe one ridge solve per horizon.
 */
import { existsSync } from "node:fs";
import { CorruptFileError } from "../../io/safetensors.ts";
import type { Tree } from "../../core/tree.ts";
import { getBackend, numericsDifference } from "../../kernels/index.ts";
import type { RunConfig } from "../recipes/runConfig.ts";
import { Trainer, type TrainerState } from "../../train/trainer.ts";
import { type BpttRecipe, withRecipe } from "./bpttRecipe.ts";
import { solveForecast } from "./forecast.ts";
import { metricLabels } from "./metricLabels.ts";
import { type EpochLine, epochLine, historyOf } from "./metrics.ts";
import { type CheckpointFile, Run } from "./run.ts";
import { RunDirectoryError } from "./runDirectoryError.ts";

/** Where training is, for progress displays. */
export interface TrainProgress {
  /** Updates done. */
  readonly step: number;
  readonly totalSteps: number;
  /** Epochs done. */
  readonly epoch: number;
  readonly epochs: number;
  /**
   * In `onStep`, the step's loss; in `onEpoch`, the epoch's mean loss (`trainLoss` of its
   * metrics line, what a summary of the run shows).
   */
  readonly loss: number;
  /** The run's metrics by label, each with its latest value (after the first epoch). */
  readonly metrics: readonly { readonly label: string; readonly value?: number }[];
}

/** Progress callbacks of {@link startRun} and {@link resumeRun}. */
export interface TrainHooks {
  onStep?(progress: TrainProgress): void;
  onEpoch?(progress: TrainProgress, line: EpochLine): void;
  /** Before training resumes: something the user should know (e.g. {@link TrainedRun.numericsChanged}). */
  onWarning?(message: string): void;
}

/** A trained run: the directory, the final trainer state (BPTT recipes) and where it resumed from. */
export interface TrainedRun {
  readonly run: Run;
  /** The final trainer state; absent for a forecast run (one closed-form solve). */
  readonly state?: TrainerState<Tree>;
  /** The checkpoint training continued from, when resumed. */
  readonly resumedFrom?: CheckpointFile;
  /** Newer checkpoints that were torn or corrupted and passed over on resume, with why. */
  readonly skipped?: readonly { readonly file: CheckpointFile; readonly reason: string }[];
  /**
   * When resumed with other numerics than the checkpoint was computed with (another kernel build,
   * or FMA fused on one machine and not the other): why the continued run cannot reproduce an
   * uninterrupted one bit for bit. Training continues; the message names the switch.
   */
  readonly numericsChanged?: string;
}

function train<B>(run: Run, recipe: BpttRecipe<B>, start: TrainerState<Tree>, hooks: TrainHooks): TrainerState<Tree> {
  const { epochs, stepsPerEpoch } = recipe.fitOptions;
  const lines = run.readMetrics().filter((l) => l.epoch <= start.epoch);
  run.writeMetrics(lines);
  run.recordNumerics(start.epoch);
  const labels = metricLabels(run.config);
  let latest = lines.at(-1)?.metrics ?? {};
  const progress = (step: number, loss: number): TrainProgress => ({
    step,
    totalSteps: epochs * stepsPerEpoch,
    epoch: Math.floor(step / stepsPerEpoch),
    epochs,
    loss,
    metrics: labels.map(({ key, label }) => ({ label, ...(key in latest ? { value: latest[key] } : {}) })),
  });
  const trainer = new Trainer({
    ...recipe.trainerOptions,
    callbacks: [
      {
        onStep: (record) => hooks.onStep?.(progress(record.step + 1, record.loss)),
        onEpoch: (record, state) => {
          const line = epochLine(record, state.history.steps);
          lines.push(line);
          latest = record.metrics;
          // Metrics first: a crash between the two leaves a line the resume drops, never a gap.
          run.writeMetrics(lines);
          run.saveCheckpoint(state, recipe.model);
          hooks.onEpoch?.(progress(record.step, line.trainLoss), line);
        },
      },
    ],
  });
  const final = trainer.resume(start, recipe.batches, recipe.fitOptions);
  run.saveModel(final.params, recipe.model);
  return final;
}

const fresh = <B>(recipe: BpttRecipe<B>) =>
  new Trainer(recipe.trainerOptions).initialState(recipe.initialParams(), recipe.fitOptions.seed);

/**
 * Creates the run directory `dir` and trains the config's model in it. The config, data and model
 * are checked before the directory is made; if training fails before the first checkpoint, the
 * directory is removed again.
 * @example const { state } = startRun("runs/pdm", parseRunConfig({}), { onEpoch: (p) => console.log(p) });
 */
export function startRun(dir: string, config: RunConfig, hooks: TrainHooks = {}): TrainedRun {
  return withRecipe<TrainedRun>(config, {
    bptt(recipe) {
      const run = Run.create(dir, config);
      try {
        return { run, state: train(run, recipe, fresh(recipe), hooks) };
      } catch (e) {
        if (run.checkpoints().length === 0) run.remove();
        throw e;
      }
    },
    forecast(recipe) {
      const run = Run.create(dir, config);
      try {
        solveForecast(run, recipe);
        return { run };
      } catch (e) {
        run.remove();
        throw e;
      }
    },
  });
}

/**
 * The trainer state saved in a checkpoint, with the history rebuilt from the metrics lines before
 * it, and why this process cannot continue it bit for bit, if it cannot.
 */
function restore<B>(
  run: Run,
  recipe: BpttRecipe<B>,
  file: CheckpointFile,
): { state: TrainerState<Tree>; numericsChanged?: string } {
  const c = run.load(file.path, recipe.initialParams());
  if (!c.optimizer || !c.rng || c.step === undefined || c.epoch === undefined) {
    throw new CorruptFileError(`${file.path}: not a training checkpoint (no optimizer, PRNG or step state)`);
  }
  const lines = run.readMetrics().filter((l) => l.epoch <= file.epoch);
  if (lines.length !== file.epoch) {
    throw new CorruptFileError(
      `${run.path("metrics.jsonl")}: must hold the ${file.epoch} epochs before checkpoint ${file.path}, got ${lines.length}`,
    );
  }
  const state = { params: c.params, optimizer: c.optimizer, rng: c.rng, step: c.step, epoch: c.epoch, history: historyOf(lines) };
  const changed = c.numerics
    ? numericsDifference(c.numerics, getBackend().numerics)
    : "the checkpoint does not record the numerics it was computed with (an older braints wrote it)";
  return { state, ...(changed ? { numericsChanged: `${file.path}: ${changed}` } : {}) };
}

/**
 * The newest checkpoint that restores, and the newer ones that did not (torn or corrupted).
 * @throws CorruptFileError naming every checkpoint when none restores
 */
function newestValid<B>(
  run: Run,
  recipe: BpttRecipe<B>,
  hooks: TrainHooks,
): { restored?: ReturnType<typeof restore>; from?: CheckpointFile; skipped: { file: CheckpointFile; reason: string }[] } {
  const skipped: { file: CheckpointFile; reason: string }[] = [];
  const files = run.checkpoints().reverse();
  for (const file of files) {
    try {
      const restored = restore(run, recipe, file);
      if (skipped.length > 0) {
        hooks.onWarning?.(
          `${skipped.map((s) => s.reason).join("; ")}; resuming from ${file.path}, the newest valid checkpoint (epoch ${file.epoch})`,
        );
      }
      return { restored, from: file, skipped };
    } catch (e) {
      if (!(e instanceof CorruptFileError)) throw e;
      skipped.push({ file, reason: e.message });
    }
  }
  if (files.length > 0) {
    throw new CorruptFileError(
      `--resume: no checkpoint of ${run.dir} can be read: ${skipped.map((s) => s.reason).join("; ")}`,
    );
  }
  return { skipped };
}

/**
 * Continues the run in `dir` from its newest valid checkpoint (or from the start when it has none)
 * with its saved config; newer torn or corrupted checkpoints are passed over with a warning
 * (`hooks.onWarning`) and rewritten as training reaches them again. With the same seed the loss
 * history equals an uninterrupted run's. A forecast run is solved again.
 * @throws RunDirectoryError when `dir` is not a run; CorruptFileError when it has checkpoints and none can be read
 */
export function resumeRun(dir: string, hooks: TrainHooks = {}): TrainedRun {
  if (!existsSync(dir)) {
    throw new RunDirectoryError(
      "missing",
      dir,
      `run directory ${dir} does not exist`,
      "resumeRun continues a run that startRun began",
    );
  }
  const run = Run.open(dir);
  run.removeTemporaries();
  return withRecipe<TrainedRun>(run.config, {
    bptt(recipe) {
      const { restored: found, from, skipped } = newestValid(run, recipe, hooks);
      const restored = found ?? { state: fresh(recipe) };
      if (restored.numericsChanged) {
        hooks.onWarning?.(
          `${restored.numericsChanged}; training continues, but its numbers will not match an uninterrupted run bit for bit`,
        );
      }
      return {
        run,
        state: train(run, recipe, restored.state, hooks),
        ...(from ? { resumedFrom: from } : {}),
        ...(skipped.length > 0 ? { skipped } : {}),
        ...(restored.numericsChanged ? { numericsChanged: restored.numericsChanged } : {}),
      };
    },
    forecast(recipe) {
      solveForecast(run, recipe);
      return { run };
    },
  });
}
