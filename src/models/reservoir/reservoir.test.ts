import { describe, expect, it } from "vitest";
import { Rng, arange, randomNormal, reshape, sliceAxis, tensor } from "../../index.ts";
import { eigenvalues, modulus } from "../../analysis/index.ts";
import { maxAbsDiff } from "../../../test/models/helpers.ts";
import { runCell } from "../cell.ts";
import { esn } from "./esn.ts";
import { nvar } from "./nvar.ts";

const binomial = (n: number, k: number) => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
};

describe("nvar", () => {
  it("has C(kd + p − 1, p) monomials plus kd linear terms and the constant", () => {
    const f = nvar({ nIn: 3, delay: 4, stride: 5, order: 2, constant: true });
    expect(f.nOut).toBe(binomial(12 + 1, 2) + 12 + 1);
    expect(f.nOut).toBe(91);
    expect(nvar({ nIn: 2, delay: 2, order: [2, 3] }).nOut).toBe(4 + binomial(5, 2) + binomial(6, 3));
  });

  it("names features newest tap first, monomials in lexicographic order", () => {
    const f = nvar({ nIn: 2, delay: 2, stride: 5, order: 2, constant: true });
    expect(f.featureNames()).toEqual([
      "1",
      "x0(t)",
      "x1(t)",
      "x0(t-5)",
      "x1(t-5)",
      "x0(t)^2",
      "x0(t) x1(t)",
      "x0(t) x0(t-5)",
      "x0(t) x1(t-5)",
      "x1(t)^2",
      "x1(t) x0(t-5)",
      "x1(t) x1(t-5)",
      "x0(t-5)^2",
      "x0(t-5) x1(t-5)",
      "x1(t-5)^2",
    ]);
  });

  it("computes the named features, with zero history during the warm-up", () => {
    const f = nvar({ nIn: 1, delay: 2, stride: 2, order: 2 });
    const xs = reshape(arange(1, 6), [5, 1, 1]);
    const out = runCell(f, {}, xs).outputs;
    // features: x(t), x(t-2), x(t)^2, x(t) x(t-2), x(t-2)^2
    const row = (x: number, lag: number) => [x, lag, x * x, x * lag, lag * lag];
    expect(f.warmup).toBe(2);
    expect(maxAbsDiff(out, tensor([[row(1, 0)], [row(2, 0)], [row(3, 1)], [row(4, 2)], [row(5, 3)]]))).toBe(
      0,
    );
  });

  it("continues from a warm-up run exactly as one long run, step by step or whole", () => {
    const f = nvar({ nIn: 2, delay: 3, stride: 2, order: 2, constant: true });
    const xs = randomNormal(Rng.fromSeed(0), [12, 3, 2]);
    const whole = runCell(f, {}, xs).outputs;
    const warm = runCell(f, {}, sliceAxis(xs, 0, 0, 5));
    const rest = runCell(f, {}, sliceAxis(xs, 0, 5, 12), { state0: warm.final }).outputs;
    expect(maxAbsDiff(sliceAxis(whole, 0, 5, 12), rest)).toBe(0);
    const stepwise = runCell(f, {}, xs, { fused: false }).outputs;
    expect(maxAbsDiff(whole, stepwise)).toBeLessThan(1e-6);
  });
});

describe("esn", () => {
  it("rescales W to the target spectral radius (within 1%)", () => {
    for (const [connectivity, radius] of [
      [1, 0.9],
      [0.1, 1.25],
    ] as const) {
      const reservoir = esn({ nIn: 2, nReservoir: 80, spectralRadius: radius, connectivity });
      const { wRec } = reservoir.init(Rng.fromSeed(3));
      const rho = Math.max(...eigenvalues(Float64Array.from(wRec.data), 80).map(modulus));
      expect(Math.abs(rho - radius) / radius).toBeLessThan(0.01);
      if (connectivity < 1) {
        const nonzero = Array.from(wRec.data).filter((w) => w !== 0).length / wRec.size;
        expect(nonzero).toBeGreaterThan(0.07);
        expect(nonzero).toBeLessThan(0.13);
      }
    }
  });

  it("runs r' = (1 − a) r + a tanh(u W_in + r W + b)", () => {
    const reservoir = esn({ nIn: 1, nReservoir: 3, leak: 0.5, biasScaling: 0.1 });
    const p = reservoir.init(Rng.fromSeed(0));
    const r = [0.1, -0.2, 0.3];
    const u = 0.7;
    const expected = [0, 1, 2].map((j) => {
      let pre = u * (p.wIn.data[j] as number) + (p.b.data[j] as number);
      for (let i = 0; i < 3; i++) pre += (r[i] as number) * (p.wRec.data[i * 3 + j] as number);
      return 0.5 * (r[j] as number) + 0.5 * Math.tanh(pre);
    });
    const out = reservoir.step(p, { h: tensor([r]) }, tensor([[u]])).output;
    expect(maxAbsDiff(out, tensor([expected]))).toBeLessThan(1e-6);
  });

  it("rejects a leak outside (0, 1]", () => {
    expect(() => esn({ nIn: 1, nReservoir: 3, leak: 1.5 })).toThrow("esn: leak must be in");
  });
});
