import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FORECAST, SPIKING, TINY, braints, metricLines } from "./braints.ts";
import { CHROMIUM } from "../browser.ts";
import { reportInChromium } from "./chromium.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-cli-e2e-"));
const run = join(dir, "run");
const spiking = join(dir, "spiking");
const forecast = join(dir, "forecast");

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
    const [result, spikingResult, forecastResult] = await Promise.all([
      braints(["train", ...TINY, "--out", run]),
      braints(["train", ...SPIKING, "--out", spiking]),
      braints(["train", ...FORECAST, "--out", forecast]),
    ]);
    for (const r of [result, spikingResult, forecastResult]) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/report: .*report\.html/);
    }
    // The last progress line and the summary show the same numbers.
    const last = /epoch 2\/2 {2}step 10\/10 {2}loss (\d\.\d{4}) {2}held-out accuracy (\d\.\d{3})/.exec(
      result.stdout,
    );
    expect(last, result.stdout).not.toBeNull();
    expect(result.stdout).toContain(
      `trained 10 steps in ${run}: loss ${last?.[1]}, held-out accuracy ${last?.[2]}`,
    );
    expect(spikingResult.stdout).toMatch(
      /epoch 3\/3 {2}step 30\/30 {2}loss \d\.\d{4} {2}training accuracy \d\.\d{3} {2}held-out accuracy \d\.\d{3}/,
    );
    expect(forecastResult.stdout).toMatch(/solved the ridge readouts in .*: .*1-step test MSE \d\.\d+e-\d+/);
  }, 120_000);

  it("train writes the resolved config, the metrics, checkpoints, the model and the report", () => {
    const config = JSON.parse(readFileSync(join(run, "config.json"), "utf8")) as {
      model: { hidden: number };
      training: { epochs: number; lr: number };
    };
    expect(config.model.hidden).toBe(8);
    expect(config.training).toMatchObject({ epochs: 2, lr: 0.01 });
    const lines = readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([5, 10]);
    // Epochs count from 1, as on screen ("epoch 2/2") and in the checkpoint names.
    expect(lines.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2]);
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
    // Options merge into the run's: its dtMs 20 and stimulus 1000 stay, so these are the same trials.
    const same = await braints([
      "eval",
      run,
      "--trials",
      "300",
      "--task-options",
      '{"timing":{"stimulus":1000}}',
    ]);
    expect(same.code).toBe(0);
    const accuracy = (out: string) => /held-out accuracy (\d\.\d{4})/.exec(out)?.[1];
    expect(accuracy(same.stdout)).toBe(accuracy(own.stdout));
    const other = await braints([
      "eval",
      run,
      "--trials",
      "100",
      "--task-options",
      '{"timing":{"stimulus":500}}',
    ]);
    expect(other.code).toBe(0);
    // Every evaluation writes a file of its own (the report wrote eval.json) and says where.
    const written = [own, same, other].map((r) => /^wrote (.*)$/m.exec(r.stdout)?.[1]);
    expect(written).toEqual(["eval-2.json", "eval-3.json", "eval-4.json"].map((f) => join(run, f)));
    const spec = (JSON.parse(readFileSync(join(run, "eval-4.json"), "utf8")) as { taskSpec: unknown })
      .taskSpec;
    expect(spec).toEqual({
      name: "PerceptualDecisionMaking",
      options: { dtMs: 20, timing: { stimulus: 500 } },
    });
    // Another step than the network was trained at is refused.
    const dt = await braints(["eval", run, "--task-options", '{"dtMs":100}']);
    expect(dt.code).not.toBe(0);
    expect(dt.stderr).toMatch(/--task-options dtMs must be the 20 ms .* was trained at, got 100/);
    const wrong = await braints(["eval", run, "--task", "DelayComparison"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/must have the network's 3 input channels and 3 actions, got 2 and 3/);
  });

  it("analyze reports the PCA and the fixed points", async () => {
    const result = await braints(["analyze", run, "--trials", "16", "--starts", "16"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PCA of 16 trials: explained variance \d+\.\d%, /);
    expect(result.stdout).toMatch(/fixed points \(at zero input, 16 starts\): \d+/);
    expect(result.stdout).toMatch(/wrote .*population\.json/);
    expect(existsSync(join(run, "population.json"))).toBe(true);
    const atStimulus = await braints([
      "analyze",
      run,
      "--trials",
      "16",
      "--starts",
      "16",
      "--input",
      "stimulus",
    ]);
    expect(atStimulus.stdout).toMatch(/fixed points \(at the stimulus period's mean input, 16 starts\): \d+/);
  });

  it("train --kind spiking checkpoints every epoch, learns (the loss drops) and reports chance on fresh trains", () => {
    const config = JSON.parse(readFileSync(join(spiking, "config.json"), "utf8")) as Record<string, unknown>;
    expect(config).toMatchObject({
      kind: "spiking",
      data: { samples: 16, steps: 300 },
      model: { hidden: 10 },
    });
    const lines = metricLines(spiking);
    expect(lines.map((l) => l.step)).toEqual([10, 20, 30]);
    const first = lines[0]?.losses[0] as number;
    expect(lines.at(-1)?.trainLoss).toBeLessThan(first - 0.05);
    expect(lines.at(-1)?.metrics["trainAccuracy"]).toBeGreaterThan(0.7);
    // Labels are random, so fresh trains are scored at chance: a fraction of the 16 samples near 0.5.
    const heldOut = lines.at(-1)?.metrics["heldOutAccuracy"] as number;
    expect(Number.isInteger(heldOut * 16)).toBe(true);
    expect(heldOut).toBeGreaterThanOrEqual(0.25);
    expect(heldOut).toBeLessThanOrEqual(0.75);
    const header = safetensorsHeader(join(spiking, "checkpoints", "epoch-0003.safetensors"));
    expect(header["params.i2r.w"]).toMatchObject({ dtype: "F32", shape: [50, 10] });
    expect(
      JSON.parse((header["__metadata__"] as Record<string, string>)["braints.model"] ?? "{}"),
    ).toMatchObject({
      name: "spikingClassifier",
    });
    const evaluation = JSON.parse(readFileSync(join(spiking, "eval.json"), "utf8")) as Record<string, number>;
    expect(evaluation).toMatchObject({ samples: 16, seed: 1_000_001 });
  });

  it("train --kind forecast solves one readout per horizon: one step ahead is almost exact, farther is worse", () => {
    const [line, ...rest] = metricLines(forecast);
    expect(rest).toEqual([]);
    const m = line?.metrics ?? {};
    // Lorenz coordinates vary by ~8 units; one step ahead must be off by ~1e-5 at most.
    expect(m["testMse1"]).toBeLessThan(1e-9);
    expect(m["testNrmse1"]).toBeLessThan(1e-4);
    expect(m["testMse10"]).toBeGreaterThan(m["testMse1"] as number);
    expect(m["testMse100"]).toBeGreaterThan(m["testMse10"] as number);
    const header = safetensorsHeader(join(forecast, "model.safetensors"));
    expect(header["params.h1.weights"]).toMatchObject({ dtype: "F64", shape: [91, 3] });
    expect(existsSync(join(forecast, "checkpoints", "epoch-0001.safetensors"))).toBe(false);
  });

  it("eval scores spiking and forecast runs their own way; analyze refuses them by name", async () => {
    const spikes = await braints(["eval", spiking, "--trials", "8", "--seed", "5"]);
    expect(spikes.code).toBe(0);
    expect(spikes.stdout).toMatch(
      /held-out accuracy \d\.\d{4} over 8 fresh spike trains \(seed 5; labels are random/,
    );
    const errors = await braints(["eval", forecast]);
    expect(errors.code).toBe(0);
    expect(errors.stdout).toMatch(/^1-step ahead: train MSE .*, test MSE \d\.\d{3}e-\d+, test NRMSE/m);
    const analyze = await braints(["analyze", spiking]);
    expect(analyze.code).not.toBe(0);
    expect(analyze.stderr).toMatch(
      /analyze \(PCA and fixed points of a recurrent network\) is for supervised runs; .* is a spiking run/,
    );
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
    const typo = await braints(["tasks", "show", "GoNgo"]);
    expect(typo.stderr).toMatch(/unknown task 'GoNgo'; .*\. Did you mean GoNogo\?/);
    const version = await braints(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(
      (
        JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
          version: string;
        }
      ).version,
    );
  });

  it.skipIf(!existsSync(CHROMIUM) && process.env["CI"] === undefined)(
    "every kind's report renders every figure in headless Chromium",
    async () => {
      const again = await braints(["report", run]);
      expect(again.code).toBe(0);
      const reports = [
        { dir: run, ids: ["training", "trial-1", "trial-2", "activity-1", "psychometric", "pca"] },
        { dir: spiking, ids: ["training", "raster", "membrane"] },
        { dir: forecast, ids: ["forecast-1step", "forecast-10step", "forecast-100step"] },
      ];
      const titles: Record<string, string> = {};
      for (const { dir: runDir, ids } of reports) {
        const page = await reportInChromium(
          CHROMIUM,
          join(runDir, "report.html"),
          join(runDir, "report.png"),
        );
        expect(page.figures.map((f) => f.id)).toEqual(ids);
        for (const f of page.figures) {
          expect(f.title).not.toBe("");
          expect(f.marks, f.id).toBeGreaterThan(0);
          expect(f.width, f.id).toBeGreaterThan(100);
          expect(f.height, f.id).toBeGreaterThan(100);
          titles[`${runDir === run ? "" : `${runDir.slice(dir.length + 1)}/`}${f.id}`] = f.title;
        }
        expect(page.screenshotBytes).toBeGreaterThan(50_000);
        expect(page.inkFraction).toBeGreaterThan(0.01);
      }
      expect(titles).toMatchObject({
        pca: "PCA of hidden-state trajectories",
        "spiking/raster": "Raster of the hidden LIF neurons (sample 0)",
        "spiking/membrane": "Membrane traces of the hidden LIF neurons (sample 0)",
        "forecast/forecast-1step": "lorenz: 1-step-ahead forecast on the test span",
        "forecast/forecast-10step": "lorenz: 10-step-ahead forecast on the test span",
      });
    },
  );
});
