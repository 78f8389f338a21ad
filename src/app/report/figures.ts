/**
 * The figures of a supervised run, as Vega-Lite specs built by the plot module: one function per
 * figure, shared by the HTML report and the playground page, so both show the same figure.
 */
import { lossCurve, type LossPoint } from "../../plot/lossCurve.ts";
import type { Figure } from "../../plot/figure.ts";
import { activityHeatmap } from "../../plot/activityHeatmap.ts";
import { axisTrajectories } from "../../plot/axisTrajectories.ts";
import { pcaTrajectories } from "../../plot/pcaTrajectories.ts";
import { psychometricPlot } from "../../plot/psychometricPlot.ts";
import { trialPlot } from "../../plot/trialPlot.ts";
import type { DynamicsAnalysis } from "../recipes/dynamics.ts";
import type { Evaluation } from "../recipes/evaluation.ts";
import type { ExampleTrial } from "../recipes/examples.ts";
import type { ChoiceAxisTrajectories } from "../runs/choiceAxis.ts";

/** One figure of the report with its heading and caption. */
export interface ReportFigure {
  /** A stable identifier (the section's `id` in the HTML). */
  readonly id: string;
  readonly heading: string;
  readonly caption: string;
  readonly figure: Figure;
}

/** The names a task gives its observation channels and actions. */
export interface TaskNames {
  readonly dtMs: number;
  readonly channelNames: readonly string[];
  readonly actionNames: readonly string[];
}

/** What the figures are made from. */
export interface FigureData extends TaskNames {
  readonly losses: readonly LossPoint[];
  readonly examples: readonly ExampleTrial[];
  readonly evaluation: Pick<Evaluation, "psychometric">;
  readonly dynamics: DynamicsAnalysis;
  /** Condition-averaged trajectories on the choice axis, when the network makes two choices. */
  readonly choiceAxis?: ChoiceAxisTrajectories;
}

/** Every step loss, with the epoch's metric `key` on the last step of each epoch. */
export function lossPoints(
  metrics: readonly {
    readonly step: number;
    readonly losses: readonly number[];
    readonly metrics: Readonly<Record<string, number>>;
  }[],
  key: string,
): LossPoint[] {
  return metrics.flatMap((line) => {
    const first = line.step - line.losses.length;
    const accuracy = line.metrics[key];
    return line.losses.map((loss, k) => ({
      step: first + k + 1,
      loss,
      ...(k === line.losses.length - 1 && accuracy !== undefined ? { metric: accuracy } : {}),
    }));
  });
}

/** `n thing` or `n things`. */
export const plural = (n: number, thing: string): string => `${n} ${thing}${n === 1 ? "" : "s"}`;

function describeConditions(conditions: Readonly<Record<string, unknown>>): string {
  return Object.entries(conditions)
    .filter(([, v]) => typeof v === "number" || typeof v === "string" || typeof v === "boolean")
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
}

/** The training curves: loss per update and the held-out accuracy per epoch (with a bar to reach). */
export function trainingFigure(
  losses: readonly LossPoint[],
  bar?: { value: number; label: string },
): ReportFigure {
  return {
    id: "training",
    heading: "Training",
    caption: "Cross-entropy of every update (log scale) and the held-out trial accuracy after every epoch.",
    figure: lossCurve(losses, {
      title: "Training loss and held-out accuracy",
      lossTitle: "cross-entropy (nats)",
      metricTitle: "held-out trial accuracy",
      metricDomain: [0, 1],
      ...(bar ? { bar } : {}),
    }),
  };
}

/** One example trial: periods, inputs, target with its loss weight, and the action probabilities. */
export function exampleTrialFigure(trial: ExampleTrial, i: number, names: TaskNames): ReportFigure {
  const name = (a: number) => names.actionNames[a] ?? `action ${a}`;
  return {
    id: `trial-${i + 1}`,
    heading: `Example trial ${i + 1}`,
    caption: `Periods, inputs, target action with the loss weight of each step, and the network's action probabilities (${describeConditions(trial.conditions)}; target ${name(trial.target)}, chose ${name(trial.choice)}: ${trial.correct ? "correct" : "wrong"}).`,
    figure: trialPlot(
      {
        inputs: trial.inputs,
        targets: trial.targets,
        mask: trial.mask,
        periods: trial.periods,
        outputs: trial.probabilities,
        dtMs: names.dtMs,
        channelNames: names.channelNames,
        actionNames: names.actionNames,
      },
      { title: `Example trial ${i + 1}: target ${name(trial.target)}`, outputTitle: "P(action)" },
    ),
  };
}

