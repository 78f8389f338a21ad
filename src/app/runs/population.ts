/**
 * Population analyses of a trained run in the manner of the multitask papers: units' choice
 * selectivity, the choice axis (Mante et al. 2013), and for a run on several tasks the units' task
 * variance, their clusters and each cluster's lesion (Yang et al. 2019). Writes `population.json`.
 */
import { clusterUnits } from "../../analysis/population/clusterUnits.ts";
import { lesionEffects } from "../../analysis/population/lesion.ts";
import { selectivity } from "../../analysis/population/psth.ts";
import { taskVariance } from "../../analysis/population/taskVariance.ts";
import { Rng } from "../../base/random.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { writeFileAtomic } from "../../io/atomic.ts";
import { scoreTrials } from "../../train/decisions.ts";
import { taskList } from "../recipes/multitask.ts";
import { taskPerformance } from "../recipes/taskPerformance.ts";
import { configuredTask, heldOutSets, runBatch } from "../recipes/trials.ts";
import { type ChoiceAxisTrajectories, choiceAxisTrajectories } from "./choiceAxis.ts";
import { loadTrainedModel, supervisedConfigOf } from "./results.ts";
import type { Run } from "./run.ts";

/** What {@link analyzePopulation} finds. */
export interface PopulationAnalysis {
  /** The choice axis and how far the two choices end apart on it (two-choice tasks). */
  readonly choiceAxis?: Omit<ChoiceAxisTrajectories, "groups">;
  /** Each unit's d′ for the second choice over the first, on the last common step of the trials. */
  readonly choiceSelectivity?: readonly number[];
  /** Runs on several tasks: task variance, clusters and lesions. */
  readonly tasks?: {
    readonly names: readonly string[];
    /** Held-out trials per task, for the variances and the performances. */
    readonly trials: number;
    /** Normalised task variance `[H][K]`. */
    readonly normalized: readonly (readonly number[])[];
    /** Units above the activity threshold. */
    readonly active: readonly number[];
    /** Cluster of each active unit, in the order of `active`. */
    readonly labels: readonly number[];
    readonly k: number;
    readonly silhouettes: readonly { readonly k: number; readonly score: number }[];
    /** Active units sorted by cluster (unit indices), for the sorted heatmap. */
    readonly order: readonly number[];
    /** Held-out performance per task, intact. */
    readonly baseline: readonly number[];
    /** `drop[c][k]`: task k's performance lost by lesioning cluster c; absent when the cell has no `cell.wRec`. */
    readonly lesionDrop?: readonly (readonly number[])[];
  };
}

/** Hidden states `[steps, B, H]` of a batch up to its shortest trial. */
function alignedHidden(hidden: Tensor, lengths: ArrayLike<number>): Tensor {
  const [, B, H] = hidden.shape as [number, number, number];
  const steps = Math.min(...Array.from(lengths));
  return fromData(Float64Array.from(hidden.data.subarray(0, steps * B * H)), [steps, B, H]);
}

/**
 * Population analyses of a supervised run: choice axis and selectivity on its held-out trials, and
 * for several tasks ({@link taskList}) task variance over `trials` trials per task, clusters by
 * silhouette and every cluster's lesion scored on those tasks.
 * @example const { tasks } = analyzePopulation(Run.open("runs/yang19"));
 */
export function analyzePopulation(
  run: Run,
  options: { readonly trials?: number; readonly seed?: number } = {},
): PopulationAnalysis {
  const config = supervisedConfigOf(run, "analyze (population analyses)");
  const { recipe, params } = loadTrainedModel(run);
  const task = configuredTask(config.task);
  const trials = options.trials ?? 256;
  const seed = options.seed ?? 0;
  const result: {
    choiceAxis?: Omit<ChoiceAxisTrajectories, "groups">;
    choiceSelectivity?: number[];
    tasks?: NonNullable<PopulationAnalysis["tasks"]>;
  } = {};
  const names = taskList(config.task.name);
  if (names.length === 1) {
    const axis = choiceAxisTrajectories(recipe.network, params, task, { trials, seed });
    if (axis) {
      const { groups: _groups, ...rest } = axis;
      result.choiceAxis = rest;
      const [batch] = heldOutSets(config.task, task, trials, seed)[0]?.batches ?? [];
      if (batch) {
        const { outputs, hidden } = runBatch(recipe.network.model, params, batch);
        const choices = scoreTrials(batch, outputs).map((o) => o.choice);
        const h = alignedHidden(hidden, batch.lengths);
        const last = h.shape[0] as number;
        result.choiceSelectivity = Array.from(
          selectivity(h, choices, axis.choices[1], axis.choices[0], { window: [last - 1, last] }),
        );
      }
    }
  } else {
    const sets = heldOutSets(config.task, task, trials, seed + 1);
    const activity = sets.map((set) => {
      const batch = set.batches[0];
      if (!batch) throw new Error(`analyzePopulation: no held-out trials for ${set.name}`);
      return alignedHidden(runBatch(recipe.network.model, params, batch).hidden, batch.lengths);
    });
    const tv = taskVariance(activity);
    const K = names.length;
    const H = tv.active.length;
    const active = tv.active.flatMap((on, i) => (on ? [i] : []));
    const rows = fromData(
      Float64Array.from(active.flatMap((i) => Array.from(tv.normalized.data.subarray(i * K, (i + 1) * K)))),
      [active.length, K],
    );
    const clusters = clusterUnits(rows, {
      rng: Rng.fromSeed(seed).fold("clusters"),
      kMax: Math.min(20, active.length - 1),
    });
    const groups = Array.from({ length: clusters.k }, (_, c) => active.filter((_, n) => clusters.labels[n] === c));
    const score = (p: Tree) => taskPerformance(recipe.network.model, p, sets).map((s) => s.accuracy);
    const hasRec = (params as { cell?: { wRec?: unknown } }).cell?.wRec !== undefined;
    const effects = hasRec ? lesionEffects(params, groups, score) : { baseline: score(params), drop: undefined };
    result.tasks = {
      names,
      trials,
      normalized: Array.from({ length: H }, (_, i) => Array.from(tv.normalized.data.subarray(i * K, (i + 1) * K))),
      active,
      labels: Array.from(clusters.labels),
      k: clusters.k,
      silhouettes: clusters.silhouettes,
      order: clusters.order.map((n) => active[n] as number),
      baseline: effects.baseline,
      ...(effects.drop ? { lesionDrop: effects.drop } : {}),
    };
  }
  writeFileAtomic(run.path("population.json"), `${JSON.stringify(result)}\n`);
  return result;
}
