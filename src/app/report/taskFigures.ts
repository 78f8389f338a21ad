/** The figure of a multitask run: every task's held-out accuracy after every epoch. */
import { taskCurves } from "../../plot/taskCurves.ts";
import { taskAccuracyKey } from "../recipes/supervised.ts";
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
