import { describe, expect, it } from "vitest";
import { ConfigError } from "../recipes/parseConfig.ts";
import { resolvePlan } from "./plan.ts";
import { parseSweepFile } from "./sweepFile.ts";

const TINY = { model: { hidden: 8 }, training: { epochs: 2, stepsPerEpoch: 5 } };

/** The plan of a sweep file's contents (checked as `braints sweep` checks it). */
const plan = (input: Record<string, unknown>) => {
  const file = parseSweepFile(input, { source: "sweep.yaml" });
  return resolvePlan(file, file.base as Record<string, unknown>, "sweep.yaml");
};

/** The message of the ConfigError `f` throws. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("resolvePlan", () => {
  it("crosses the axes in order with the seeds innermost, each trial's config complete", () => {
    const p = plan({
      base: TINY,
      axes: { "model.tauMs": [50, 200], "training.lr": { range: [0.01, 0.03, 0.01] } },
      seeds: 2,
    });
    expect(p.trials).toHaveLength(2 * 3 * 2);
    expect(p.trials.map((t) => [t.overrides["model.tauMs"], t.overrides["training.lr"], t.seed])).toEqual([
      [50, 0.01, 0],
      [50, 0.01, 1],
      [50, 0.02, 0],
      [50, 0.02, 1],
      [50, 0.03, 0],
      [50, 0.03, 1],
      [200, 0.01, 0],
      [200, 0.01, 1],
      [200, 0.02, 0],
      [200, 0.02, 1],
      [200, 0.03, 0],
      [200, 0.03, 1],
    ]);
    const t = p.trials[7];
    expect(
      t?.config.kind === "supervised" && [t.config.model.tauMs, t.config.training.lr, t.config.training.seed],
    ).toEqual([200, 0.01, 1]);
    expect(t?.config.kind === "supervised" && t.config.model.hidden).toBe(8);
    expect(p.trials.map((x) => x.index)).toEqual([...Array(12).keys()]);
    expect(new Set(p.trials.map((x) => x.id)).size).toBe(12);
    expect(t?.id).toMatch(/^0007-[0-9a-f]{8}$/);
    expect(p.objective).toEqual({ metric: "accuracy", goal: "max" });
  });

  it("gives the same ids and draws for the same file, and other draws for another sample seed", () => {
    const file = { base: TINY, axes: { "training.lr": { logUniform: [1e-3, 1e-1], count: 4 } } };
    const a = plan(file);
    expect(plan(file).trials.map((t) => t.id)).toEqual(a.trials.map((t) => t.id));
    const lrs = a.trials.map((t) => t.overrides["training.lr"] as number);
    for (const lr of lrs) expect(lr >= 1e-3 && lr <= 1e-1).toBe(true);
    expect(new Set(lrs).size).toBe(4);
    const other = plan({ ...file, sampleSeed: 1 }).trials.map((t) => t.overrides["training.lr"]);
    expect(other).not.toEqual(lrs);
  });

  it("draws a budget of random configurations from lists, ranges and log-uniform axes", () => {
    const p = plan({
      base: TINY,
      axes: {
        "model.tauMs": [50, 100, 200],
        "model.hidden": { range: [8, 16, 4] },
        "training.lr": { logUniform: [1e-3, 1e-2] },
      },
      search: { random: 40 },
      seeds: [3],
    });
    expect(p.trials).toHaveLength(40);
    const taus = new Set(p.trials.map((t) => t.overrides["model.tauMs"]));
    expect([...taus].sort()).toEqual([100, 200, 50]);
    expect(new Set(p.trials.map((t) => t.overrides["model.hidden"]))).toEqual(new Set([8, 12, 16]));
    expect(p.trials.every((t) => t.seed === 3)).toBe(true);
  });

  // As in a run config, a task section given takes the task's own defaults (not S3's dt of 20 ms).
  it("sets keys deep inside task options and sweeps the base config's own seed when no seeds are given", () => {
    const p = plan({ base: TINY, axes: { "task.options.timing.stimulus": [500, 1000] } });
    expect(p.trials.map((t) => t.config.kind === "supervised" && t.config.task.options)).toEqual([
      { timing: { stimulus: 500 } },
      { timing: { stimulus: 1000 } },
    ]);
    expect(p.trials.every((t) => t.seed === undefined)).toBe(true);
  });

  it("refuses an unknown key path, naming the key, the value and the keys allowed", () => {
    const message = refusal(() => plan({ base: TINY, axes: { "model.hiden": [8, 16] } }));
    expect(message).toContain(
      "sweep.yaml, trial 0 (model.hiden = 8): unknown key model.hiden (value 8); the model section allows type, hidden",
    );
    expect(message).toContain("trial 1 (model.hiden = 16): unknown key model.hiden (value 16)");
  });

  it("refuses an empty axis", () => {
    expect(refusal(() => plan({ base: TINY, axes: { "model.tauMs": [] } }))).toBe(
      "axes.model.tauMs: must list at least one value, got []",
    );
  });

  it("refuses a value the run config refuses, once per distinct problem, naming the first trial with it", () => {
    const message = refusal(() => plan({ base: TINY, axes: { "training.lr": [0.01, 20] }, seeds: 3 }));
    expect(message).toBe("sweep.yaml, trial 3 (training.lr = 20, seed 0): training.lr must be <= 10, got 20");
  });

  it("refuses a task option the task refuses, before anything runs", () => {
    const message = refusal(() => plan({ base: TINY, axes: { "task.options.dtMs": [20, -5] } }));
    expect(message).toMatch(
      /^sweep\.yaml, trial 1 \(task\.options\.dtMs = -5\): task\.options are invalid: .*dtMs.*-5/,
    );
  });

  it("refuses malformed axes, seeds and objectives with what was expected", () => {
    expect(refusal(() => plan({ base: TINY, axes: { "training.lr": { range: [0.1, 0.01, 0.01] } } }))).toBe(
      "axes.training.lr: range [start, stop, step] must have stop >= start, got [0.1, 0.01, 0.01]",
    );
    expect(
      refusal(() => plan({ base: TINY, axes: { "training.lr": { logUniform: [0, 1], count: 2 } } })),
    ).toBe("axes.training.lr: logUniform [lo, hi] must have 0 < lo <= hi, got [0, 1]");
    expect(
      refusal(() => plan({ base: TINY, axes: { "training.lr": { logUniform: [0.001, 0.1] } } })),
    ).toContain("a logUniform axis of a grid search needs count");
    expect(refusal(() => plan({ base: TINY, axes: { "training.lr": { between: [1, 2] } } }))).toBe(
      'sweep.yaml: axes.training.lr is invalid (must be a list of values, { range: [start, stop, step] } or { logUniform: [lo, hi], count }), got {"between":[1,2]}',
    );
    const withLr = { ...TINY, training: { ...TINY.training, lr: 0.01 } };
    expect(refusal(() => plan({ base: withLr, axes: { "training.lr.x": [1] } }))).toBe(
      "axes.training.lr.x: training.lr must be a section to hold x, got 0.01",
    );
    expect(refusal(() => plan({ base: TINY, axes: { "training.seed": [1, 2] }, seeds: 2 }))).toContain(
      "axes.training.seed sets the key the seeds set",
    );
    expect(refusal(() => plan({ base: TINY, objective: { metric: "acuracy", goal: "max" } }))).toBe(
      'sweep.yaml: objective.metric must be one of trainLoss, accuracy (the metrics of trial 0), got "acuracy"',
    );
    expect(refusal(() => plan({ base: TINY, axez: {} }))).toContain("sweep.yaml: unknown key axez");
  });

  it("sweeps spiking and forecast configs with their own seed keys and objectives", () => {
    const spiking = plan({
      base: { kind: "spiking", data: { samples: 8 } },
      axes: { "model.hidden": [4, 8] },
      seeds: 2,
    });
    expect(spiking.seedKey).toBe("training.seed");
    expect(spiking.objective).toEqual({ metric: "heldOutAccuracy", goal: "max" });
    const forecast = plan({
      base: { kind: "forecast", model: { type: "esn" }, series: { warmup: 1, train: 25, test: 4 } },
      axes: { "training.alpha": [1e-6, 1e-4] },
      seeds: 2,
    });
    expect(forecast.seedKey).toBe("model.seed");
    expect(forecast.objective).toEqual({ metric: "testNrmse1", goal: "min" });
    expect(
      forecast.trials.map(
        (t) => t.config.kind === "forecast" && t.config.model.type === "esn" && t.config.model.seed,
      ),
    ).toEqual([0, 1, 0, 1]);
  });
});
