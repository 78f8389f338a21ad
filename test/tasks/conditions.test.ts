/**
 * A trial's logged conditions rebuild it: every key of `info.conditions` (the drawn conditions, the
 * values derived from them and the drawn period durations) is accepted by `sampleTrial`, and
 * passing them back gives the same trial from any generator (its input noise aside).
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { createTask, taskNames } from "../../src/tasks/registry.ts";
import type { Trial } from "../../src/tasks/spec.ts";

const arrays = (t: Trial<Record<string, unknown>, Int32Array | Float32Array>) => ({
  ob: Array.from(t.ob),
  gt: Array.from(t.gt),
  mask: Array.from(t.mask),
  info: t.info,
});

describe.each(taskNames)("%s", (name) => {
  // Several trials of one session: tasks with blocks or contingencies carry state between trials.
  const session = createTask(name);
  const rng = Rng.fromSeed(11);
  const logged = Array.from({ length: 6 }, () => session.sampleTrial(rng, { noise: false }));

  it("rebuilds each trial from its info.conditions with another generator and a fresh task", () => {
    for (const [k, trial] of logged.entries()) {
      const rebuilt = createTask(name).sampleTrial(Rng.fromSeed(99).fold("other", k), {
        conditions: trial.info.conditions,
        noise: false,
      });
      expect(arrays(rebuilt)).toEqual(arrays(trial));
    }
  });

  it("gives the same trial, noise included, when the generator and its conditions are the same", () => {
    const noisy = createTask(name).sampleTrial(Rng.fromSeed(5));
    const again = createTask(name).sampleTrial(Rng.fromSeed(5), { conditions: noisy.info.conditions });
    expect(arrays(again)).toEqual(arrays(noisy));
  });
});

describe("conditions typed by a task are accepted", () => {
  it("DelayMatchCategory: sampleTheta and testTheta, each within its category", () => {
    const task = createTask("DelayMatchCategory");
    const c = { groundTruth: "non-match", sampleCategory: 0, sampleTheta: 0.5, testTheta: 4 } as const;
    expect(task.sampleTrial(Rng.fromSeed(0), { conditions: c }).info.conditions).toMatchObject(c);
    expect(() => task.sampleTrial(Rng.fromSeed(0), { conditions: { ...c, testTheta: 1 } })).toThrow(
      "DelayMatchCategory.sampleTrial: condition testTheta must lie in category 1, [1π, 2π), got 1",
    );
  });

  it("DelayMatchCategory: a fixed category moves the drawn directions into it", () => {
    const task = createTask("DelayMatchCategory");
    for (let s = 0; s < 20; s++) {
      const { sampleTheta, testTheta } = task.sampleTrial(Rng.fromSeed(s), {
        conditions: { groundTruth: "match", sampleCategory: 1 },
      }).info.conditions;
      expect(sampleTheta).toBeGreaterThanOrEqual(Math.PI);
      expect(testTheta).toBeGreaterThanOrEqual(Math.PI);
    }
  });

  it("DelayMatchSample: testTheta when it agrees with the sample and the ground truth", () => {
    const task = createTask("DelayMatchSample");
    const c = { groundTruth: 2, sampleTheta: 0, testTheta: Math.PI };
    expect(task.sampleTrial(Rng.fromSeed(0), { conditions: c }).info.conditions).toMatchObject(c);
    expect(() => task.sampleTrial(Rng.fromSeed(0), { conditions: { ...c, testTheta: 0 } })).toThrow(
      `DelayMatchSample.sampleTrial: condition testTheta follows from the other conditions and must be ${Math.PI}, got 0`,
    );
  });

  it("ReadySetGo: production = measure × gain", () => {
    const task = createTask("ReadySetGo");
    const c = { measure: 960, gain: 1.5, production: 1440 };
    expect(task.sampleTrial(Rng.fromSeed(0), { conditions: c }).info.conditions).toMatchObject(c);
    expect(() => task.sampleTrial(Rng.fromSeed(0), { conditions: { ...c, production: 900 } })).toThrow(
      "ReadySetGo.sampleTrial: condition production follows from the other conditions and must be 1440, got 900",
    );
  });

  it("refuses a condition or a period duration the trial does not have, naming the known ones", () => {
    const task = createTask("PerceptualDecisionMaking");
    expect(() => task.sampleTrial(Rng.fromSeed(0), { conditions: { coherence: 5 } as never })).toThrow(
      "PerceptualDecisionMaking.sampleTrial: unknown condition 'coherence'",
    );
    expect(() => task.sampleTrial(Rng.fromSeed(0), { conditions: { durations: { response: 100 } } })).toThrow(
      "PerceptualDecisionMaking.sampleTrial: unknown duration 'response'",
    );
  });
});
