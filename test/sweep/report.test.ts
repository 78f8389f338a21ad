/**
 * The sweep report: written at the end of `braints sweep`, with the expected marks in each figure,
 * and a cross-network similarity that is 1 between two networks trained identically.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareNetworks, readSweepPlan } from "../../src/app/sweep/index.ts";
import { braints } from "../cli/braints.ts";
import { countItems, dataMarks } from "../plot/svg.ts";
import { figure } from "./pages.ts";

const root = mkdtempSync(join(tmpdir(), "braints-sweep-report-"));

describe("the sweep report", () => {
  it("shows the objective by axis, overlaid curves, the similarity matrix, fixed points and a sortable table", async () => {
    const file = join(root, "report.yaml");
    // Trials 0 and 2 are the same config and seed (the axis repeats its value), as are 1 and 3.
    writeFileSync(
      file,
      [
        "base:",
        "  model: { hidden: 8 }",
        "  training: { epochs: 3, stepsPerEpoch: 5 }",
        "  evaluation: { trials: 32 }",
        "axes:",
        "  model.tauMs: [100, 100]",
        "seeds: 2",
      ].join("\n"),
    );
    const dir = join(root, "report");
    const r = await braints(["sweep", file, "--out", dir, "--workers", "2"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/best: trial \d \(model\.tauMs = 100, seed [01]\), accuracy [\d.]+\nreport: /);
    const html = readFileSync(join(dir, "report.html"), "utf8");

    // One axis with one value: 4 trial points and the mean's point.
    expect(countItems(figure(html, "metric-by-axis"), "symbol")).toBe(4 + 1);
    // One line per trial in each curve figure.
    expect(dataMarks(figure(html, "objective-curves"), "line")).toHaveLength(4);
    expect(dataMarks(figure(html, "loss-curves"), "line")).toHaveLength(4);
    // A 4 × 4 matrix.
    expect(countItems(figure(html, "similarity"), "rect")).toBe(16);
    expect(html).toContain("Rows and columns: 0 → trial 0, 1 → trial 1, 2 → trial 2, 3 → trial 3.");
    expect(html).toContain('<table class="sortable"><caption>Every finished trial');
    expect(html).toContain("<script>");
    const rows = /<caption>Every finished trial.*?<tbody>(.*?)<\/tbody>/s.exec(html)?.[1]?.match(/<tr>/g);
    expect(rows).toHaveLength(4);

    const comparison = compareNetworks(dir, readSweepPlan(dir), readSweepPlan(dir).trials);
    const s = comparison?.similarity as number[][];
    expect(comparison?.indices).toEqual([0, 1, 2, 3]);
    expect(s[0]?.[2]).toBeCloseTo(1, 9);
    expect(s[1]?.[3]).toBeCloseTo(1, 9);
    expect(s[0]?.[1]).toBeLessThan(0.999);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(s[i]?.[j]).toBeCloseTo(s[j]?.[i] as number, 12);
    // Identical networks have identical fixed points.
    const fp = comparison?.fixedPoints ?? [];
    expect(fp).toHaveLength(4);
    expect(fp[0]?.counts).toEqual(fp[2]?.counts);
    const total = fp.reduce((n, f) => n + Object.values(f.counts).reduce((a, b) => a + b, 0), 0);
    if (total > 0) expect(countItems(figure(html, "fixed-points"), "rect")).toBeGreaterThan(0);
  }, 600_000);
});
