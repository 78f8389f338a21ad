/**
 * The sweep report: one HTML page with the results table (sortable), the objective against each
 * axis with its spread over seeds, the best configurations, the training curves overlaid, and for
 * recurrent networks their representational similarity and fixed points; for fits, the loss
 * histories overlaid and the recovered parameters against each axis.
 */
import { fixedPointCounts } from "../../plot/fixedPointCounts.ts";
import { heatmap } from "../../plot/heatmap.ts";
import { type AxisPoint, metricByAxis } from "../../plot/metricByAxis.ts";
import { type RunCurvePoint, overlaidCurves } from "../../plot/overlaidCurves.ts";
import type { ReportFigure } from "../report/figures.ts";
import type { ReportTable } from "../report/html.ts";
import { writeReportFile } from "../report/write.ts";
import { Run } from "../runs/run.ts";
import type { AxisValue } from "./axes.ts";
import { type CompareNetworksOptions, type NetworkComparison, compareNetworks } from "./compareNetworks.ts";
import { fitHistory } from "./fitTrial.ts";
import { type SweepPlan, type SweepTrial, describeTrial } from "./plan.ts";
import type { TrialResult } from "./results.ts";
import { readSweepStatus } from "./status.ts";
import { sweepPaths, trialPaths } from "./sweepDir.ts";

const show = (v: AxisValue | undefined) => (typeof v === "string" ? v : JSON.stringify(v));
const fmt = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "-" : x.toPrecision(4);

/** A configuration's name: its overrides without the seed. */
const configuration = (t: Pick<SweepTrial, "overrides">) =>
  Object.entries(t.overrides)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(", ") || "base";

/**
 * Every done trial's `value` (its objective by default) at its value of each axis, values ordered
 * numerically where they are numbers; trials without a finite value are left out.
 */
function axisPoints(
  plan: SweepPlan,
  results: readonly TrialResult[],
  value: (r: TrialResult) => number | null | undefined = (r) => r.objective,
): AxisPoint[] {
  return plan.axes.flatMap(({ path }) => {
    const values = [...new Set(results.map((r) => r.overrides[path]))].sort((a, b) =>
      typeof a === "number" && typeof b === "number" ? a - b : show(a).localeCompare(show(b)),
    );
    return results.flatMap((r) => {
      const metric = value(r);
      return metric === null || metric === undefined || !Number.isFinite(metric)
        ? []
        : [{ axis: path, value: show(r.overrides[path]), order: values.indexOf(r.overrides[path]), metric }];
    });
  });
}

/** The names of the parameters the trials fitted, in order of first appearance. */
const fittedNames = (results: readonly TrialResult[]) => [
  ...new Set(results.flatMap((r) => Object.keys(r.fitted ?? {}))),
];

/** The best configurations by mean objective over their seeds (at most 10). */
function bestTable(plan: SweepPlan, results: readonly TrialResult[]): ReportTable {
  const groups = new Map<string, number[]>();
  for (const r of results)
    if (r.objective !== null)
      groups.set(configuration(r), [...(groups.get(configuration(r)) ?? []), r.objective]);
  const rows = [...groups].map(([name, values]) => {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return {
      name,
      mean,
      sd,
      n: values.length,
      best: plan.objective.goal === "max" ? Math.max(...values) : Math.min(...values),
    };
  });
  rows.sort((a, b) => (plan.objective.goal === "max" ? b.mean - a.mean : a.mean - b.mean));
  return {
    caption: `Best configurations by mean ${plan.objective.metric} over seeds (${plan.objective.goal === "max" ? "higher" : "lower"} is better)`,
    header: ["configuration", "seeds", `mean ${plan.objective.metric}`, "± SD", "best seed"],
    rows: rows.slice(0, 10).map((r) => [r.name, r.n, fmt(r.mean), r.n > 1 ? fmt(r.sd) : "-", fmt(r.best)]),
  };
}

function resultsTable(plan: SweepPlan, results: readonly TrialResult[]): ReportTable {
  const metricKeys = [...new Set(results.flatMap((r) => Object.keys(r.metrics)))].filter(
    (k) => k !== plan.objective.metric,
  );
  const axes = plan.axes.map((a) => a.path);
  const fit = plan.kind === "fit";
  const fitted = fittedNames(results);
  /** A simulated target's true value of a fitted parameter, for trial `index`. */
  const truth = (index: number, name: string) => {
    const config = plan.trials[index]?.config;
    return config?.kind === "fit" && "simulate" in config.target ? config.target.simulate[name] : undefined;
  };
  const truths = fitted.filter((name) => results.some((r) => truth(r.index, name) !== undefined));
  return {
    caption: `Every finished trial (click a header to sort); objective ${plan.objective.metric}${fit ? "; the fitted parameters' best values, and their true values where the target is simulated" : ""}`,
    header: [
      "trial",
      ...axes,
      "seed",
      fit ? "iterations" : "epochs",
      ...(fit ? [] : ["stopped"]),
      plan.objective.metric,
      fit ? "final loss" : "train loss",
      ...metricKeys,
      ...fitted,
      ...truths.map((name) => `${name} (target)`),
      "seconds",
    ],
    rows: results.map((r) => [
      r.index,
      ...axes.map((a) => show(r.overrides[a])),
      r.seed ?? "-",
      r.epochs,
      ...(fit ? [] : [r.stoppedEarly ? `epoch ${r.stoppedEarly.epoch}` : ""]),
      fmt(r.objective),
      fmt(r.trainLoss),
      ...metricKeys.map((k) => (k === "evaluations" ? String(r.metrics[k]) : fmt(r.metrics[k]))),
      ...fitted.map((k) => fmt(r.fitted?.[k])),
      ...truths.map((name) => fmt(truth(r.index, name))),
      r.seconds.toFixed(1),
    ]),
    sortable: true,
  };
}

