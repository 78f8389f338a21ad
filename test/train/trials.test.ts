import { describe, expect, it } from "vitest";
import { type SequenceModel, type Tensor, createTask, evaluateTrials, fromData } from "../../src/index.ts";

/** A model that always answers action 1 (and reports its inputs as hidden activity). */
const alwaysOne: SequenceModel<Record<string, never>> = {
  name: "alwaysOne",
  config: {},
  nIn: 3,
  nOut: 3,
  timeReadout: "every",
  init: () => ({}),
  apply(_p, xs: Tensor) {
    const [T, B] = xs.shape as [number, number];
    const out = new Float32Array(T * B * 3);
    for (let i = 0; i < T * B; i++) out[i * 3 + 1] = 1;
    return { outputs: fromData(out, [T, B, 3]), hidden: xs };
  },
};

describe("evaluateTrials", () => {
  const task = createTask("PerceptualDecisionMaking");

  it("reads the choice at the last decision step and scores it against the target there", () => {
    const { accuracy, trials } = evaluateTrials(alwaysOne, {}, task, {
      nTrials: 400,
      seed: 3,
      batchSize: 64,
    });
    expect(trials).toHaveLength(400);
    for (const t of trials) {
      expect(t.step).toBe(21);
      expect(t.choice).toBe(1);
      expect(t.correct).toBe(t.target === 1);
      expect(t.target).toBe((t.conditions as { groundTruth: number }).groundTruth + 1);
    }
    expect(accuracy).toBeCloseTo(trials.filter((t) => t.target === 1).length / 400, 12);
    expect(Math.abs(accuracy - 0.5)).toBeLessThan(0.1);
  });

  it("keeps each trial's hidden activity when asked, and fixes conditions", () => {
    const { trials, hidden } = evaluateTrials(alwaysOne, {}, task, {
      nTrials: 5,
      conditions: { groundTruth: 0, coh: 51.2 },
      noise: false,
      keepHidden: true,
    });
    expect(trials.every((t) => t.correct)).toBe(true);
    expect(hidden?.map((h) => h.length)).toEqual([66, 66, 66, 66, 66]);
    expect(hidden?.[0]?.[3 * 5 + 1]).toBeCloseTo(0.756, 6);
  });
});
