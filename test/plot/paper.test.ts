/**
 * Figures fit for a paper: each defect a new user found in the report is pinned by a check of the
 * rendered elements (paths, marks, axis labels), not of strings in the spec.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/index.ts";
import {
  activityHeatmap,
  attractorPlot,
  forecastPlot,
  lossCurve,
  renderSVG,
  trialPlot,
} from "../../src/plot/index.ts";
import { columnNames, createTask } from "../../src/tasks/index.ts";
import { leakyRNNModel } from "../../src/models/index.ts";
import { exampleTrials, stateSpaceFigure } from "../../src/recipes.ts";
import { countItems, dataMarks } from "./svg.ts";

/** The `d` attributes of the paths in the data-mark groups of a type. */
function paths(svg: string, classPart: string): string[] {
  const group = new RegExp(`<g class="mark-line role-mark ${classPart}"[^>]*>(.*?)</g>`, "gs");
  return [...svg.matchAll(group)].flatMap((m) =>
    [...(m[1] as string).matchAll(/ d="([^"]+)"/g)].map((d) => d[1] as string),
  );
}

/** The points of an SVG path made of M/L commands. */
function points(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.e]+)[, ](-?[\d.e]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Tick labels of each axis, in document order. */
function axisLabels(svg: string): string[][] {
  return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].map((m) =>
    [...(m[1] as string).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1] as string),
  );
}

const T = 10;
const dtMs = 100;
const step = (from: number) => Array.from({ length: T }, (_, t) => [1, t >= from ? 1 : 0]);

describe("trial figures", () => {
  it("draws step-wise signals as steps: every segment is horizontal or vertical, the rise at the step's start", async () => {
    const svg = await renderSVG(trialPlot({ inputs: step(3), targets: Array(T).fill(0), dtMs }));
    const lines = paths(svg, "concat_0_layer_0_marks").map(points);
    expect(lines).toHaveLength(2);
    for (const line of lines)
      for (let i = 1; i < line.length; i++) {
        const [[x0, y0], [x1, y1]] = [line[i - 1] as [number, number], line[i] as [number, number]];
        expect(x0 === x1 || y0 === y1).toBe(true);
      }
    // The second channel rises where x = 300 ms: 300 / 1000 of the panel's width.
    const rising = lines[1] as [number, number][];
    const rise = rising.findIndex(([, y], i) => i > 0 && y !== (rising[i - 1] as [number, number])[1]);
    expect((rising[rise] as [number, number])[0]).toBeCloseTo(0.3 * 480, 3);
  });

  it("names every period in a strip above the panels and shades every other one", async () => {
    const periods = [
      { name: "fixation", startMs: 0, endMs: 300 },
      { name: "sample", startMs: 300, endMs: 600 },
      { name: "delay", startMs: 600, endMs: 1000 },
    ];
    const svg = await renderSVG(
      trialPlot({ inputs: step(3), targets: Array(T).fill(0), mask: Array(T).fill(1), periods, dtMs }),
    );
    const texts = dataMarks(svg, "text");
    expect(texts.reduce((n, g) => n + g.items, 0)).toBe(3);
    // The strip's three boxes, then one band (the sample) in each of the inputs, target and mask panels.
    expect(countItems(svg, "rect")).toBe(3 + 3);
    expect(countItems(svg, "area")).toBe(1);
  });

  it("draws 33 input channels as a time × channel grid with a colour bar, not 33 lines and a cut legend", async () => {
    const task = createTask("AntiReach");
    const trial = task.sampleTrial(Rng.fromSeed(0));
    const n = trial.info.nSteps;
    const svg = await renderSVG(
      trialPlot({
        inputs: Array.from({ length: n }, (_, t) =>
          Array.from(trial.ob.subarray(t * task.obDim, (t + 1) * task.obDim)),
        ),
        targets: trial.gt,
        dtMs: task.dtMs,
        channelNames: task.obColumnNames,
      }),
    );
    expect(task.obDim).toBe(33);
    expect(countItems(svg, "rect")).toBe(33 * n);
    expect(dataMarks(svg, "line")).toHaveLength(1); // the target only
    expect(svg).not.toContain("role-legend-symbol");
  });

  it("numbers multi-column channels and actions from 1, as the psychometric axis names them", () => {
    expect(columnNames({ fixation: 0, choice: [1, 2] }, 3)).toEqual(["fixation", "choice 1", "choice 2"]);
  });
});

