/** The fixed points of the report's state space: which constant input the network is held at. */
import { describe, expect, it } from "vitest";
import { analyzeDynamics } from "../../src/app/recipes/dynamics.ts";
import type { SupervisedConfig } from "../../src/app/recipes/config.ts";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import { supervisedRecipe } from "../../src/app/recipes/supervised.ts";
import { configuredTask } from "../../src/app/recipes/trials.ts";
import { Rng } from "../../src/base/random.ts";
import { trialBatch } from "../../src/data/trialBatch.ts";

const setup = (name: string) => {
  const recipe = supervisedRecipe(
    parseRunConfig({ task: { name, options: { dtMs: 100 } }, model: { hidden: 8 } }) as SupervisedConfig,
  );
  return { recipe, params: recipe.initialParams(), task: configuredTask(recipe.config.task) };
};

describe("analyzeDynamics' fixed-point input", () => {
  const { recipe, params, task } = setup("PerceptualDecisionMaking");
  const options = { trials: 8, starts: 8, seed: 3 };

  it("is by default zero, the autonomous network, whatever the task's periods", () => {
    const zeros = { label: "zero input", values: new Array(task.obDim).fill(0) };
    // PerceptualDecisionMaking's every trial has a stimulus period; the default does not use it.
    const byDefault = analyzeDynamics(recipe.network, params, task, options);
    expect(byDefault.fixedPoints?.input).toEqual(zeros);
    expect(byDefault).toEqual(analyzeDynamics(recipe.network, params, task, { ...options, fixedPointInput: "zero" }));
    const dly = setup("yang19.dlydm1");
    expect(analyzeDynamics(dly.recipe.network, dly.params, dly.task, options).fixedPoints?.input).toEqual({
      label: "zero input",
      values: new Array(dly.task.obDim).fill(0),
    });
  });

  it("is the stimulus period's mean input over the analysed trials when asked, and says so", () => {
    const { fixedPoints } = analyzeDynamics(recipe.network, params, task, {
      ...options,
      fixedPointInput: { period: "stimulus" },
    });
    expect(fixedPoints?.input.label).toBe("the stimulus period's mean input");
    // The same trials (the seed's evaluation stream), averaged by hand over their stimulus steps.
    const batch = trialBatch(task, Rng.fromSeed(3).fold("eval"), 8);
    const sum = new Array<number>(task.obDim).fill(0);
    let steps = 0;
    batch.trials.forEach((trial, b) => {
      const { start, end } = trial.periods["stimulus"]!;
      for (let t = start; t < end; t++, steps++)
        for (let j = 0; j < task.obDim; j++) sum[j]! += batch.inputs[(t * 8 + b) * task.obDim + j]!;
    });
    fixedPoints!.input.values.forEach((v, j) => expect(v).toBeCloseTo(sum[j]! / steps, 6));
    // The fixation cue is off during the stimulus; the stimulus channels average about 0.5.
    expect(fixedPoints!.input.values[0]).toBe(0);
    expect(fixedPoints!.input.values[1]! + fixedPoints!.input.values[2]!).toBeCloseTo(1, 0);
  });

  it("is another period's mean input when asked; a missing period is refused by name", () => {
    const dly = setup("yang19.dlydm1");
    const delay = analyzeDynamics(dly.recipe.network, dly.params, dly.task, {
      ...options,
      fixedPointInput: { period: "delay" },
    });
    expect(delay.fixedPoints?.input.label).toBe("the delay period's mean input");
    expect(() => analyzeDynamics(recipe.network, params, task, { ...options, fixedPointInput: { period: "go" } })).toThrow(
      /analyzeDynamics: fixedPointInput must be "zero" or a period of every trial, got period "go" \(a trial has fixation, stimulus, delay, decision\)/,
    );
  });
});
