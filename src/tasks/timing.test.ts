import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import {
  choice,
  constant,
  durationDistribution,
  floorToDt,
  fromFunction,
  sampleDuration,
  truncatedExponential,
  uniform,
  until,
  validateTiming,
} from "./timing.ts";

describe("timing specs", () => {
  it("floors every sampled duration to a multiple of dt", () => {
    expect([100, 83, 300, 500].map((t) => floorToDt(t, 80))).toEqual([80, 80, 240, 480]);
    expect(floorToDt(0.3, 0.1)).toBeCloseTo(0.3, 12);
    const rng = Rng.fromSeed(0);
    for (let i = 0; i < 100; i++) {
      const d = sampleDuration(uniform(800, 1500), rng, 80, 0, "measure");
      expect(d % 80).toBe(0);
      expect(d).toBeGreaterThanOrEqual(800 - 80);
      expect(d).toBeLessThan(1500);
    }
  });

  it("accepts bare numbers and arrays as constant and choice", () => {
    const rng = Rng.fromSeed(1);
    expect(sampleDuration(500, rng, 100, 0, "x")).toBe(500);
    expect(sampleDuration(constant(250), rng, 100, 0, "x")).toBe(200);
    const seen = new Set(Array.from({ length: 200 }, () => sampleDuration([200, 400], rng, 100, 0, "x")));
    expect([...seen].sort()).toEqual([200, 400]);
    expect(sampleDuration(choice([300]), rng, 100, 0, "x")).toBe(300);
  });

  it("redraws truncated exponentials inside [min, max) and returns max when min >= max", () => {
    const rng = Rng.fromSeed(2);
    const xs = Array.from({ length: 2000 }, () =>
      sampleDuration(truncatedExponential(600, 300, 3000), rng, 1, 0, "d"),
    );
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...xs)).toBeLessThan(3000);
    // Memoryless: the mean of Exp(600) beyond 300 is 900, slightly less after truncation at 3000.
    expect(xs.reduce((a, v) => a + v, 0) / xs.length).toBeCloseTo(880, -2);
    expect(sampleDuration(truncatedExponential(100, 500, 400), rng, 100, 0, "d")).toBe(400);
  });

  it("ends 'until' periods at an absolute time and rejects times already passed", () => {
    const rng = Rng.fromSeed(3);
    expect(sampleDuration(until(2000), rng, 100, 1500, "wait")).toBe(500);
    expect(() => sampleDuration(until(1000), rng, 100, 1500, "wait")).toThrow(
      "timing.wait: 'until' time must not precede the current trial end, got until 1000 ms with the trial already 1500 ms long",
    );
  });

  it("draws function specs from the trial generator", () => {
    const spec = fromFunction((r) => 100 + 1000 * r.uniform());
    const a = sampleDuration(spec, Rng.fromSeed(4), 10, 0, "f");
    expect(a).toBe(sampleDuration(spec, Rng.fromSeed(4), 10, 0, "f"));
    expect(() =>
      sampleDuration(
        fromFunction(() => -1),
        Rng.fromSeed(4),
        10,
        0,
        "f",
      ),
    ).toThrow("timing.f: the duration function must return a finite ms >= 0, got -1");
  });

  it("reports the shortest possible duration and rejects bad specs", () => {
    expect(validateTiming([300, 100], "d", "T")).toBe(100);
    expect(validateTiming(truncatedExponential(180, 100, 900), "d", "T")).toBe(100);
    expect(() => validateTiming(choice([]), "d", "T")).toThrow(
      "T: timing.d choice needs at least one duration, got []",
    );
    expect(() => validateTiming(truncatedExponential(-1), "d", "T")).toThrow(
      "T: timing.d truncatedExponential mean must be > 0, got -1",
    );
    expect(() => validateTiming({ kind: "gamma" } as never, "d", "T")).toThrow(
      "T: timing.d must be a number",
    );
  });

  it("gives the exact distribution of floored durations", () => {
    const u = durationDistribution(uniform(300, 600), 80)!;
    expect([...u.keys()]).toEqual([240, 320, 400, 480, 560]);
    expect(u.get(240)).toBeCloseTo(20 / 300, 12);
    expect(u.get(560)).toBeCloseTo(40 / 300, 12);
    const e = durationDistribution(truncatedExponential(600, 300, 3000), 100)!;
    expect([...e.values()].reduce((a, v) => a + v, 0)).toBeCloseTo(1, 9);
    expect(
      durationDistribution(
        fromFunction(() => 1),
        10,
      ),
    ).toBeNull();
  });
});
