import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { TrialBuilder } from "./trialBuilder.ts";

const make = (noise = true): TrialBuilder =>
  new TrialBuilder({
    task: "Test",
    dtMs: 100,
    timing: { a: 200, b: 300, c: 100 },
    rng: Rng.fromSeed(0),
    observation: { fixation: 0, stimulus: [1, 2] },
    obDim: 3,
    actions: { fixation: 0, choice: [1, 2] },
    noise,
    regression: false,
  });

describe("TrialBuilder", () => {
  it("lays periods out back to back, after a named period, or overlapping", () => {
    const b = make()
      .addPeriods(["a", "b"])
      .addPeriod("c", { after: "a" })
      .addPeriod("d", { durationMs: 50, before: "b" });
    expect(b.period("c")).toEqual({ startMs: 200, endMs: 300, start: 2, end: 3 });
    expect(b.period("d")).toEqual({ startMs: 150, endMs: 200, start: 1, end: 2 });
    expect(b.nSteps).toBe(5);
  });

  it("restarted for the next trial, knows only that trial's periods, with their new bounds", () => {
    const b = make().addPeriods(["a", "b"]).addPeriod("c", { after: "b" });
    expect(b.period("c")).toEqual({ startMs: 500, endMs: 600, start: 5, end: 6 });
    b.restart().addPeriods(["c", "a"]);
    expect(b.period("a")).toEqual({ startMs: 100, endMs: 300, start: 1, end: 3 });
    expect(b.nSteps).toBe(3);
    expect(() => b.period("b")).toThrow("Test: period 'b' has not been added; added periods are c, a");
    expect(() => b.finish()).toThrow("Test: a restarted builder's trial goes to its slot");
  });

  it("adds, overwrites and writes vectors into named channels", () => {
    const b = make().addPeriods(["a", "b"]);
    b.addOb(1, undefined, "fixation").addOb([0.2, 0.4], "b", "stimulus").addOb(1, "b", "stimulus");
    b.setOb(0, "a", "fixation");
    expect(Array.from(b.ob)).toEqual(
      [0, 0, 0, 0, 0, 0, 1, 1.2, 1.4, 1, 1.2, 1.4, 1, 1.2, 1.4].map(Math.fround),
    );
    // Columns in any order: each value goes to its own column.
    const c = make().addPeriods(["a"]);
    c.addOb([5, 7], "a", [2, 0]).setOb([1, 3], "a", [2, 1]);
    expect(Array.from(c.ob)).toEqual([7, 3, 1, 7, 3, 1]);
    expect(() => b.addOb([1, 2, 3], "b", "stimulus")).toThrow(
      "Test: an observation vector must have one value per selected channel (2), got 3",
    );
    expect(() => b.addOb(1, "b", "colour")).toThrow("Test observation: channel 'colour' is unknown");
  });

  it("adds noise only when enabled, and maps choice indices to actions", () => {
    const quiet = make(false).addPeriods(["a"]);
    quiet.addNoise(1, "a");
    expect(Array.from(quiet.ob).every((v) => v === 0)).toBe(true);
    const noisy = make(true).addPeriods(["a"]);
    noisy.addNoise(1, "a", "stimulus");
    expect(noisy.ob[0]).toBe(0);
    expect(noisy.ob[1]).not.toBe(0);
    noisy.setGroundTruth(1, "a", "choice");
    expect(Array.from(noisy.gt)).toEqual([2, 2]);
  });

  it("refuses periods added after the arrays exist", () => {
    const b = make().addPeriods(["a"]);
    b.addOb(1);
    expect(() => b.addPeriod("b")).toThrow("Test: periods must all be added before ob or gt is written");
  });
});
