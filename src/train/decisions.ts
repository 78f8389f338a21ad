/**
 * Trial-level choices of a network, read as NeuroGym's supervised tutorials read them: the argmax of
 * the output at the last step of the trial's response period, compared with the target there.
 */
import { ValueError } from "../base/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import type { TrialBatch } from "../data/trialBatch.ts";
import type { Conditions, TrialInfo } from "../tasks/spec.ts";

/** One scored trial: its conditions, the target and chosen action at its decision step. */
export interface TrialOutcome {
  readonly conditions: Conditions;
  /** The step the choice is read at. */
  readonly step: number;
  readonly target: number;
  readonly choice: number;
  readonly correct: boolean;
}

/**
 * The step a trial's choice is read at: the last step of its last response period (for
 * PerceptualDecisionMaking, the last step of the decision period).
 * @throws ValueError when the trial has no response step
 */
export function decisionStep(info: TrialInfo): number {
  let last = -1;
  for (const name of info.responsePeriods) {
    const bounds = info.periods[name];
    if (bounds && bounds.end > bounds.start) last = Math.max(last, bounds.end - 1);
  }
  if (last < 0) {
    throw new ValueError(
      `decisionStep: a trial must have a non-empty response period (${info.responsePeriods.join(", ")}), got none`,
    );
  }
  return last;
}

/**
 * Scores every trial of a time-major batch from the network's outputs `[T, B, nActions]`.
 * @example const outcomes = scoreTrials(batch, model.apply(params, x).outputs);
 */
export function scoreTrials(batch: TrialBatch, outputs: Tensor): TrialOutcome[] {
  const [T, B, O] = outputs.shape as [number, number, number];
  if (batch.layout !== "time-major" || T !== batch.T || B !== batch.batchSize) {
    throw new ValueError(
      `scoreTrials: outputs must be [${batch.T}, ${batch.batchSize}, nActions] for a time-major batch, got [${outputs.shape.join(", ")}] (${batch.layout})`,
    );
  }
  const y = outputs.data;
  return batch.trials.map((info, b) => {
    const step = decisionStep(info);
    const row = (step * B + b) * O;
    let choice = 0;
    for (let c = 1; c < O; c++) if ((y[row + c] as number) > (y[row + choice] as number)) choice = c;
    const target = batch.target[step * B + b] as number;
    return { conditions: info.conditions, step, target, choice, correct: choice === target };
  });
}

/** The fraction of correct outcomes. */
export function fractionCorrect(outcomes: readonly TrialOutcome[]): number {
  return outcomes.reduce((n, o) => n + (o.correct ? 1 : 0), 0) / outcomes.length;
}
