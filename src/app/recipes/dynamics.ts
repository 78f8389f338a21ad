/**
 * Population dynamics of a trained network: PCA of its hidden-state trajectories (float64) and its
 * fixed points in the manner of Sussillo & Barak (2013): states the network held at one constant
 * input (zero, or a period's mean input) leaves unchanged, found from many states its trajectories
 * visit.
 */
import { periodMeanInput } from "../../analysis/fixedPoints/constantInput.ts";
import { findFixedPoints } from "../../analysis/fixedPoints/findFixedPoints.ts";
import { sampleStates } from "../../analysis/fixedPoints/sampleStates.ts";
import type { Complex } from "../../linalg/eigenvalues.ts";
import { modulus } from "../../linalg/eigenvalues.ts";
import { pca } from "../../analysis/pca.ts";
import { ValueError } from "../../base/errors.ts";
import { Rng } from "../../base/random.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import type { Tree } from "../../core/tree.ts";
import { trialBatch } from "../../data/trialBatch.ts";
import type { Task } from "../../tasks/task.ts";
import { scoreTrials } from "../../train/decisions.ts";
import type { RecurrentNetwork } from "./model.ts";
import { runBatch } from "./trials.ts";

/** A fixed point in PC coordinates with its linear stability. */
export interface FixedPointSummary {
  /** Coordinates on the first principal components. */
  readonly coords: readonly number[];
  /** Its speed `q = ½‖F(h) − h‖²`. */
  readonly q: number;
  readonly stability: string;
  readonly unstableModes: number;
  readonly marginalModes: number;
  /** The Jacobian eigenvalues of largest modulus (at most 8). */
  readonly eigenvalues: readonly Complex[];
}

/** What {@link analyzeDynamics} finds. */
export interface DynamicsAnalysis {
  /** Explained variance ratio of each principal component kept. */
  readonly explainedVarianceRatio: readonly number[];
  /** Per trial, its hidden states on the components `[steps, k]`. */
  readonly trajectories: readonly (readonly (readonly number[])[])[];
  /** The network's choice per trial, colouring the trajectories. */
  readonly choices: readonly number[];
  /** The fixed points of the network held at one constant input, when the cell's state is one vector. */
  readonly fixedPoints?: {
    /** The input `[nIn]` the network is held at, and in words (`"zero input"`, `"the stimulus period's mean input"`). */
    readonly input: { readonly label: string; readonly values: readonly number[] };
    /** Starting states, drawn from the trajectories. */
    readonly starts: number;
    readonly points: readonly FixedPointSummary[];
    /** Why the search failed, when it did (the trajectories are still reported). */
    readonly error?: string;
  };
}

/**
 * The constant input a fixed-point search holds the network at: `"zero"` (the autonomous network)
 * or `{ period }`, the mean input over that period of the held-out trials (e.g. the stimulus: the
 * fixed points that shape the dynamics while a stimulus of average strength is on).
 */
export type FixedPointInput = "zero" | { readonly period: string };

/** Options of {@link analyzeDynamics}. */
export interface DynamicsOptions {
  /**
   * The input of the fixed-point search (default `"zero"`: the autonomous network, Sussillo & Barak's
   * convention). The default does not depend on the task, so the fixed points of networks trained
   * on different tasks, of a sweep's trials and of the report and `braints analyze` are those of the
   * same kind of system; ask for `{ period: "stimulus" }` to hold the network at
   * the stimulus period's mean input (the fixed points that shape the dynamics while a stimulus of
   * average strength is on).
   * @throws ValueError when a trial lacks the named period
   */
  readonly fixedPointInput?: FixedPointInput;
  /** Trials whose trajectories are projected (default 64). */
  readonly trials?: number;
  /** Starting states of the fixed-point search (default 64). */
  readonly starts?: number;
  /** Seed of the held-out trials (their evaluation stream) and of the starting states (default 0). */
  readonly seed?: number;
}

/** The valid steps of trial `b` of `hidden` `[T, B, H]` as rows. */
function trialRows(hidden: Tensor, b: number, steps: number): Float64Array {
  const [, B, H] = hidden.shape as [number, number, number];
  const out = new Float64Array(steps * H);
  for (let t = 0; t < steps; t++) out.set(hidden.data.subarray((t * B + b) * H, (t * B + b + 1) * H), t * H);
  return out;
}

/**
 * PCA of the hidden trajectories of held-out trials, and the fixed points of the network held at
 * one constant input (`options.fixedPointInput`, by default zero) projected on the same components.
 * @example const { trajectories, fixedPoints } = analyzeDynamics(network, params, task);
 */
export function analyzeDynamics(
  network: RecurrentNetwork,
  params: Tree,
  task: Task,
  options: DynamicsOptions = {},
): DynamicsAnalysis {
  const rng = Rng.fromSeed(options.seed ?? 0).fold("eval");
  const batch = trialBatch(task, rng, options.trials ?? 64);
  const { outputs, hidden } = runBatch(network.model, params, batch);
  const [, B, H] = hidden.shape as [number, number, number];
  const k = Math.min(3, H);
  const rows = Array.from({ length: B }, (_, b) => trialRows(hidden, b, batch.lengths[b] as number));
  const stacked = new Float64Array(rows.reduce((n, r) => n + r.length, 0));
  rows.reduce((offset, r) => (stacked.set(r, offset), offset + r.length), 0);
  const fit = pca(fromData(stacked, [stacked.length / H, H]), { components: k });
  const project = (data: Float64Array) => {
    const p = fit.project(fromData(data, [data.length / H, H])).data;
    return Array.from({ length: data.length / H }, (_, i) => Array.from(p.subarray(i * k, (i + 1) * k)));
  };
  const result = {
    explainedVarianceRatio: Array.from(fit.explainedVarianceRatio),
    trajectories: rows.map(project),
    choices: scoreTrials(batch, outputs).map((o) => o.choice),
  };
  if (!network.stateMap) return result;
  const starts = options.starts ?? 64;
  const choice = options.fixedPointInput ?? "zero";
  const lacking =
    choice === "zero" ? undefined : batch.trials.find((t) => t.periods[choice.period] === undefined);
  if (choice !== "zero" && lacking) {
    throw new ValueError(
      `analyzeDynamics: fixedPointInput must be "zero" or a period of every trial, got period "${choice.period}" (a trial has ${Object.keys(lacking.periods).join(", ")})`,
    );
  }
  const input =
    choice === "zero"
      ? { label: "zero input", values: new Array<number>(task.obDim).fill(0) }
      : {
          label: `the ${choice.period} period's mean input`,
          values: Array.from(
            periodMeanInput(fromData(batch.inputs, [batch.T, B, batch.obDim]), batch.trials, choice.period),
          ),
        };
  const F = network.stateMap(params, input.values);
  let search;
  try {
    search = findFixedPoints(F, { initialStates: sampleStates(hidden, starts, rng, 0.02) });
  } catch (e) {
    return { ...result, fixedPoints: { input, starts, points: [], error: (e as Error).message } };
  }
  const points = search.fixedPoints.map((fp) => ({
    coords: project(fp.state)[0] as number[],
    q: fp.q,
    stability: fp.stability,
    unstableModes: fp.unstableModes,
    marginalModes: fp.marginalModes,
    eigenvalues: [...fp.eigenvalues].sort((a, b) => modulus(b) - modulus(a)).slice(0, 8),
  }));
  return { ...result, fixedPoints: { input, starts, points } };
}
