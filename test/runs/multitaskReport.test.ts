/** The report of a multitask run: task-variance map sorted by cluster, and the lesion table. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import { reportRun } from "../../src/app/runs/results.ts";
import { startRun } from "../../src/app/runs/train.ts";
import type { PopulationAnalysis } from "../../src/app/runs/population.ts";
import { dataMarks, markFills } from "../plot/svg.ts";

const names = ["yang19.go", "yang19.dm1", "yang19.dms"];

/** The inline SVG of the report's figure section `id`. */
function sectionSvg(html: string, id: string): string {
  const m = html.match(new RegExp(`<section class="figure" id="${id}">.*?(<svg.*?</svg>)`, "s"));
  if (!m) throw new Error(`no figure section ${id}`);
  return m[1] as string;
}

/** The cells of the report table whose caption starts with `caption`: header row first. */
function tableCells(html: string, caption: string): string[][] {
  const tables = [...html.matchAll(/<table><caption>(.*?)<\/caption>(.*?)<\/table>/gs)];
  const t = tables.find((m) => (m[1] as string).startsWith(caption));
  if (!t) throw new Error(`no table "${caption}"`);
  return [...(t[2] as string).matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) =>
    [...(r[1] as string).matchAll(/<t[hd]>(.*?)<\/t[hd]>/gs)].map((c) => c[1] as string),
  );
}

describe("the report of a multitask run", () => {
  it("shows every active unit's task variance sorted by cluster, and each cluster's lesion cost per task", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "braints-multitask-report-")), "run");
    const config = parseRunConfig({
      task: { name: names.join(",") },
      model: { type: "leakyRNN", hidden: 16 },
      training: { epochs: 1, stepsPerEpoch: 20, batchSize: 8 },
      evaluation: { trials: 24 },
    });
    const { run } = startRun(dir, config);
    const { path } = await reportRun(run);
    const html = readFileSync(path, "utf8");
    const pop = JSON.parse(readFileSync(run.path("population.json"), "utf8")) as PopulationAnalysis;
    const tasks = pop.tasks!;
    const n = tasks.active.length;
    expect(n).toBeGreaterThan(tasks.k);

    // The map: one cell per active unit and task, and a band of one cell per unit above it whose
    // colours are the clusters (one colour per cluster).
    const svg = sectionSvg(html, "task-variance");
    const rects = dataMarks(svg, "rect");
    expect(rects.map((g) => g.items).sort((a, b) => a - b)).toEqual([n, n * names.length]);
    expect(markFills(svg, "concat_0_marks").size).toBe(tasks.k);

    // The lesion table: a row per task, its intact performance and a column per cluster.
    const [header, ...rows] = tableCells(html, "Performance drop");
    expect(header).toEqual([
      "task",
      "intact",
      ...Array.from({ length: tasks.k }, (_, c) => `cluster ${c + 1} (${tasks.labels.filter((l) => l === c).length} units)`),
    ]);
    expect(rows.map((r) => r[0])).toEqual(names);
    rows.forEach((r, k) => {
      expect(r[1]).toBe(`${(100 * tasks.baseline[k]!).toFixed(1)}%`);
      expect(r.slice(2).map(Number)).toEqual(tasks.lesionDrop!.map((d) => Number((100 * d[k]!).toFixed(1))));
    });
  }, 120_000);
});
