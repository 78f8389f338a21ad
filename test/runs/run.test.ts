import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Run } from "../../src/app/runs/run.ts";
import { RunDirectoryError } from "../../src/app/runs/runDirectoryError.ts";
import { resumeRun, startRun } from "../../src/app/runs/train.ts";
import { historyOf } from "../../src/app/runs/metrics.ts";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-runs-"));
const config = parseRunConfig({
  model: { hidden: 8 },
  training: { epochs: 3, stepsPerEpoch: 4 },
  evaluation: { trials: 32 },
});

describe("Run", () => {
  it("fills every default of an empty config with S3's task timing", () => {
    expect(parseRunConfig({})).toMatchObject({
      task: { name: "PerceptualDecisionMaking", options: { dtMs: 20, timing: { stimulus: 1000 } } },
      model: { type: "leakyRNN", hidden: 64, tauMs: 100 },
      training: { epochs: 20, stepsPerEpoch: 100, batchSize: 16, optimizer: "adam", lr: 0.01 },
    });
  });

  it("lists every problem of a config, each with its key, value and what is allowed", () => {
    expect(() => parseRunConfig({ model: { hidden: -2, kind: 1 }, evaluation: { trials: "many" } })).toThrow(
      [
        "config: model.hidden must be >= 1, got -2",
        "config: unknown key model.kind (value 1); the model section allows type, hidden, tauMs, activation, sigmaRec, excitatoryFraction, trainableH0",
        'config: evaluation.trials must be a number, got "many"',
      ].join("\n"),
    );
  });

  it("removes the run directory when training fails before the first checkpoint", () => {
    const run = join(dir, "early-failure");
    expect(() =>
      startRun(run, config, {
        onStep: () => {
          throw new Error("stop");
        },
      }),
    ).toThrow("stop");
    expect(existsSync(run)).toBe(false);
  });

  it("keeps the run directory after a checkpoint, and resuming it reproduces the losses", () => {
    const whole = startRun(join(dir, "whole"), config);
    const broken = join(dir, "broken");
    expect(() =>
      startRun(broken, config, {
        onEpoch: (p) => {
          if (p.epoch === 2) throw new Error("crash");
        },
      }),
    ).toThrow("crash");
    expect(readdirSync(join(broken, "checkpoints"))).toEqual(["epoch-0001.safetensors", "epoch-0002.safetensors"]);
    const resumed = resumeRun(broken);
    expect(resumed.resumedFrom?.epoch).toBe(2);
    expect(historyOf(resumed.run.readMetrics()).steps).toEqual(historyOf(whole.run.readMetrics()).steps);
    expect(resumed.state?.history.steps.map((s) => s.loss)).toEqual(whole.state?.history.steps.map((s) => s.loss));
  });

  it("resumes a spiking run to the uninterrupted losses", () => {
    const spiking = parseRunConfig({
      kind: "spiking",
      data: { samples: 8, steps: 200, inputs: 40, rateHz: 20 },
      training: { epochs: 3, stepsPerEpoch: 3, lr: 0.01 },
      evaluation: { samples: 8 },
    });
    const whole = startRun(join(dir, "spiking-whole"), spiking);
    const broken = join(dir, "spiking-broken");
    expect(() =>
      startRun(broken, spiking, {
        onEpoch: (p) => {
          if (p.epoch === 2) throw new Error("crash");
        },
      }),
    ).toThrow("crash");
    const resumed = resumeRun(broken);
    expect(resumed.resumedFrom?.epoch).toBe(2);
    expect(resumed.state?.history.steps.map((s) => s.loss)).toEqual(whole.state?.history.steps.map((s) => s.loss));
    expect(Object.keys(resumed.run.readMetrics()[2]?.metrics ?? {})).toEqual(["trainAccuracy", "heldOutAccuracy"]);
  });

  it("refuses to train into a directory that holds files", () => {
    expect(() => Run.create(join(dir, "whole"), config)).toThrow(RunDirectoryError);
    // The library's advice names its own functions, never the command line's flags.
    expect(() => Run.create(join(dir, "whole"), config)).toThrow(
      /already exists and is not empty; start the run in a new or empty directory, or continue this one with resumeRun$/,
    );
    expect(() => resumeRun(join(dir, "none"))).toThrow(
      /run directory .*none does not exist; resumeRun continues a run that startRun began$/,
    );
  });
});
