/**
 * Held-out evaluation of a trained network on a task: trial accuracy, accuracy per condition and,
 * for two-choice tasks with a coherence, the psychometric curve with logistic and probit fits.
 */
import { type ConditionAccuracy, accuracyBy } from "../../analysis/behaviour/accuracyBy.ts";
import { type ChoiceFraction, choiceFractions } from "../../analysis/behaviour/choiceFractions.ts";
import { type PsychometricLink, fitPsychometric } from "../../analysis/behaviour/psychometric.ts";
import type { Tree } from "../../core/tree.ts";
import type { SequenceModel } from "../../models/model.ts";
import { columnNames } from "../../tasks/channels.ts";
import type { Task } from "../../tasks/task.ts";
import { type TrialOutcome, fractionCorrect } from "../../train/decisions.ts";
import { heldOutTrials, runTrials } from "./trials.ts";

/** A fitted psychometric curve, as plain data. */
export interface PsychometricCurveFit {
  readonly link: PsychometricLink;
  readonly mu: number;
  readonly sigma: number;
  readonly logLikelihood: number;
  /** The curve sampled densely over the tested range. */
  readonly curve: readonly { readonly x: number; readonly p: number }[];
}

/** Choices against signed coherence (positive: evidence for the second choice). */
export interface Psychometric {
  /** What the x axis is. */
  readonly xLabel: string;
  /** What the y axis is. */
  readonly yLabel: string;
  readonly points: readonly ChoiceFraction[];
  readonly fits: readonly PsychometricCurveFit[];
}

/** What {@link evaluateNetwork} measures. */
export interface Evaluation {
  readonly task: string;
  readonly trials: number;
  readonly seed: number;
  /** Fraction of trials whose choice at the decision step equals the target. */
  readonly accuracy: number;
  /** Accuracy per value of every condition with few distinct values. */
  readonly byCondition: Readonly<Record<string, readonly ConditionAccuracy[]>>;
  readonly psychometric?: Psychometric;
  readonly outcomes: readonly TrialOutcome[];
}

/** Conditions worth a table: scalar values, at most this many distinct ones. */
const MAX_LEVELS = 24;

function groupable(outcomes: readonly TrialOutcome[]): string[] {
  const first = outcomes[0]?.conditions ?? {};
  return Object.keys(first).filter((key) => {
    const values = new Set<unknown>();
    for (const o of outcomes) {
      const v = o.conditions[key];
      if (!["number", "string", "boolean"].includes(typeof v)) return false;
      values.add(v);
    }
    return values.size <= MAX_LEVELS;
  });
}

/** The psychometric curve of a two-choice task whose trials carry `coh` and `groundTruth` 0/1. */
function psychometric(outcomes: readonly TrialOutcome[], task: Task): Psychometric | undefined {
  const nActions = task.nActions;
  const cohOf = (o: TrialOutcome) => o.conditions["coh"];
  if (nActions !== 3 || !outcomes.every((o) => typeof cohOf(o) === "number")) return undefined;
  // Positive x is evidence for the second choice (ground truth 1, action 2).
  const x = outcomes.map((o) => (o.conditions["groundTruth"] === 1 ? 1 : -1) * (cohOf(o) as number) + 0);
  const chose = outcomes.map((o) => (o.choice === 2 ? 1 : 0));
  const points = choiceFractions(x, chose);
  if (points.length < 2) return undefined;
  const lo = points[0]?.x ?? 0;
  const hi = points.at(-1)?.x ?? 0;
  const grid = Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
  const fits = (["logistic", "probit"] as const).map((link) => {
    const fit = fitPsychometric(x, chose, { link });
    return { link, mu: fit.mu, sigma: fit.sigma, logLikelihood: fit.logLikelihood, curve: fit.curve(grid) };
  });
  // The axis names the action as every legend does (action 2 is the second choice, "choice 2").
  const second = columnNames(task.actions, nActions)[2] ?? "action 2";
  return { xLabel: "signed coherence (%)", yLabel: `P(${second})`, points, fits };
}

/**
 * Runs `count` held-out trials of `task` (drawn from `seed`) through the network and scores them.
 * @example const { accuracy, byCondition } = evaluateNetwork(model, params, task, { trials: 2000, seed: 1 });
 */
export function evaluateNetwork(
  model: SequenceModel,
  params: Tree,
  task: Task,
  options: { readonly trials: number; readonly seed: number },
): Evaluation {
  const outcomes = runTrials(model, params, heldOutTrials(task, options.trials, options.seed));
  const byCondition = Object.fromEntries(groupable(outcomes).map((key) => [key, accuracyBy(outcomes, key)]));
  const curve = psychometric(outcomes, task);
  return {
    task: task.name,
    trials: outcomes.length,
    seed: options.seed,
    accuracy: fractionCorrect(outcomes),
    byCondition,
    ...(curve ? { psychometric: curve } : {}),
    outcomes,
  };
}