/** The hidden units' activity over one example trial. */
export function activityFigure(trial: ExampleTrial, i: number, dtMs: number): ReportFigure {
  return {
    id: `activity-${i + 1}`,
    heading: `Unit activity, example trial ${i + 1}`,
    caption:
      "Hidden-state activity of the most variable units over the trial, each row one unit, ordered by the time of its peak.",
    figure: activityHeatmap(trial.hidden, dtMs, {
      title: `Unit activity, example trial ${i + 1}`,
      periods: trial.periods,
    }),
  };
}

/** The psychometric curve, when the evaluation has one. */
export function psychometricFigure(evaluation: Pick<Evaluation, "psychometric">): ReportFigure | undefined {
  const psy = evaluation.psychometric;
  if (!psy) return undefined;
  const logistic = psy.fits.find((f) => f.link === "logistic") ?? psy.fits[0];
  return {
    id: "psychometric",
    heading: "Psychometric curve",
    caption: `${psy.yLabel} per signed coherence (±1 SE) with the maximum-likelihood ${logistic?.link ?? ""} fit (μ ${logistic?.mu.toFixed(2)}, σ ${logistic?.sigma.toFixed(2)}).`,
    figure: psychometricPlot(psy.points, logistic?.curve ?? [], {
      title: "Psychometric curve",
      xTitle: psy.xLabel,
      yTitle: psy.yLabel,
    }),
  };
}

/** PCA trajectories of held-out trials, coloured by choice, with the fixed points and the input they are for. */
export function stateSpaceFigure(dyn: DynamicsAnalysis, actionNames: readonly string[]): ReportFigure {
  const fixed = dyn.fixedPoints;
  return {
    id: "pca",
    heading: "State space",
    caption:
      `Hidden-state trajectories of ${plural(dyn.trajectories.length, "held-out trial")} on the first principal components, coloured by the network's choice, a dot at each start` +
      (fixed
        ? fixed.points.length === 0
          ? `; the search from ${fixed.starts} states found no fixed point of the network held at ${fixed.input.label}${fixed.error ? ` (${fixed.error})` : ""}.`
          : `; black markers: the ${fixed.points.length === 1 ? "fixed point" : `${fixed.points.length} fixed points`} of the network held at ${fixed.input.label}, shaped by stability.`
        : "."),
    figure: pcaTrajectories(dyn.trajectories, {
      title: "PCA of hidden-state trajectories",
      labels: dyn.choices.map((c) => actionNames[c] ?? `action ${c}`),
      colourTitle: "choice",
      explainedVarianceRatio: dyn.explainedVarianceRatio,
      ...(fixed
        ? { fixedPoints: fixed.points.map((p) => ({ coords: p.coords, stability: p.stability })) }
        : {}),
    }),
  };
}

/**
 * The network's computation in state space: hidden states averaged by choice × stimulus strength,
 * projected on the choice axis found by regression (Mante et al. 2013).
 */
export function choiceAxisFigure(
  axis: ChoiceAxisTrajectories,
  actionNames: readonly string[],
  dtMs: number,
): ReportFigure {
  const name = (c: number) => actionNames[c] ?? `action ${c}`;
  return {
    id: "choice-axis",
    heading: "State space: the choice axis",
    caption:
      `Hidden states of ${plural(axis.trials, "held-out trial")} averaged by the network's choice` +
      (axis.strengthKey ? ` × ${axis.strengthKey} (fainter: weaker)` : "") +
      `, projected on the choice axis: the direction regression of every unit on the choice` +
      (axis.strengthKey ? ` and ${axis.strengthKey}` : "") +
      ` finds (Mante et al. 2013; denoised in the top principal components, orthogonalised). ` +
      `At the last common step the single trials' projections separate ${name(axis.choices[1])} from ${name(axis.choices[0])} by d′ = ${axis.separation.toFixed(1)}.`,
    figure: axisTrajectories(
      axis.groups.map((g) => ({
        label: name(g.choice),
        ...(g.strength !== undefined ? { strength: g.strength } : {}),
        values: g.values,
      })),
      {
        dtMs,
        title: "Condition-averaged trajectories on the choice axis",
        strengthTitle: axis.strengthKey ?? "strength",
      },
    ),
  };
}

/**
 * The figures of a run: training curves, example trials of different classes, the unit activity of
 * the first, the psychometric curve (when the task has a coherence), the condition-averaged
 * trajectories on the choice axis (when there are two choices) and the PCA trajectories with the
 * fixed points.
 */
export function reportFigures(data: FigureData): ReportFigure[] {
  const psychometric = psychometricFigure(data.evaluation);
  const first = data.examples[0];
  return [
    trainingFigure(data.losses),
    ...data.examples.map((trial, i) => exampleTrialFigure(trial, i, data)),
    ...(first ? [activityFigure(first, 0, data.dtMs)] : []),
    ...(psychometric ? [psychometric] : []),
    ...(data.choiceAxis ? [choiceAxisFigure(data.choiceAxis, data.actionNames, data.dtMs)] : []),
    stateSpaceFigure(data.dynamics, data.actionNames),
  ];
}
