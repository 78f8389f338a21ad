/**
 * Per-trial evaluation as NeuroGym scores supervised networks: run whole held-out trials, read the
 * network's choice at the last step of each trial (the decision period) and compare it with the
 * ground truth there.
 */
import { ValueError } from "../core/errors.ts";
import { Rng } from "../core/random.ts";
import { Tensor } from "../core/tensor.ts";
import type { Tree } from "../core/tree.ts";
import { trialBatch } from "../data/trialBatch.ts";
import type { SequenceModel } from "../models/model.ts";
import type { Conditions } from "../tasks/spec.ts";
import type { Task } from "../tasks/task.ts";

/** One evaluated trial. */
export interface TrialRecord<C extends Conditions = Conditions> {
  readonly conditions: C;
  /** Ground-truth class at the trial's last step. */
  readonly target: number;
  /** argmax of the output at the trial's last step. */
  readonly choice: number;
  readonly correct: boolean;
}

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
  readonly seed?: number;
  /** Fixed conditions for every trial (e.g. one coherence). */
  readonly conditions?: Partial<C>;
  /** Input noise on (default, as in training) or off. */
  readonly noise?: boolean;
  /** Keep each trial's hidden activity for analysis (PCA, fixed points). */
  readonly keepHidden?: boolean;
}

/**
 * Scores `model` on `nTrials` fresh trials of `task`: the choice is the argmax of the output at
 * each trial's last step, compared with the ground truth at that step.
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
  const rng = Rng.fromSeed(options.seed ?? 0);
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
    const nOut = out.outputs.shape[2] as number;
    const H = out.hidden.shape[2] as number;
    for (let b = 0; b < B; b++) {
      const last = (batch.lengths[b] as number) - 1;
      const row = (last * B + b) * nOut;
      let choice = 0;
      for (let k = 1; k < nOut; k++)
        if ((out.outputs.data[row + k] as number) > (out.outputs.data[row + choice] as number)) choice = k;
      const target = batch.target[last * B + b] as number;
      records.push({
        conditions: (batch.trials[b] as { conditions: C }).conditions,
        target,
        choice,
        correct: choice === target,
      });
      if (options.keepHidden) {
        const h = new Float32Array((last + 1) * H);
        for (let t = 0; t <= last; t++)
          h.set(out.hidden.data.subarray((t * B + b) * H, (t * B + b + 1) * H), t * H);
        hidden.push(h);
      }
    }
  }
  const accuracy = records.filter((r) => r.correct).length / records.length;
  return options.keepHidden ? { accuracy, trials: records, hidden } : { accuracy, trials: records };
}
