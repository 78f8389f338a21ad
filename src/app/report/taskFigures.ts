/** The figures of a multitask run: every task's held-out accuracy after every epoch, and its units' task variance. */
import { taskCurves } from "../../plot/taskCurves.ts";
import { taskVarianceMap } from "../../plot/taskVarianceMap.ts";
import { taskAccuracyKey } from "../recipes/supervised.ts";
import type { PopulationAnalysis } from "../runs/population.ts";
import type { ReportFigure } from "./figures.ts";

/**
 * One panel per task of its held-out accuracy (`accuracy/<task>` in `metrics.jsonl`) against the
 * training step.
 * @param metrics the run's epoch lines
 * @param tasks the run's tasks, in order
 */
export function taskCurvesFigure(
  metrics: readonly { readonly step: number; readonly metrics: Readonly<Record<string, number>> }[],
  tasks: readonly string[],
): ReportFigure {
  const points = tasks.flatMap((task) =>
    metrics.flatMap((line) => {
      const value = line.metrics[taskAccuracyKey(task)];
      return value === undefined ? [] : [{ task, step: line.step, value }];
    }),
  );
  return {
    id: "tasks",
    heading: "Performance per task",
    caption:
      "Held-out trial accuracy of each task after every epoch (the same trials each time; the dashed line is 0.75).",
    figure: taskCurves(points, { bar: 0.75 }),
  };
}

/**
 * The units' normalised task variance (Yang et al. 2019, Fig. 2b): one row per task, one column per
 * active unit, the units sorted by the cluster their task variances put them in (the band above).
 */
export function taskVarianceFigure(tasks: NonNullable<PopulationAnalysis["tasks"]>): ReportFigure {
  const clusterOf = new Map(tasks.active.map((unit, n) => [unit, tasks.labels[n] as number]));
  const best = tasks.silhouettes.find((s) => s.k === tasks.k)?.score;
  return {
    id: "task-variance",
    heading: "Task variance and clusters of units",
    caption:
      `Each active unit's variance across held-out trials of each task, averaged over time and normalised by its largest (${tasks.active.length} of ${tasks.normalized.length} units active). ` +
      `Units are sorted by cluster: k-means on these profiles found ${tasks.k} clusters` +
      (best === undefined ? "" : ` (silhouette ${best.toFixed(2)}, the best k)`) +
      "; the band above shows each unit's cluster.",
    figure: taskVarianceMap(tasks.normalized, tasks.order, {
      tasks: tasks.names,
      clusters: tasks.order.map((unit) => clusterOf.get(unit) as number),
      title: "Normalised task variance, units sorted by cluster",
    }),
  };
}
