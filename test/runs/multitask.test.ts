/** Multitask runs: several tasks named in `task.name`, one network, every task scored on its own. */
import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import type { SupervisedConfig } from "../../src/app/recipes/config.ts";
import { supervisedRecipe, taskAccuracyKey } from "../../src/app/recipes/supervised.ts";
import { taskList } from "../../src/app/recipes/multitask.ts";
import { Trainer } from "../../src/train/trainer.ts";

const parse = (input: unknown) => parseRunConfig(input) as SupervisedConfig;

describe("multitask run configs", () => {
  it("name the Yang-19 collection's 20 tasks, or a comma-separated list", () => {
    expect(taskList(parse({ task: { name: "yang19" } }).task.name)).toHaveLength(20);
    expect(taskList("yang19.go, yang19.anti")).toEqual(["yang19.go", "yang19.anti"]);
    expect(taskList("GoNogo")).toEqual(["GoNogo"]);
  });

  it("refuse an unknown task in a list, and a task listed twice, naming it", () => {
    expect(() => parse({ task: { name: "yang19.go,yang19.dm3" } })).toThrow(
      /task\.name is invalid \('yang19\.dm3' is not a supervised task.*Did you mean yang19\.dm1\?/,
    );
    expect(() => parse({ task: { name: "yang19.go,yang19.go" } })).toThrow(/'yang19\.go' is listed twice/);
  });

  it("refuse tasks that do not share the input and output layout", () => {
    expect(() => supervisedRecipe(parse({ task: { name: "yang19.go,PerceptualDecisionMaking" } }))).toThrow(
      /same input width, action count and dtMs/,
    );
  });

  it("add a one-hot rule input and score each task on its own held-out trials after every epoch", () => {
    const names = ["yang19.go", "yang19.dm1", "yang19.dnms"];
    const recipe = supervisedRecipe(
      parse({
        task: { name: names.join(",") },
        model: { hidden: 16 },
        training: { epochs: 1, stepsPerEpoch: 2, batchSize: 4 },
        evaluation: { trials: 40 },
      }),
    );
    expect(recipe.task.obDim).toBe(33 + 3);
    expect(recipe.heldOut.map((s) => s.name)).toEqual(names);
    for (const [i, set] of recipe.heldOut.entries()) {
      expect(set.batches.reduce((n, b) => n + b.batchSize, 0)).toBe(40);
      for (const b of set.batches) {
        expect(b.trials.every((t) => t.conditions["envIndex"] === i)).toBe(true);
        // The rule input of task i is on at every step of every trial.
        for (let k = 0; k < b.batchSize; k++) expect(b.inputs[k * b.obDim + 33 + i]).toBe(1);
      }
    }
    const state = new Trainer(recipe.trainerOptions).fit(recipe.initialParams(), recipe.batches, recipe.fitOptions);
    const metrics = state.history.epochs[0]?.metrics ?? {};
    expect(Object.keys(metrics)).toEqual(["accuracy", ...names.map(taskAccuracyKey)]);
    const mean = names.reduce((s, n) => s + (metrics[taskAccuracyKey(n)] as number), 0) / names.length;
    expect(metrics["accuracy"]).toBeCloseTo(mean, 12);
  });
});
