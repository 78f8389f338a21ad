import { describe, expect, it } from "vitest";
import { Rng } from "../../base/random.ts";
import { delayedMatchTask } from "./delayedMatch.ts";
import { integratorBatch } from "./integrator.ts";
import { bernoulliEncode, poissonEncode } from "./spikeEncoders.ts";
import { randomSpikeTrains, spikeTrainBatch } from "./spikeTrains.ts";

describe("integratorBatch", () => {
  it("makes 25-step sequences whose target is the running sum, noise sd 0.05", () => {
    const { inputs, targets, T, mask } = integratorBatch(Rng.fromSeed(0), { batchSize: 512 });
    expect(T).toBe(25);
    expect(inputs).toHaveLength(25 * 512);
    for (let b = 0; b < 512; b += 97) {
      let s = 0;
      for (let t = 0; t < 25; t++) {
        s += inputs[t * 512 + b]!;
        expect(targets[t * 512 + b]).toBeCloseTo(s, 4);
      }
    }
    expect(mask.every((m) => m === 1)).toBe(true);
    // Within-sequence deviations come from the noise alone.
    let ss = 0;
    for (let b = 0; b < 512; b++) {
      let m = 0;
      for (let t = 0; t < 25; t++) m += inputs[t * 512 + b]! / 25;
      for (let t = 0; t < 25; t++) ss += (inputs[t * 512 + b]! - m) ** 2;
    }
    expect(Math.sqrt(ss / (512 * 24))).toBeCloseTo(0.05, 2);
  });

  it("centres the faithful bias on −mean and the uniform fix on 0", () => {
    const meanBias = (biasDistribution: "normal" | "uniform"): number => {
      const { inputs } = integratorBatch(Rng.fromSeed(1), {
        batchSize: 20000,
        numStep: 1,
        biasDistribution,
        scale: 0,
      });
      return inputs.reduce((a, v) => a + v, 0) / inputs.length;
    };
    expect(meanBias("normal")).toBeCloseTo(-0.025, 3);
    expect(meanBias("uniform")).toBeCloseTo(0, 3);
  });

  it("offers the decision variant scored on the last step only", () => {
    const { targets, mask, inputs } = integratorBatch(Rng.fromSeed(2), { batchSize: 8, target: "decision" });
    for (let b = 0; b < 8; b++) {
      let s = 0;
      for (let t = 0; t < 25; t++) s += inputs[t * 8 + b]!;
      expect(targets[24 * 8 + b]).toBe(s > 0 ? 1 : -1);
      expect(mask[24 * 8 + b]).toBe(1);
      expect(mask[0 * 8 + b]).toBe(0);
    }
  });
});

describe("delayedMatchTask", () => {
  it("puts one-hot cue and probe at the ends with balanced labels", () => {
    const d = delayedMatchTask({ nSamples: 320, seqLen: 8, nSymbols: 2 });
    expect(d.inputs).toHaveLength(320 * 8 * 2);
    expect(d.targets.reduce((a, v) => a + v, 0)).toBe(160);
    for (let i = 0; i < 320; i++) {
      const row = (t: number): number[] => Array.from(d.inputs.slice((i * 8 + t) * 2, (i * 8 + t + 1) * 2));
      expect(row(0)[d.cues[i]!]).toBe(1);
      expect(row(7)[d.probes[i]!]).toBe(1);
      for (let t = 1; t < 7; t++) expect(row(t)).toEqual([0, 0]);
      expect(d.targets[i]).toBe(d.cues[i] === d.probes[i] ? 1 : 0);
    }
    expect(Array.from(delayedMatchTask({ seed: 3 }).inputs)).toEqual(
      Array.from(delayedMatchTask({ seed: 3 }).inputs),
    );
    expect(() => delayedMatchTask({ seqLen: 1 })).toThrow(
      "delayedMatchTask: seqLen must be an integer >= 2, got 1",
    );
  });
});

describe("spike trains and encoders", () => {
  it("draws the tutorial's set: 256 × 2000 × 100 at 5 Hz, dt 0.1 ms, random labels", () => {
    const s = randomSpikeTrains();
    expect(s.spikes).toHaveLength(256 * 2000 * 100);
    let count = 0;
    for (let i = 0; i < s.spikes.length; i++) count += s.spikes[i]!;
    const expected = 256 * 2000 * 100 * 5e-4;
    expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected));
    const ones = s.labels.reduce((a, v) => a + v, 0);
    expect(ones).toBeGreaterThan(100);
    expect(ones).toBeLessThan(156);
    const batch = spikeTrainBatch(s, [3, 0]);
    expect(batch.inputs).toHaveLength(2000 * 2 * 100);
    expect(batch.inputs[(7 * 2 + 0) * 100 + 5]).toBe(s.spikes[(3 * 2000 + 7) * 100 + 5]);
    expect(Array.from(batch.labels)).toEqual([s.labels[3], s.labels[0]]);
  });

  it("encodes rates and probabilities as Bernoulli spikes", () => {
    const rng = Rng.fromSeed(4);
    const p = poissonEncode([0, 100, 1e6], 5000, 1, rng);
    const col = (i: number): number =>
      Array.from({ length: 5000 }, (_, t) => p[t * 3 + i]!).reduce((a, v) => a + v, 0);
    expect(col(0)).toBe(0);
    // 100 Hz for 1 ms steps: p = 0.1, within 4 standard errors of 5000 draws (not ±0.05).
    expect(Math.abs(col(1) / 5000 - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / 5000));
    expect(col(2)).toBe(5000);
    expect(() => bernoulliEncode([1.5], 3, rng)).toThrow(
      "bernoulliEncode: probabilities must lie in [0, 1], got 1.5 at index 0",
    );
  });
});
