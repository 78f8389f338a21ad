import { describe, expect, it } from "vitest";
import { Rng, randomNormal, tensor } from "../../src/core/index.ts";
import {
  type Figure,
  axisTrajectories,
  forecastPlot,
  fixedPointCounts,
  heatmap,
  lossCurve,
  metricByAxis,
  overlaidCurves,
  pcaTrajectories,
  psychometricPlot,
  raster,
  renderSVG,
  taskCurves,
  taskVarianceMap,
  trialPlot,
  voltageTraces,
} from "../../src/plot/index.ts";
import { choiceFractions, fitPsychometric } from "../../src/analysis/index.ts";
import { countItems, dataMarks, markFills, titles } from "./svg.ts";

const rng = Rng.fromSeed(7);
const history = Array.from({ length: 50 }, (_, step) => ({
  step,
  loss: Math.exp(-step / 10),
  ...(step % 10 === 9 ? { metric: step / 50 } : {}),
}));
const spikes = Array.from({ length: 40 }, (_, t) =>
  Array.from({ length: 5 }, (_, n) => ((t + n) % 7 === 0 ? 1 : 0)),
);
const spikeCount = spikes.flat().filter((s) => s === 1).length;
const voltage = spikes.map((row, t) => row.map((_, n) => Math.sin(t / 5 + n)));
const sine = (t: number, d: number) => Math.sin(0.1 * t + d);
const truth = Array.from({ length: 100 }, (_, t) => [0, 1, 2].map((d) => sine(t, d)));
const forecast = truth.map((row) => row.map((v) => v + 0.05));

interface Row {
  readonly name: string;
  readonly figure: () => Figure;
  readonly title: string;
  /** Expected number of drawn items per Vega mark type (data marks only). */
  readonly marks: Readonly<Record<string, number>>;
}

const table: Row[] = [
  {
    name: "lossCurve draws one loss line",
    figure: () => lossCurve(history.map(({ step, loss }) => ({ step, loss }))),
    title: "Training loss",
    marks: { line: 1, symbol: 0 },
  },
  {
    name: "lossCurve adds a metric panel with a point per evaluation",
    figure: () => lossCurve(history, { title: "S3 training", metricTitle: "accuracy" }),
    title: "S3 training",
    marks: { line: 2, symbol: 5 },
  },
  {
    name: "taskCurves draws one panel per task, each with its points and the bar",
    figure: () =>
      taskCurves(
        ["go", "anti", "dm1"].flatMap((task, i) =>
          [100, 200, 300, 400].map((step) => ({ task, step, value: (step / 400) * (1 - i / 10) })),
        ),
        { title: "Three tasks", bar: 0.75 },
      ),
    title: "Three tasks",
    marks: { line: 3, symbol: 12, rule: 3 },
  },
  {
    name: "trialPlot stacks inputs, target and outputs",
    figure: () =>
      trialPlot({
        inputs: randomNormal(rng, [30, 3]),
        targets: Array.from({ length: 30 }, (_, t) => (t < 20 ? 0 : 1)),
        outputs: randomNormal(rng, [30, 3]),
        dtMs: 20,
        channelNames: ["fixation", "left", "right"],
      }),
    title: "Trial",
    marks: { line: 7 },
  },
  {
    name: "psychometricPlot draws points, error bars and the fitted curve",
    figure: () =>
      psychometricPlot(
        [-3, -2, -1, 0, 1, 2, 3].map((x) => ({ x, p: 1 / (1 + Math.exp(-x)), se: 0.05 })),
        Array.from({ length: 61 }, (_, i) => ({ x: i / 10 - 3, p: 1 / (1 + Math.exp(3 - i / 10)) })),
        { xTitle: "coherence (%)" },
      ),
    title: "Psychometric curve",
    marks: { line: 1, symbol: 7, rule: 7 },
  },
  {
    name: "psychometricPlot takes choice fractions and a fitted curve from the analysis",
    figure: () => {
      const x = [-2, -1, 0, 1, 2].flatMap((v) => [v, v, v, v]);
      const choice = x.map((v, i) => v + (i % 4) / 2 > 0.5);
      const fit = fitPsychometric(x, choice);
      return psychometricPlot(choiceFractions(x, choice), fit.curve([-2, 0, 2]));
    },
    title: "Psychometric curve",
    marks: { line: 1, symbol: 5, rule: 5 },
  },
  {
    name: "pcaTrajectories draws a line and a start per trial, and the fixed points",
    figure: () =>
      pcaTrajectories(randomNormal(rng, [4, 20, 2]), {
        labels: ["left", "right", "left", "right"],
        fixedPoints: [
          { coords: [0, 0], stability: "saddle" },
          { coords: [1, 1], stability: "stable" },
        ],
        explainedVarianceRatio: [0.6, 0.3],
      }),
    title: "State-space trajectories",
    marks: { line: 4, symbol: 6 },
  },
  {
    name: "pcaTrajectories shows three pairwise projections for three components",
    figure: () =>
      pcaTrajectories(randomNormal(rng, [4, 20, 3]), {
        fixedPoints: [{ coords: [0, 0, 0], stability: "stable" }],
      }),
    title: "State-space trajectories",
    marks: { line: 12, symbol: 15 },
  },
  {
    name: "raster draws one tick per spike",
    figure: () => raster(spikes, 0.1),
    title: "Spike raster",
    marks: { rect: spikeCount },
  },
  {
    name: "voltageTraces draws a row per neuron: its line, the threshold and a dot per spike",
    figure: () => voltageTraces(voltage, 0.1, { threshold: 1, spikes }),
    title: "Membrane potential",
    marks: { line: 5, rule: 5, symbol: spikeCount },
  },
  {
    name: "forecastPlot draws truth and prediction per dimension",
    figure: () => forecastPlot(truth, forecast, 0.01, ["x", "y", "z"], { title: "Lorenz forecast" }),
    title: "Lorenz forecast",
    marks: { line: 6 },
  },
  {
    name: "heatmap draws one cell per entry",
    figure: () =>
      heatmap(
        tensor(
          Array.from({ length: 35 }, (_, i) => i - 17),
          [5, 7],
        ),
        { title: "W" },
      ),
    title: "W",
    marks: { rect: 35 },
  },
  {
    name: "heatmap averages large matrices over blocks",
    figure: () => heatmap(randomNormal(rng, [40, 40]), { title: "W", maxSide: 16 }),
    title: "W (means over 3×3 blocks)",
    marks: { rect: 14 * 14 },
  },
  {
    name: "metricByAxis draws every trial, the mean per value and its error bar, one panel per axis",
    figure: () =>
      metricByAxis(
        ["lr", "tau"].flatMap((axis) =>
          [0, 1, 2, 3, 4, 5].map((k) => ({
            axis,
            value: String(k % 3),
            order: k % 3,
            metric: 0.5 + 0.1 * k,
          })),
        ),
        { title: "accuracy by axis" },
      ),
    title: "accuracy by axis",
    // Per panel: 6 trial points and 3 mean points; 3 error bars; one line of means.
    marks: { symbol: 2 * (6 + 3), rule: 2 * 3, line: 2 },
  },
  {
    name: "overlaidCurves draws one line per run",
    figure: () =>
      overlaidCurves(
        ["a", "b", "c", "d", "e"].flatMap((run, i) =>
          [1, 2, 3].map((x) => ({ run, group: i < 2 ? "lr 0.01" : "lr 0.1", x, y: i + x })),
        ),
        { title: "Curves of five runs" },
      ),
    title: "Curves of five runs",
    marks: { line: 5, symbol: 15 },
  },
  {
    name: "fixedPointCounts stacks one bar segment per network and stability",
    figure: () =>
      fixedPointCounts(
        [
          { network: "0", order: 0, stability: "stable", count: 2 },
          { network: "0", order: 0, stability: "saddle", count: 1 },
          { network: "1", order: 1, stability: "stable", count: 1 },
        ],
        { title: "Fixed points" },
      ),
    title: "Fixed points",
    marks: { rect: 3 },
  },
  {
    name: "axisTrajectories draws one line per condition",
    figure: () =>
      axisTrajectories(
        [0, 1].flatMap((c) =>
          [6.4, 51.2].map((strength) => ({
            label: `choice ${c + 1}`,
            strength,
            values: Array.from({ length: 20 }, (_, t) => (c - 0.5) * strength * t),
          })),
        ),
        { dtMs: 100 },
      ),
    title: "Condition-averaged trajectories on the choice axis",
    marks: { line: 4 },
  },
  {
    name: "taskVarianceMap draws the units in the given order against the tasks",
    figure: () =>
      taskVarianceMap(
        tensor(
          Array.from({ length: 24 }, (_, i) => (i % 5) / 4),
          [6, 4],
        ),
        [5, 0, 2, 1],
      ),
    title: "Normalised task variance",
    marks: { rect: 16 },
  },
];

