import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/index.ts";
import { accuracyBy, choiceFractions, fitPsychometric, normalCdf } from "../../src/analysis/index.ts";

const levels = [-0.512, -0.256, -0.128, -0.064, -0.032, 0, 0.032, 0.064, 0.128, 0.256, 0.512];

/** `perLevel` trials at each level with choices drawn from `p(x)`. */
function simulate(p: (x: number) => number, perLevel: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const x: number[] = [];
  const choice: boolean[] = [];
  for (const level of levels) {
    for (let i = 0; i < perLevel; i++) {
      x.push(level);
      choice.push(rng.bernoulli(p(level)));
    }
  }
  return { x, choice };
}

const logisticCurve = (mu: number, sigma: number, lapse: number) => (x: number) =>
  lapse + (1 - 2 * lapse) / (1 + Math.exp(-(x - mu) / sigma));

describe("fitPsychometric", () => {
  it("solves the score equations of a lapse-free logistic fit", () => {
    const { x, choice } = simulate(logisticCurve(0.02, 0.08, 0), 40, 1);
    const fit = fitPsychometric(x, choice);
    expect(fit.converged).toBe(true);
    let s0 = 0;
    let s1 = 0;
    x.forEach((xi, i) => {
      const r = Number(choice[i]) - fit.probability(xi);
      s0 += r;
      s1 += r * xi;
    });
    expect(Math.abs(s0)).toBeLessThan(1e-6);
    expect(Math.abs(s1)).toBeLessThan(1e-6);
  });

  it("recovers bias, scale and lapse of a logistic observer", () => {
    const { x, choice } = simulate(logisticCurve(0.03, 0.06, 0.05), 400, 2);
    const fit = fitPsychometric(x, choice, { lapse: true });
    expect(fit.converged).toBe(true);
    expect(fit.mu).toBeCloseTo(0.03, 2);
    expect(Math.abs(fit.sigma - 0.06)).toBeLessThan(0.01);
    expect(Math.abs(fit.lapse - 0.05)).toBeLessThan(0.015);
  });

  it("recovers bias and scale of a probit observer", () => {
    const { x, choice } = simulate((v) => normalCdf((v + 0.04) / 0.1), 400, 3);
    const probit = fitPsychometric(x, choice, { link: "probit" });
    expect(probit.converged).toBe(true);
    expect(probit.mu).toBeCloseTo(-0.04, 2);
    expect(Math.abs(probit.sigma - 0.1)).toBeLessThan(0.01);
    expect(probit.lapse).toBe(0);
    expect(probit.curve([probit.mu, 1])).toEqual([
      { x: probit.mu, p: expect.closeTo(0.5, 12) },
      { x: 1, p: expect.closeTo(1, 12) },
    ]);
  });

  it("needs two stimulus levels", () => {
    expect(() => fitPsychometric([1, 1], [0, 1])).toThrow(
      "fitPsychometric: need at least 2 distinct stimulus levels, got 1",
    );
  });
});

describe("choiceFractions", () => {
  it("groups by level in increasing order with binomial standard errors", () => {
    expect(choiceFractions([0.5, -0.5, 0.5, 0.5, -0.5], [1, 0, 1, 0, true])).toEqual([
      { x: -0.5, n: 2, k: 1, p: 0.5, se: Math.sqrt(0.125) },
      { x: 0.5, n: 3, k: 2, p: 2 / 3, se: expect.closeTo(Math.sqrt(2 / 27), 12) },
    ]);
  });
});

describe("accuracyBy", () => {
  const records = [
    { correct: true, conditions: { coherence: 6.4, delay: "short" } },
    { correct: false, conditions: { coherence: 0, delay: "long" } },
    { correct: true, conditions: { coherence: 6.4, delay: "long" } },
    { correct: true, conditions: { coherence: 0, delay: "short" } },
    { correct: false, conditions: { coherence: 6.4, delay: "short" } },
  ];

  it("tallies accuracy per numeric condition value", () => {
    expect(accuracyBy(records, "coherence")).toEqual([
      { value: 0, n: 2, correct: 1, accuracy: 0.5, se: Math.sqrt(0.125) },
      { value: 6.4, n: 3, correct: 2, accuracy: 2 / 3, se: expect.closeTo(Math.sqrt(2 / 27), 12) },
    ]);
  });

  it("orders string values lexically", () => {
    expect(accuracyBy(records, "delay").map((a) => [a.value, a.n])).toEqual([
      ["long", 2],
      ["short", 3],
    ]);
  });

  it("names the missing condition", () => {
    expect(() => accuracyBy(records, "stimulus")).toThrow(
      "accuracyBy: every record needs condition 'stimulus' as a number, string or boolean, record 0 has undefined",
    );
  });
});