/** Each done fit trial's loss at every iteration, one line per trial; and each fitted parameter against each axis. */
function fitFigures(
  dir: string,
  plan: SweepPlan,
  done: readonly SweepTrial[],
  results: readonly TrialResult[],
): ReportFigure[] {
  const loss: RunCurvePoint[] = done.flatMap((t) =>
    fitHistory(trialPaths(dir, t).run).flatMap((y, x) =>
      Number.isFinite(y) ? [{ run: t.id, group: configuration(t), x, y }] : [],
    ),
  );
  const figures: ReportFigure[] = [];
  if (loss.length > 0) {
    figures.push({
      id: "loss-curves",
      heading: "Fit loss",
      caption:
        "Each trial's loss at every iteration of its fit (a gradient step, the best of a CMA-ES generation, a random or grid sample), one line per trial, coloured by configuration.",
      figure: overlaidCurves(loss, {
        title: "Loss per iteration",
        xTitle: "iteration",
        yTitle: "loss",
        logScale: loss.every((p) => p.y > 0),
      }),
    });
  }
  for (const name of fittedNames(results)) {
    const points = axisPoints(plan, results, (r) => r.fitted?.[name]);
    if (points.length === 0) continue;
    figures.push({
      id: `fitted-${name}`,
      heading: `Recovered ${name} against each axis`,
      caption: `Each trial's best ${name} (grey) at its value of each axis, and the mean ± one standard deviation over the trials sharing that value (the seeds and the other axes' values).`,
      figure: metricByAxis(points, { title: `${name} by axis`, metricTitle: name }),
    });
  }
  return figures;
}

/** Each done trial's per-epoch objective and training loss, one line per trial. */
function curveFigures(dir: string, plan: SweepPlan, done: readonly SweepTrial[]): ReportFigure[] {
  const objective: RunCurvePoint[] = [];
  const loss: RunCurvePoint[] = [];
  for (const t of done) {
    const lines = Run.open(trialPaths(dir, t).run).readMetrics();
    const group = configuration(t);
    for (const l of lines) {
      const value = plan.objective.metric === "trainLoss" ? l.trainLoss : l.metrics[plan.objective.metric];
      if (value !== undefined && Number.isFinite(value))
        objective.push({ run: t.id, group, x: l.epoch, y: value });
      if (Number.isFinite(l.trainLoss)) loss.push({ run: t.id, group, x: l.epoch, y: l.trainLoss });
    }
  }
  const figures: ReportFigure[] = [];
  if (objective.length > 0 && plan.objective.metric !== "trainLoss") {
    figures.push({
      id: "objective-curves",
      heading: `${plan.objective.metric} during training`,
      caption: `Each trial's ${plan.objective.metric} after every epoch, one line per trial, coloured by configuration (the seeds of one configuration share a colour).`,
      figure: overlaidCurves(objective, {
        title: `${plan.objective.metric} per epoch`,
        xTitle: "epoch",
        yTitle: plan.objective.metric,
      }),
    });
  }
  if (loss.length > 0) {
    figures.push({
      id: "loss-curves",
      heading: "Training loss",
      caption: "Each trial's mean training loss per epoch, one line per trial, coloured by configuration.",
      figure: overlaidCurves(loss, {
        title: "Training loss per epoch",
        xTitle: "epoch",
        yTitle: "training loss",
        logScale: loss.every((p) => p.y > 0),
      }),
    });
  }
  return figures;
}

