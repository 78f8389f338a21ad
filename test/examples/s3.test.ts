import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/index.ts";
import { main, s3Task } from "../../examples/s3-perceptual-decision-rnn.ts";

describe("S3 example (reduced size)", () => {
  it("trains on the lab's task: 60 steps per trial, the fixation cue on until the decision", () => {
    // The lab's NeuroGym (before 2.1) kept the cue on through the stimulus; with 2.1's cue the recipe
    // lands lower and spreads wider over seeds (bench/s3Seeds.ts, docs/examples.md).
    const task = s3Task();
    const trial = task.sampleTrial(Rng.fromSeed(0), {
      conditions: { groundTruth: 1, coh: 25.6 },
      noise: false,
    });
    expect(trial.info.nSteps).toBe(60);
    const fixation = Array.from({ length: 60 }, (_, t) => trial.ob[t * task.obDim]);
    expect(fixation).toEqual([...Array(55).fill(1), ...Array(5).fill(0)]);
    expect(Array.from(trial.gt)).toEqual([...Array(55).fill(0), ...Array(5).fill(2)]);
  });

  it("learns perceptual decision making in at least four of five seeds and writes its figures", async () => {
    // The recipe (Adam 0.01, no clipping, cross-entropy on every step) trains noisily, and which way a
    // seed goes is decided by float rounding (a change that moved gradients by 2e-7 moved one seed
    // from 0.80 to 0.55 at 600 steps, under the later NeuroGym cue). With the lab's cue, seeds 0-4 at
    // the reduced 1,000 steps reached 0.84-0.89 on 2,000 held-out trials: four of five above 0.75
    // leaves room for one seed's bad luck and the 400 trials' sampling error (sd 0.02), and an
    // example that does not learn fails it every time.
    const results = [];
    for (const seed of [0, 1, 2, 3, 4]) {
      const outDir = mkdtempSync(join(tmpdir(), "braints-s3-"));
      results.push(await main({ size: "ci", outDir, seed }));
    }
    const learned = results.filter((r) => r.value > 0.75 && (r.extra?.["accuracy@coh51.2"] as number) > 0.9);
    expect(learned.length, `held-out: ${results.map((r) => r.value).join(", ")}`).toBeGreaterThanOrEqual(4);
    for (const f of results[0]!.figures) {
      const svg = readFileSync(f, "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain("S3:");
    }
  }, 240_000);
});
