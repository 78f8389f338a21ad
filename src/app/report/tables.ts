/** The report's tables: accuracy per condition, psychometric fits and fixed points. */
import type { DynamicsAnalysis } from "../recipes/dynamics.ts";
import type { Evaluation } from "../recipes/evaluation.ts";
import { type TaskPerformance, meanAccuracy } from "../recipes/taskPerformance.ts";
import type { PopulationAnalysis } from "../runs/population.ts";
import type { ReportTable } from "./html.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One table per condition, the psychometric fits, and the fixed points with their stability. */
export function reportTables(
  evaluation: Omit<Evaluation, "outcomes">,
  dynamics: DynamicsAnalysis,
): ReportTable[] {
  const tables: ReportTable[] = Object.entries(evaluation.byCondition).map(([name, rows]) => ({
    caption: `Held-out accuracy by ${name} (${evaluation.trials} trials)`,
    header: [name, "trials", "accuracy", "± SE"],
    rows: rows.map((r) => [String(r.value), r.n, pct(r.accuracy), pct(r.se)]),
  }));
  const psy = evaluation.psychometric;
  if (psy) {
    tables.push({
      caption: "Psychometric fits (maximum likelihood)",
      header: ["link", "μ (bias)", "σ (scale)", "log-likelihood"],
      rows: psy.fits.map((f) => [f.link, f.mu.toFixed(3), f.sigma.toFixed(3), f.logLikelihood.toFixed(1)]),
    });
  }
  const fixed = dynamics.fixedPoints;
  if (fixed) {
    tables.push({
      caption: fixed.error
        ? `Fixed points: the search failed (${fixed.error})`
        : `Fixed points of the network held at ${fixed.input.label} (${fixed.starts} starting states)`,
      header: ["#", "stability", "q", "unstable modes", "largest |λ|"],
      rows: fixed.points.map((p, i) => [
        i + 1,
        p.stability,
        p.q.toExponential(1),
        p.unstableModes,
        Math.hypot(p.eigenvalues[0]?.re ?? 0, p.eigenvalues[0]?.im ?? 0).toFixed(3),
      ]),
    });
  }
  return tables;
}

/**
 * A multitask run's held-out performance per task, in the run's task order, with the mean over the
 * tasks and the lowest task in the caption.
 */
export function taskPerformanceTable(performance: readonly TaskPerformance[], seed: number): ReportTable {
  const lowest = performance.reduce((a, b) => (b.accuracy < a.accuracy ? b : a));
  return {
    caption: `Held-out performance per task (seed ${seed}): mean ${pct(meanAccuracy(performance))} over ${performance.length} tasks, lowest ${lowest.task} ${pct(lowest.accuracy)}`,
    header: ["task", "trials", "performance", "± SE"],
    rows: performance.map((p) => [p.task, p.trials, pct(p.accuracy), pct(p.se)]),
  };
}

/**
 * What lesioning each cluster of units costs each task (Yang et al. 2019, Fig. 3): one row per task
 * with its intact performance and, per cluster, the drop in percentage points when the cluster's
 * outgoing recurrent and readout weights are zeroed. `undefined` when the run has no lesions (a cell
 * without `cell.wRec`).
 */
export function lesionTable(tasks: NonNullable<PopulationAnalysis["tasks"]>): ReportTable | undefined {
  const drop = tasks.lesionDrop;
  if (!drop) return undefined;
  const sizes = drop.map((_, c) => tasks.labels.filter((l) => l === c).length);
  return {
    caption: `Performance drop (percentage points) of every task when one cluster of units is lesioned (its units' outgoing weights zeroed), ${tasks.trials} held-out trials per task`,
    header: ["task", "intact", ...sizes.map((n, c) => `cluster ${c + 1} (${n} units)`)],
    rows: tasks.names.map((name, k) => [
      name,
      pct(tasks.baseline[k] as number),
      ...drop.map((row) => (100 * (row[k] as number)).toFixed(1)),
    ]),
  };
}