describe("training curves", () => {
  it("give the loss and the accuracy panels the same steps on their x axes", async () => {
    const history = Array.from({ length: 300 }, (_, s) => ({
      step: s + 1,
      loss: 1 / (s + 1),
      ...((s + 1) % 100 === 0 ? { metric: (s + 1) / 400 } : {}),
    }));
    const svg = await renderSVG(
      lossCurve(history, { metricDomain: [0, 1], bar: { value: 0.86, label: "bar 0.86" } }),
    );
    const labels = axisLabels(svg);
    const xAxes = labels.filter((l) => l.includes("300"));
    expect(xAxes).toHaveLength(2);
    expect(xAxes[0]).toEqual(xAxes[1]);
    expect(countItems(svg, "rule")).toBe(1);
  });
});

describe("forecasts", () => {
  it("draw the truth first, wider, so the prediction on top leaves it visible", async () => {
    const truth = Array.from({ length: 50 }, (_, t) => [Math.sin(t / 5)]);
    const svg = await renderSVG(forecastPlot(truth, truth, 0.1, ["x"]));
    const widths = [
      ...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*><path[^>]*stroke-width="([\d.]+)"/g),
    ].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeGreaterThan(2 * (widths[1] as number));
  });
});

describe("attractors", () => {
  it("draw the true path under the predicted one in the plane of two dimensions", async () => {
    const truth = Array.from({ length: 80 }, (_, t) => [Math.sin(t / 5), 0, Math.cos(t / 5)]);
    const prediction = truth.map(([x, y, z]) => [(x as number) * 1.1, y as number, z as number]);
    const svg = await renderSVG(attractorPlot(truth, prediction, ["x", "y", "z"]));
    const widths = [
      ...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*><path[^>]*stroke-width="([\d.]+)"/g),
    ].map((m) => Number(m[1]));
    expect(widths).toEqual([3, 1]);
  });
});

describe("population figures", () => {
  it("activityHeatmap draws one cell per unit and step, keeping the most variable units", async () => {
    const activity = Array.from({ length: 20 }, (_, t) =>
      Array.from({ length: 100 }, (_, j) => (j < 10 ? Math.sin(t + j) : 0)),
    );
    const svg = await renderSVG(activityHeatmap(activity, 20, { maxUnits: 10 }));
    expect(countItems(svg, "rect")).toBe(20 * 10);
  });

  it("example trials of a two-choice task show both choices", () => {
    const task = createTask("PerceptualDecisionMaking", { dtMs: 100 });
    const model = leakyRNNModel({ nIn: task.obDim, nHidden: 8, nOut: task.nActions, tauMs: 100, dtMs: 100 });
    const trials = exampleTrials(model, model.init(Rng.fromSeed(0)), task, 2, 0);
    expect(new Set(trials.map((t) => t.target))).toEqual(new Set([1, 2]));
  });

  it("says 'the fixed point' for one and counts more, and at which input", () => {
    const dyn = { explainedVarianceRatio: [0.5, 0.3], trajectories: [[[0, 0]], [[1, 1]]], choices: [1, 2] };
    const point = {
      coords: [0, 0],
      q: 0,
      stability: "stable",
      unstableModes: 0,
      marginalModes: 0,
      eigenvalues: [],
    };
    const input = { label: "the stimulus period's mean input", values: [1, 0.5, 0.5] };
    const one = stateSpaceFigure({ ...dyn, fixedPoints: { input, starts: 4, points: [point] } }, [
      "f",
      "a",
      "b",
    ]);
    const two = stateSpaceFigure({ ...dyn, fixedPoints: { input, starts: 4, points: [point, point] } }, [
      "f",
      "a",
      "b",
    ]);
    expect(one.caption).toContain("the fixed point of the network held at the stimulus period's mean input,");
    expect(two.caption).toContain("the 2 fixed points of");
  });
});
