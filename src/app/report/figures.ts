/** The report's figures, as Vega-Lite specs built by the plot module from a run's results. */
import { lossCurve, type LossPoint } from "../../plot/lossCurve.ts";
import type { Figure } from "../../plot/figure.ts";
import { pcaTrajectories } from "../../plot/pcaTrajectories.ts";
import { psychometricPlot } from "../../plot/psychometricPlot.ts";
import { trialPlot } from "../../plot/trialPlot.ts";
import type { DynamicsAnalysis } from "../recipes/dynamics.ts";
import type { Evaluation } from "../recipes/evaluation.ts";
import type { EpochLine } from "../runs/metrics.ts";
import type { ExampleTrial } from "./examples.ts";

/** One figure of the report with its heading and caption. */
export interface ReportFigure {
  /** A stable identifier (the section's `id` in the HTML). */
  readonly id: string;
  readonly heading: string;
  readonly caption: string;
  readonly figure: Figure;
}

/** What the figures are made from. */
export interface FigureData {
  readonly metrics: readonly EpochLine[];
  readonly examples: readonly ExampleTrial[];
  readonly evaluation: Pick<Evaluation, "psychometric">;
  readonly dynamics: DynamicsAnalysis;
  readonly dtMs: number;
  readonly channelNames: readonly string[];
  readonly actionNames: readonly string[];
}

/** Every step loss, with the epoch's metric `key` on the last step of each epoch. */
export function lossPoints(metrics: readonly EpochLine[], key: string): LossPoint[] {
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

function describeConditions(conditions: Readonly<Record<string, unknown>>): string {
  return Object.entries(conditions)
    .filter(([, v]) => typeof v === "number" || typeof v === "string" || typeof v === "boolean")
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
}

/**
 * The figures of a run: training curves, example trials, the psychometric curve (when the task has
 * a coherence) and the PCA trajectories with the fixed points.
 */
export function reportFigures(data: FigureData): ReportFigure[] {
  const figures: ReportFigure[] = [
    {
      id: "training",
      heading: "Training",
      caption: "Loss of every update (log scale) and the held-out trial accuracy after every epoch.",
      figure: lossCurve(lossPoints(data.metrics, "accuracy"), {
        title: "Training loss and held-out accuracy",
        metricTitle: "held-out trial accuracy",
      }),
    },
    ...data.examples.map((trial, i) => ({
      id: `trial-${i + 1}`,
      heading: `Example trial ${i + 1}`,
      caption: `Inputs, target action and the network's action probabilities (${describeConditions(trial.conditions)}; ${trial.correct ? "correct" : "wrong"} choice).`,
      figure: trialPlot(
        {
          inputs: trial.inputs,
          targets: trial.targets,
          outputs: trial.probabilities,
          dtMs: data.dtMs,
          channelNames: data.channelNames,
          outputNames: data.actionNames,
        },
        { title: `Example trial ${i + 1}`, outputTitle: "P(action)" },
      ),
    })),
  ];
  const psy = data.evaluation.psychometric;
  if (psy) {
    const logistic = psy.fits.find((f) => f.link === "logistic") ?? psy.fits[0];
    figures.push({
      id: "psychometric",
      heading: "Psychometric curve",
      caption: `Fraction of choice-2 responses per signed coherence (±1 SE) with the maximum-likelihood ${logistic?.link ?? ""} fit (μ ${logistic?.mu.toFixed(2)}, σ ${logistic?.sigma.toFixed(2)}).`,
      figure: psychometricPlot(psy.points, logistic?.curve ?? [], {
        title: "Psychometric curve",
        xTitle: psy.xLabel,
        yTitle: psy.yLabel,
      }),
    });
  }
  const dyn = data.dynamics;
  const fixed = dyn.fixedPoints;
  figures.push({
    id: "pca",
    heading: "State space",
    caption:
      `Hidden-state trajectories of ${dyn.trajectories.length} held-out trials on the first principal components, coloured by the network's choice` +
      (fixed
        ? `; black markers: the ${fixed.points.length} fixed points of the autonomous network (zero input).`
        : "."),
    figure: pcaTrajectories(dyn.trajectories, {
      title: "PCA of hidden-state trajectories",
      labels: dyn.choices.map((c) => data.actionNames[c] ?? String(c)),
      colourTitle: "choice",
      explainedVarianceRatio: dyn.explainedVarianceRatio,
      ...(fixed
        ? { fixedPoints: fixed.points.map((p) => ({ coords: p.coords, stability: p.stability })) }
        : {}),
    }),
  });
  return figures;
}