function networkFigures(c: NetworkComparison): { figures: ReportFigure[]; tables: ReportTable[] } {
  const n = c.indices.length;
  const mapping = c.indices.map((index, row) => `${row} → trial ${index}`).join(", ");
  const figures: ReportFigure[] = [
    {
      id: "similarity",
      heading: "Representational similarity between networks",
      caption: `Orthogonal Procrustes similarity (1: one network's condition-averaged hidden states are a rotation of the other's; near 0: unrelated) of ${n} networks, averaged over ${c.conditions.length} conditions (${c.conditions.join("; ")}) × ${c.steps} steps of the same held-out trials. Rows and columns: ${mapping}.${c.notes.length > 0 ? ` ${c.notes.join("; ")}.` : ""}`,
      figure: heatmap(
        c.similarity.map((row) => [...row]),
        {
          title: "Procrustes similarity of hidden states",
          rowTitle: "network",
          columnTitle: "network",
          valueTitle: "similarity",
        },
      ),
    },
  ];
  const counts = c.fixedPoints.flatMap((f) =>
    Object.entries(f.counts).map(([stability, count]) => ({
      network: String(f.index),
      order: f.index,
      stability,
      count,
    })),
  );
  if (counts.length > 0) {
    figures.push({
      id: "fixed-points",
      heading: "Fixed points per network",
      caption:
        "Fixed points of each autonomous network (zero input) found from states its trajectories visit, stacked by linear stability.",
      figure: fixedPointCounts(counts, { title: "Fixed points by stability" }),
    });
  }
  const stabilities = [...new Set(counts.map((x) => x.stability))].sort();
  const mean = (row: readonly number[], i: number) =>
    n > 1 ? (row.reduce((s, v) => s + v, 0) - (row[i] as number)) / (n - 1) : NaN;
  const tables: ReportTable[] = [
    {
      caption: "Per network: mean similarity to the others, and fixed points by stability",
      header: ["trial", "mean similarity", ...stabilities, "fixed points", "search"],
      rows: c.indices.map((index, i) => {
        const fp = c.fixedPoints.find((f) => f.index === index);
        const total = fp ? Object.values(fp.counts).reduce((s, v) => s + v, 0) : undefined;
        return [
          index,
          fmt(mean(c.similarity[i] as number[], i)),
          ...stabilities.map((s) => fp?.counts[s] ?? 0),
          total ?? "-",
          fp ? (fp.error ?? "ok") : "not searched",
        ];
      }),
      sortable: true,
    },
  ];
  return { figures, tables };
}

/**
 * Writes `report.html` of the sweep in `dir` from its finished trials (the cross-network comparison
 * for supervised recurrent networks sharing a task; see {@link compareNetworks}).
 * @returns the report's path and a one-line result (the best trial)
 */
export async function reportSweep(
  dir: string,
  options: CompareNetworksOptions = {},
): Promise<{ path: string; headline: string }> {
  const { plan, counts, trials } = readSweepStatus(dir);
  const results = trials.flatMap((t) => (t.result ? [t.result] : []));
  const done = trials.flatMap((t) => (t.result ? [t.trial] : []));
  const ranked = results.filter((r) => r.objective !== null);
  const best = ranked.reduce<TrialResult | undefined>(
    (b, r) =>
      b === undefined ||
      (plan.objective.goal === "max"
        ? (r.objective as number) > (b.objective as number)
        : (r.objective as number) < (b.objective as number))
        ? r
        : b,
    undefined,
  );
  const headline = best
    ? `best: ${describeTrial(best)}, ${plan.objective.metric} ${fmt(best.objective)}`
    : "no trial has finished";
  const figures: ReportFigure[] = [];
  const tables: ReportTable[] = [];
  const points = axisPoints(plan, results);
  if (points.length > 0) {
    figures.push({
      id: "metric-by-axis",
      heading: `${plan.objective.metric} against each axis`,
      caption: `Each trial's ${plan.kind === "fit" ? plan.objective.metric : `final ${plan.objective.metric}`}${plan.objective.metric === "loss" && plan.kind === "fit" ? ", the lowest its fit reached," : ""} (grey) at its value of each axis, and the mean ± one standard deviation over the trials sharing that value (the seeds and the other axes' values).`,
      figure: metricByAxis(points, {
        title: `${plan.objective.metric} by axis`,
        metricTitle: plan.objective.metric,
      }),
    });
  }
  const fit = plan.kind === "fit";
  figures.push(...(fit ? fitFigures(dir, plan, done, results) : curveFigures(dir, plan, done)));
  if (results.length > 0) tables.push(resultsTable(plan, results), bestTable(plan, results));
  const comparison = fit ? undefined : compareNetworks(dir, plan, done, options);
  if (comparison) {
    const n = networkFigures(comparison);
    figures.push(...n.figures);
    tables.push(...n.tables);
  }
  const path = sweepPaths(dir).report;
  await writeReportFile(path, {
    title: `braints sweep report: ${dir}`,
    summary: [
      [
        "trials",
        `${plan.trials.length}: ${counts.done} done, ${counts.running} running, ${counts.pending} pending, ${counts.failed} failed`,
      ],
      ["kind", plan.kind],
      ["axes", plan.axes.map((a) => `${a.path} ${JSON.stringify(a.spec)}`).join("; ") || "none"],
      ["seeds", plan.seeds ? `${plan.seeds.join(", ")} (${plan.seedKey})` : "the base config's"],
      ["search", plan.search === "grid" ? "grid" : `random, ${plan.search.random} configurations`],
      [
        "objective",
        `${plan.objective.metric} (${plan.objective.goal})${plan.earlyStopping ? `, successive halving from epoch ${plan.earlyStopping.minEpochs} by ${plan.earlyStopping.reduction}` : ""}`,
      ],
      ["best", headline],
      ...(fit
        ? [
            [
              "networks compared",
              "none: the trials are fits of neural-mass parameters, with no trained network's hidden states to compare (representational similarity and fixed points are for sweeps of recurrent networks)",
            ] as const,
          ]
        : []),
    ],
    figures,
    tables,
  });
  return { path, headline };
}