describe("figures render to SVG with the expected marks", () => {
  it.each(table)("$name", async ({ figure, title, marks }) => {
    const svg = await renderSVG(figure());
    expect(svg.startsWith("<svg")).toBe(true);
    expect(titles(svg)).toContain(title);
    for (const [type, n] of Object.entries(marks))
      expect({ type, n: countItems(svg, type) }).toEqual({ type, n });
  });
});

describe("taskVarianceMap", () => {
  const m = [
    [0, 1],
    [1, 0],
    [0.5, 0.5],
  ];

  it("puts column p of the map at unit order[p], one row per task, every cell drawn", () => {
    const spec = taskVarianceMap(m, [2, 0], { tasks: ["go", "anti"] }) as {
      data: { values: { position: number; unit: number; task: string; value: number }[] };
    };
    expect(spec.data.values).toEqual([
      { position: 0, unit: 2, task: "go", value: 0.5 },
      { position: 0, unit: 2, task: "anti", value: 0.5 },
      { position: 1, unit: 0, task: "go", value: 0 },
      { position: 1, unit: 0, task: "anti", value: 1 },
    ]);
    expect(() => taskVarianceMap(m, [3])).toThrow(/order must hold unit indices in \[0, 3\), got 3/);
    expect(() => taskVarianceMap(m, [0], { tasks: ["go"] })).toThrow(
      /tasks must name the 2 columns, got 1 names/,
    );
    expect(() => taskVarianceMap(m, [0, 1], { clusters: [0] })).toThrow(
      /clusters must give one label per unit of order \(2\), got 1/,
    );
  });

  it("draws a band of one cell per unit above the map, one colour per cluster", async () => {
    const units = Array.from({ length: 40 }, (_, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0.2, 0.5]);
    const order = Array.from({ length: 40 }, (_, i) => i).sort((a, b) => (a % 3) - (b % 3));
    const svg = await renderSVG(
      taskVarianceMap(units, order, { tasks: ["a", "b", "c"], clusters: order.map((i) => i % 3) }),
    );
    const groups = dataMarks(svg, "rect");
    expect(groups.map((g) => g.items)).toEqual([40, 120]);
    expect(markFills(svg, "concat_0_marks").size).toBe(3);
  });
});
