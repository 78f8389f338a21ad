import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TINY, braints } from "./braints.ts";
import { reportInChromium } from "./chromium.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-cli-e2e-"));
const run = join(dir, "run");
const CHROMIUM = "/usr/bin/chromium";

/** The header of a safetensors file, read as Python's `safetensors` reads it. */
function safetensorsHeader(
  file: string,
): Record<string, { dtype?: string; shape?: number[] } | Record<string, string>> {
  const bytes = readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString("utf8")) as Record<string, never>;
}

describe("braints end to end", () => {
  beforeAll(async () => {
    const result = await braints(["train", ...TINY, "--out", run]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /epoch 2\/2 {2}step 10\/10 {2}loss \d\.\d{4} {2}held-out accuracy \d\.\d{3}/,
    );
    expect(result.stdout).toMatch(/report: .*report\.html/);
  });

  it("train writes the resolved config, the metrics, checkpoints, the model and the report", () => {
    const config = JSON.parse(readFileSync(join(run, "config.json"), "utf8")) as {
      model: { hidden: number };
      training: { epochs: number; lr: number };
    };
    expect(config.model.hidden).toBe(8);
    expect(config.training).toMatchObject({ epochs: 2, lr: 0.01 });
    const lines = readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([5, 10]);
    for (const file of [
      "checkpoints/epoch-0001.safetensors",
      "checkpoints/epoch-0002.safetensors",
      "model.safetensors",
    ]) {
      expect(existsSync(join(run, file))).toBe(true);
    }
    for (const file of ["report.html", "eval.json", "analysis.json"])
      expect(existsSync(join(run, file))).toBe(true);
  });

  it("checkpoints are in the safetensors layout with our metadata", () => {
    const header = safetensorsHeader(join(run, "checkpoints", "epoch-0002.safetensors"));
    expect(header["params.cell.wRec"]).toMatchObject({ dtype: "F32", shape: [8, 8] });
    expect(header["optimizer.m.cell.wRec"]).toMatchObject({ dtype: "F32", shape: [64] });
    const meta = header["__metadata__"] as Record<string, string>;
    expect(meta["braints.format"]).toBe("1");
    expect(meta["braints.step"]).toBe("10");
    expect(JSON.parse(meta["braints.model"] ?? "{}")).toMatchObject({ name: "sequenceModel" });
    expect(meta["braints.rng"]).toBeDefined();
  });

  it("eval scores held-out trials per condition, on the run's task or another timing", async () => {
    const own = await braints(["eval", run, "--trials", "300"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/PerceptualDecisionMaking: held-out accuracy \d\.\d{4} over 300 trials/);
    expect(own.stdout).toMatch(/by coh:\n {2}0 /);
    expect(own.stdout).toMatch(/psychometric logistic fit: mu/);
    const other = await braints([
      "eval",
      run,
      "--trials",
      "100",
      "--task-options",
      '{"dtMs":20,"timing":{"stimulus":500}}',
    ]);
    expect(other.code).toBe(0);
    expect(existsSync(join(run, "eval-PerceptualDecisionMaking.json"))).toBe(true);
    const wrong = await braints(["eval", run, "--task", "DelayComparison"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/must have the network's 3 input channels and 3 actions, got 2 and 3/);
  });

  it("analyze reports the PCA and the fixed points", async () => {
    const result = await braints(["analyze", run, "--trials", "16", "--starts", "16"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PCA of 16 trials: explained variance \d+\.\d%, /);
    expect(result.stdout).toMatch(/fixed points/);
  });

  it("tasks lists every task with a line, and tasks show draws one trial", async () => {
    const list = await braints(["tasks"]);
    expect(list.stdout).toMatch(/^PerceptualDecisionMaking +Integrate a noisy motion stimulus/m);
    expect(list.stdout).toMatch(/^DawTwoStep .*not trainable/m);
    const svg = join(dir, "gonogo.svg");
    const show = await braints(["tasks", "show", "GoNogo", "--out", svg]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/stimulus +steps \d+-\d+/);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg/);
    const unknown = await braints(["tasks", "show", "Nope"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown task 'Nope'; known tasks are PerceptualDecisionMaking/);
  });

  it.skipIf(!existsSync(CHROMIUM) && process.env["CI"] === undefined)(
    "the report renders every figure in headless Chromium",
    async () => {
      const again = await braints(["report", run]);
      expect(again.code).toBe(0);
      const page = await reportInChromium(CHROMIUM, join(run, "report.html"), join(dir, "report.png"));
      expect(page.figures.map((f) => f.id)).toEqual([
        "training",
        "trial-1",
        "trial-2",
        "psychometric",
        "pca",
      ]);
      for (const f of page.figures) {
        expect(f.title).not.toBe("");
        expect(f.marks, f.id).toBeGreaterThan(0);
        expect(f.width, f.id).toBeGreaterThan(100);
        expect(f.height, f.id).toBeGreaterThan(100);
      }
      expect(page.figures.find((f) => f.id === "pca")?.title).toBe("PCA of hidden-state trajectories");
      expect(page.screenshotBytes).toBeGreaterThan(50_000);
      expect(page.inkFraction).toBeGreaterThan(0.01);
    },
  );
});
