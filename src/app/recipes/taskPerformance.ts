/** Held-out performance of a network on each task of a run (one entry for a single-task run). */
import type { Tree } from "../../core/tree.ts";
import type { SequenceModel } from "../../models/model.ts";
import { fractionCorrect } from "../../train/decisions.ts";
import { type HeldOutSet, runTrials } from "./trials.ts";

/** One task's held-out score. */
export interface TaskPerformance {
  readonly task: string;
  readonly trials: number;
  /** Fraction of trials whose choice at the decision step is the target (NeuroGym's supervised score). */
  readonly accuracy: number;
  /** Its binomial standard error, `sqrt(p(1 − p)/n)`. */
  readonly se: number;
}

/**
 * Scores every held-out set: each trial's choice (the argmax output at the last step of its
 * response period) against its target there. On a no-go trial (dms, dnms, dmc, dnmc without a
 * match to answer) the target is fixation, so withholding the response scores 1.
 * @example taskPerformance(model, params, heldOutSets(spec, task, 500, 1)).map((p) => p.accuracy)
 */
export function taskPerformance(
  model: SequenceModel,
  params: Tree,
  sets: readonly HeldOutSet[],
): TaskPerformance[] {
  return sets.map((set) => {
    const outcomes = runTrials(model, params, set.batches);
    const accuracy = fractionCorrect(outcomes);
    const n = outcomes.length;
    return { task: set.name, trials: n, accuracy, se: Math.sqrt((accuracy * (1 - accuracy)) / n) };
  });
}

/** The mean accuracy over tasks (each task weighs the same). */
export const meanAccuracy = (performance: readonly TaskPerformance[]): number =>
  performance.reduce((sum, p) => sum + p.accuracy, 0) / performance.length;
