/**
 * What a sweep's recurrent networks share (Maheswaranathan et al. 2019): the similarity of their
 * condition-averaged hidden states by orthogonal Procrustes, and the number and stability of their
 * fixed points.
 */
import { procrustesSimilarity } from "../../analysis/population/procrustes.ts";
import { conditionAverages } from "../../analysis/population/psth.ts";
import { Rng } from "../../base/random.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import { trialBatch } from "../../data/trialBatch.ts";
import type { TrialBatch } from "../../data/trialBatch.ts";
import { analyzeDynamics } from "../recipes/dynamics.ts";
import { configuredTask, runBatch } from "../recipes/trials.ts";
import { loadTrainedModel } from "../runs/results.ts";
import { Run } from "../runs/run.ts";
import type { SweepPlan, SweepTrial } from "./plan.ts";
import { trialPaths } from "./sweepDir.ts";

/** A network's fixed points counted by stability, or why the search found none. */
export interface NetworkFixedPoints {
  readonly index: number;
  /** Stability (`stable`, `saddle`, ...) → how many. */
  readonly counts: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** The cross-network comparison of a sweep. */
export interface NetworkComparison {
  /** The trial indices compared, in matrix order. */
  readonly indices: readonly number[];
  /** `[n, n]` Procrustes similarity of their condition-averaged hidden states. */
  readonly similarity: readonly (readonly number[])[];
  /** The conditions the states were averaged over (e.g. `groundTruth=0 coh=51.2`), and steps per condition. */
  readonly conditions: readonly string[];
  readonly steps: number;
  /** Fixed points per network, for cells whose state is one vector. */
  readonly fixedPoints: readonly NetworkFixedPoints[];
  /** What was left out and why. */
  readonly notes: readonly string[];
}

/** Options of {@link compareNetworks}. */
export interface CompareNetworksOptions {
  /** At most this many networks, the first done in plan order (default 24). */
  readonly maxNetworks?: number;
  /** Held-out trials averaged per network, the same for every network (default 128). */
  readonly trials?: number;
  /** Starting states of each fixed-point search (default 32). */
  readonly starts?: number;
}

/** Labels by the trial conditions that take at most 12 values (choices, coherences; not continuous timings). */
function conditionLabels(batch: TrialBatch): string[] {
  const trials = batch.trials.map((t) => t.conditions as Record<string, unknown>);
  const keys = Object.keys(trials[0] ?? {}).filter((k) => {
    const values = new Set(trials.map((c) => c[k]));
    return values.size <= 12 && [...values].every((v) => ["number", "string", "boolean"].includes(typeof v));
  });
  return trials.map((c) => keys.map((k) => `${k}=${String(c[k])}`).join(" "));
}

/** The condition averages of `hidden` `[T, B, H]` over the first `steps` steps, stacked `[C·steps, H]`. */
function stackedAverages(
  hidden: Tensor,
  labels: readonly string[],
  order: readonly string[],
  steps: number,
): Tensor {
  const H = hidden.shape[2] as number;
  const out = new Float64Array(order.length * steps * H);
  conditionAverages(hidden, labels, undefined, order).forEach((g, c) =>
    out.set(g.mean.data.subarray(0, steps * H), c * steps * H),
  );
  return fromData(out, [order.length * steps, H]);
}

/**
 * Compares the sweep's done supervised networks that share the first one's task (so they see the
 * same trials): every network runs the same `trials` held-out trials, its hidden states are averaged
 * per condition over the steps every trial has, and each pair's {@link procrustesSimilarity} fills
 * the matrix; each network's fixed points come from `analyzeDynamics`.
 * @returns undefined when fewer than two networks can be compared
 */
export function compareNetworks(
  sweepDir: string,
  plan: SweepPlan,
  done: readonly SweepTrial[],
  options: CompareNetworksOptions = {},
): NetworkComparison | undefined {
  const notes: string[] = [];
  const supervised = done.filter((t) => t.config.kind === "supervised");
  const first = supervised[0];
  if (!first || first.config.kind !== "supervised") return undefined;
  const taskSpec = JSON.stringify(first.config.task);
  const same = supervised.filter(
    (t) => t.config.kind === "supervised" && JSON.stringify(t.config.task) === taskSpec,
  );
  if (same.length < supervised.length)
    notes.push(`${supervised.length - same.length} networks on another task setting are left out`);
  const max = options.maxNetworks ?? 24;
  if (same.length > max) notes.push(`the first ${max} of ${same.length} networks are compared`);
  const chosen = same.slice(0, max);
  if (chosen.length < 2) return undefined;
  const task = configuredTask(first.config.task);
  const batch = trialBatch(
    task,
    Rng.fromSeed(plan.sampleSeed).fold("eval", "compare networks"),
    options.trials ?? 128,
  );
  const labels = conditionLabels(batch);
  const order = [...new Set(labels)].sort();
  const steps = Math.min(...batch.lengths);
  const states: Tensor[] = [];
  const fixedPoints: NetworkFixedPoints[] = [];
  for (const trial of chosen) {
    const { recipe, params } = loadTrainedModel(Run.open(trialPaths(sweepDir, trial).run));
    states.push(stackedAverages(runBatch(recipe.network.model, params, batch).hidden, labels, order, steps));
    // The autonomous network's fixed points, as the sweep report's caption says.
    const found = analyzeDynamics(recipe.network, params, task, {
      trials: 32,
      starts: options.starts ?? 32,
      fixedPointInput: "zero",
    }).fixedPoints;
    if (!found) continue;
    const counts: Record<string, number> = {};
    for (const p of found.points) counts[p.stability] = (counts[p.stability] ?? 0) + 1;
    fixedPoints.push({ index: trial.index, counts, ...(found.error ? { error: found.error } : {}) });
  }
  // Symmetric: each pair once.
  const similarity = states.map(() => new Array<number>(states.length).fill(1));
  states.forEach((a, i) =>
    states.slice(0, i).forEach((b, j) => {
      const value = procrustesSimilarity(a, b);
      (similarity[i] as number[])[j] = value;
      (similarity[j] as number[])[i] = value;
    }),
  );
  return { indices: chosen.map((t) => t.index), similarity, conditions: order, steps, fixedPoints, notes };
}
