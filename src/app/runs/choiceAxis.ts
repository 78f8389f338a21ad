/**
 * What a decision network computes, in one picture: its held-out trials' hidden states averaged by
 * choice × stimulus strength and projected on the choice axis found by regression (Mante et al. 2013).
 */
import { conditionAverages } from "../../analysis/population/psth.ts";
import { regressionAxes } from "../../analysis/population/regressionAxes.ts";
import { Rng } from "../../base/random.ts";
import { fromData } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { trialBatch } from "../../data/trialBatch.ts";
import type { Task } from "../../tasks/task.ts";
import { scoreTrials } from "../../train/decisions.ts";
import type { RecurrentNetwork } from "../recipes/model.ts";
import { runBatch } from "../recipes/trials.ts";

/** Condition-averaged trajectories on the choice axis, and how far apart the two choices end. */
export interface ChoiceAxisTrajectories {
  /** The two choices compared (action indices), in legend order. */
  readonly choices: readonly [number, number];
  /** The strength condition of the task (`coh`), when it has one. */
  readonly strengthKey?: string;
  /** One mean trajectory per choice × strength. */
  readonly groups: readonly {
    readonly choice: number;
    readonly strength?: number;
    readonly trials: number;
    readonly values: readonly number[];
  }[];
  /** d′ of the single trials' projections at the last common step, choice 2 against choice 1. */
  readonly separation: number;
  /** Trials used (those whose choice is one of the two). */
  readonly trials: number;
}

/**
 * Runs `trials` held-out trials, regresses the hidden states on the network's choice (and the
 * trial's `coh` when it varies), and projects the choice × strength averages on the choice axis.
 * Undefined unless two of the responses trials ask for are each chosen on at least 2 trials.
 */
export function choiceAxisTrajectories(
  network: RecurrentNetwork,
  params: Tree,
  task: Task,
  options: { readonly trials?: number; readonly seed?: number } = {},
): ChoiceAxisTrajectories | undefined {
  const batch = trialBatch(task, Rng.fromSeed(options.seed ?? 0).fold("choice-axis"), options.trials ?? 256);
  const { outputs, hidden } = runBatch(network.model, params, batch);
  const counts = new Map<number, number>();
  const outcomes = scoreTrials(batch, outputs);
  // Only responses some trial asks for count as choices (not, e.g., holding fixation through the decision).
  const asked = new Set(outcomes.map((o) => o.target));
  for (const o of outcomes) if (asked.has(o.choice)) counts.set(o.choice, (counts.get(o.choice) ?? 0) + 1);
  const top = [...counts].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (top.length < 2) return undefined;
  const choices = [top[0]?.[0] as number, top[1]?.[0] as number].sort((a, b) => a - b) as [number, number];
  const kept = outcomes.flatMap((o, b) => (choices.includes(o.choice) ? [b] : []));
  const [, B, H] = hidden.shape as [number, number, number];
  const steps = Math.min(...kept.map((b) => batch.lengths[b] as number));
  const T = batch.T;
  const sub = new Float64Array(T * kept.length * H);
  for (let t = 0; t < T; t++)
    kept.forEach((b, n) => sub.set(hidden.data.subarray((t * B + b) * H, (t * B + b + 1) * H), (t * kept.length + n) * H));
  const activity = fromData(sub, [T, kept.length, H]);
  const aligned = fromData(sub.subarray(0, steps * kept.length * H), [steps, kept.length, H]);
  const choice = kept.map((b) => (outcomes[b]?.choice === choices[0] ? -1 : 1));
  const strengthOf = (b: number) => (batch.trials[b]?.conditions as Record<string, unknown>)["coh"];
  const strengths = kept.map(strengthOf);
  const graded = strengths.every((s) => typeof s === "number") && new Set(strengths).size > 1;
  const tdr = regressionAxes(aligned, graded ? { choice, coherence: strengths as number[] } : { choice }, {
    components: Math.min(12, H),
  });
  const labels = kept.map((b, n) => (graded ? `${choice[n]}|${strengths[n] as number}` : `${choice[n]}`));
  const order = [...new Set(labels)].sort((a, b) => {
    const [ca, sa] = a.split("|").map(Number);
    const [cb, sb] = b.split("|").map(Number);
    return (ca as number) - (cb as number) || (sa ?? 0) - (sb ?? 0);
  });
  const lengths = kept.map((b) => batch.lengths[b] as number);
  const groups = conditionAverages(activity, labels, lengths, order).map((g) => {
    const [c, s] = String(g.label).split("|").map(Number);
    const onAxis = tdr.project(g.mean).data;
    return {
      choice: choices[c === -1 ? 0 : 1],
      ...(graded ? { strength: s as number } : {}),
      trials: g.trials,
      values: Array.from({ length: T }, (_, t) => onAxis[t * tdr.names.length] as number),
    };
  });
  const last = tdr.project(fromData(sub.slice((steps - 1) * kept.length * H, steps * kept.length * H), [kept.length, H]));
  const stat = (sign: number) => {
    const v = choice.flatMap((c, n) => (c === sign ? [last.data[n * tdr.names.length] as number] : []));
    const m = v.reduce((a, x) => a + x, 0) / v.length;
    return { m, v: v.reduce((a, x) => a + (x - m) ** 2, 0) / v.length };
  };
  const [a, b] = [stat(-1), stat(1)];
  const pooled = Math.sqrt((a.v + b.v) / 2);
  return {
    choices,
    ...(graded ? { strengthKey: "coh" } : {}),
    groups,
    separation: pooled > 0 ? (b.m - a.m) / pooled : Infinity,
    trials: kept.length,
  };
}
