import { describe, expect, it } from "vitest";
import { Rng } from "./random.ts";

describe("Rng", () => {
  it("gives the same stream for the same seed and different streams for different seeds", () => {
    const a = Rng.fromSeed(7);
    const b = Rng.fromSeed(7);
    const c = Rng.fromSeed(8);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it("restores a saved state, including the cached normal deviate", () => {
    const a = Rng.fromSeed(1);
    a.normal();
    const b = Rng.fromState(a.state());
    expect([b.normal(), b.uniform(), b.normal()]).toEqual([a.normal(), a.uniform(), a.normal()]);
  });

  it("splits into streams that differ from each other and from the parent", () => {
    const parent = Rng.fromSeed(3);
    const [x, y] = parent.split(2) as [Rng, Rng];
    const vx = x.uniform();
    const vy = y.uniform();
    expect(vx).not.toBe(vy);
    expect(parent.uniform()).not.toBe(vx);
    const again = Rng.fromSeed(3).split(2)[0] as Rng;
    expect(again.uniform()).toBe(vx);
  });

  it("draws uniforms in [0, 1) with mean 1/2 and variance 1/12", () => {
    const rng = Rng.fromSeed(11);
    const xs = rng.fillUniform(new Float64Array(100_000));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it("draws normals with mean 0, variance 1 and the right fourth moment", () => {
    const xs = Rng.fromSeed(5).fillNormal(new Float64Array(200_000));
    const m = (k: number) => xs.reduce((s, v) => s + v ** k, 0) / xs.length;
    expect(Math.abs(m(1))).toBeLessThan(0.01);
    expect(Math.abs(m(2) - 1)).toBeLessThan(0.02);
    expect(Math.abs(m(4) - 3)).toBeLessThan(0.1);
  });

  it("draws categorical indices in proportion to their weights", () => {
    const rng = Rng.fromSeed(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.categorical([1, 2, 7])]!++;
    // Within 4 standard errors of the weights' proportions (toBeCloseTo(0.1, 1) allowed 0.05 to 0.15).
    const se = (p: number) => Math.sqrt((p * (1 - p)) / 30_000);
    expect(Math.abs(counts[0]! / 30_000 - 0.1)).toBeLessThan(4 * se(0.1));
    expect(Math.abs(counts[1]! / 30_000 - 0.2)).toBeLessThan(4 * se(0.2));
    expect(Math.abs(counts[2]! / 30_000 - 0.7)).toBeLessThan(4 * se(0.7));
  });

  it("draws bernoulli trials with the given probability", () => {
    const rng = Rng.fromSeed(2);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (rng.bernoulli(0.3)) hits++;
    expect(Math.abs(hits / 20_000 - 0.3)).toBeLessThan(0.015);
  });

  it("makes permutations that contain every index once", () => {
    const p = Rng.fromSeed(4).permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("rejects bad arguments with messages that name them", () => {
    const rng = Rng.fromSeed(0);
    expect(() => Rng.fromSeed(1.5)).toThrow("Rng.fromSeed: seed must be a safe integer, got 1.5");
    expect(() => rng.integer(3, 3)).toThrow("Rng.integer: need integers lo < hi");
    expect(() => rng.categorical([1, -1])).toThrow("weights must be finite and >= 0, got -1 at index 1");
    expect(() => rng.choice([])).toThrow("Rng.choice: items must be non-empty");
  });

  describe("fold (named streams)", () => {
    const draws = (rng: Rng, n = 8) => Array.from({ length: n }, () => rng.nextUint32());

    it("is a pure function of the stream's state and the keys, and does not advance the stream", () => {
      const root = Rng.fromSeed(12);
      const before = root.state();
      expect(draws(root.fold("data", 3))).toEqual(draws(Rng.fromSeed(12).fold("data", 3)));
      expect(root.state()).toEqual(before);
      expect(draws(root)).toEqual(draws(Rng.fromState(before)));
    });

    it("gives different keys, key paths and key types unrelated streams", () => {
      const root = Rng.fromSeed(0);
      const streams = {
        parent: draws(Rng.fromSeed(0)),
        init: draws(root.fold("init")),
        data: draws(root.fold("data")),
        data0: draws(root.fold("data", 0)),
        data1: draws(root.fold("data", 1)),
        "data/init": draws(root.fold("data", "init")),
        dataInit: draws(root.fold("datainit")),
        number7: draws(root.fold(7)),
        string7: draws(root.fold("7")),
        negative: draws(root.fold(-1)),
        big: draws(root.fold(2 ** 40)),
      };
      const seen = new Set(Object.values(streams).flat());
      // 11 streams of 8 words: any shared word would show a stream repeating another's numbers.
      expect(seen.size).toBe(11 * 8);
    });

    it("keeps seed s, index i + 1 apart from seed s + 1, index i (the seed + i trap)", () => {
      for (let s = 0; s < 20; s++) {
        expect(draws(Rng.fromSeed(s).fold(1))).not.toEqual(draws(Rng.fromSeed(s + 1).fold(0)));
      }
    });

    it("gives streams whose numbers are uniform and uncorrelated across consecutive indices", () => {
      const n = 20_000;
      const root = Rng.fromSeed(3);
      const first = Float64Array.from({ length: n }, (_, i) => root.fold("data", i).uniform());
      const mean = first.reduce((s, v) => s + v, 0) / n;
      const variance = first.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      let cov = 0;
      for (let i = 1; i < n; i++) cov += ((first[i] as number) - mean) * ((first[i - 1] as number) - mean);
      // Standard errors: mean 0.002, lag-1 correlation 0.007; the bounds are about 4 of them.
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.008);
      expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.004);
      expect(Math.abs(cov / (n - 1) / variance)).toBeLessThan(0.03);
    });

    it("refuses keys that are neither strings nor safe integers", () => {
      expect(() => Rng.fromSeed(0).fold(1.5)).toThrow(
        "Rng.fold: a key must be a string or a safe integer, got 1.5",
      );
    });
  });
});
