/**
 * Per-trial evaluation as NeuroGym scores supervised networks: run whole held-out trials, read the
 * network's choice at the last step of each trial (the decision period) and compare it with the
 * ground truth there.
 */
import { ValueError } from "../base/errors.ts";
import { Rng } from "../base/random.ts";
import { Tensor } from "../core/tensor.ts";
import type { Tree } from "../core/tree.ts";
import { trialBatch } from "../data/trialBatch.ts";
import type { SequenceModel } from "../models/model.ts";
import type { Conditions } from "../tasks/spec.ts";
import type { Task } from "../tasks/task.ts";
import { type TrialOutcome, fractionCorrect, scoreTrials } from "./decisions.ts";

/** One evaluated trial: conditions, the step the choice is read at, target, choice, correct. */
export type TrialRecord<C extends Conditions = Conditions> = TrialOutcome & { readonly conditions: C };

export interface TrialEvaluation<C extends Conditions = Conditions> {
  /** Fraction of trials whose choice equals the target. */
  readonly accuracy: number;
  readonly trials: readonly TrialRecord<C>[];
  /** Hidden activity per trial `[T_i, H]` (only with `keepHidden`). */
  readonly hidden?: readonly Float32Array[];
}

export interface TrialEvaluationOptions<C extends Conditions> {
  readonly nTrials: number;
  /** Trials run together (padded); default 256. */
  readonly batchSize?: number;
  /**
   * Seed of the trials (default 0). They come from its evaluation stream,
   * `Rng.fromSeed(seed).fold("eval")`, so they are never the training trials of any seed.
   */
  readonly seed?: number;
  /** Fixed conditions for every trial (e.g. one coherence). */
  readonly conditions?: Partial<C>;
  /** Input noise on (default, as in training) or off. */
  readonly noise?: boolean;
  /** Keep each trial's hidden activity for analysis (PCA, fixed points). */
  readonly keepHidden?: boolean;
}

/**
 * Scores `model` on `nTrials` fresh trials of `task`: the choice is the argmax of the output at the
 * last step of each trial's response period, compared with the ground truth at that step (see
 * `scoreTrials`).
 * @example
 * const { accuracy } = evaluateTrials(model, params, task, { nTrials: 1000, seed: 1 });
 */
export function evaluateTrials<P extends Tree, C extends Conditions>(
  model: SequenceModel<P>,
  params: P,
  task: Task<C>,
  options: TrialEvaluationOptions<C>,
): TrialEvaluation<C> {
  const { nTrials } = options;
  if (!Number.isInteger(nTrials) || nTrials < 1) {
    throw new ValueError(`evaluateTrials: nTrials must be a positive integer, got ${nTrials}`);
  }
  const rng = Rng.fromSeed(options.seed ?? 0).fold("eval");
  const records: TrialRecord<C>[] = [];
  const hidden: Float32Array[] = [];
  const per = options.batchSize ?? 256;
  for (let done = 0; done < nTrials; done += per) {
    const B = Math.min(per, nTrials - done);
    const batch = trialBatch(task, rng, B, {
      ...(options.conditions ? { conditions: options.conditions } : {}),
      ...(options.noise === undefined ? {} : { noise: options.noise }),
    });
    const out = model.apply(params, new Tensor([batch.T, B, batch.obDim], batch.inputs));
    records.push(...(scoreTrials(batch, out.outputs) as TrialRecord<C>[]));
    if (options.keepHidden) {
      const H = out.hidden.shape[2] as number;
      for (let b = 0; b < B; b++) {
        const steps = batch.lengths[b] as number;
        const h = new Float32Array(steps * H);
        for (let t = 0; t < steps; t++)
          h.set(out.hidden.data.subarray((t * B + b) * H, (t * B + b + 1) * H), t * H);
        hidden.push(h);
      }
    }
  }
  const accuracy = fractionCorrect(records);
  return options.keepHidden ? { accuracy, trials: records, hidden } : { accuracy, trials: records };
}
