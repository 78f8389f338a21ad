/**
 * The task a run trains on carries the loss mask its training scores: trials drawn from it (as the
 * playground's trial figure draws them) weight the steps `training.lossOn` names, and the recipe
 * trains on that same task.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import type { SupervisedConfig } from "../../src/app/recipes/config.ts";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import { supervisedRecipe } from "../../src/app/recipes/supervised.ts";
import { trainingTask } from "../../src/app/recipes/trials.ts";

const config = (lossOn: "all" | "decision") =>
  parseRunConfig({
    task: { name: "PerceptualDecisionMaking", options: { dtMs: 20 } },
    training: { lossOn },
  }) as SupervisedConfig;

/** The distinct loss weights of a trial's steps in `period`. */
function weightsIn(lossOn: "all" | "decision", period: string): number[] {
  const trial = trainingTask(config(lossOn)).sampleTrial(Rng.fromSeed(3));
  const b = trial.info.periods[period];
  if (!b || b.end <= b.start) throw new Error(`no ${period} steps`);
  return [...new Set(trial.mask.subarray(b.start, b.end))];
}

describe("trainingTask", () => {
  it('weights every step for lossOn "all"', () => {
    for (const period of ["fixation", "stimulus", "decision"]) expect(weightsIn("all", period)).toEqual([1]);
  });

  it('weights only the decision for lossOn "decision"', () => {
    expect(weightsIn("decision", "fixation")).toEqual([0]);
    expect(weightsIn("decision", "stimulus")).toEqual([0]);
    expect(weightsIn("decision", "decision")).toEqual([1]);
  });

  it("is the task the recipe trains on", () => {
    for (const lossOn of ["all", "decision"] as const)
      expect(supervisedRecipe(config(lossOn)).task.lossMask).toBe(trainingTask(config(lossOn)).lossMask);
  });
});
