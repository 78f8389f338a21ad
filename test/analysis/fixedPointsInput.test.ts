import { describe, expect, it } from "vitest";
import { Rng, fromData, randomUniform } from "../../src/core/index.ts";
import { leakyRNN } from "../../src/models/index.ts";
import { constantInputMap, findFixedPoints, periodMeanInput, solveLinear } from "../../src/analysis/index.ts";

describe("fixed points under a constant input", () => {
  const rng = Rng.fromSeed(21);
  const H = 5;
  const cell = leakyRNN({ nIn: 2, nHidden: H, tauMs: 100, dtMs: 20, activation: "identity" });
  const init = cell.init(rng);
  // A contracting recurrent matrix, so the linear network has exactly one fixed point per input.
  const wRec = fromData(
    Float64Array.from({ length: H * H }, () => (0.4 * rng.normal()) / Math.sqrt(H)),
    [H, H],
  );
  const params = { ...init, wRec };

  /** The fixed point of h = x W_in + h W_rec + b, solved independently: (I − W_rec)ᵀ hᵀ = (x W_in + b)ᵀ. */
  function truth(x: readonly number[]): Float64Array {
    const A = Float64Array.from({ length: H * H }, (_, k) => {
      const [i, j] = [Math.floor(k / H), k % H];
      return (i === j ? 1 : 0) - (wRec.data[j * H + i] as number);
    });
    const rhs = Float64Array.from({ length: H }, (_, j) =>
      x.reduce((s, xi, i) => s + xi * (params.wIn.data[i * H + j] as number), params.b.data[j] as number),
    );
    return solveLinear(A, rhs, H);
  }

  it("finds the linear network's fixed point for the chosen input, not the zero-input one", () => {
    for (const x of [
      [0, 0],
      [1.5, -0.7],
    ]) {
      const { fixedPoints } = findFixedPoints(constantInputMap(cell, params, x), {
        initialStates: randomUniform(rng, [8, H], -2, 2, "float64"),
      });
      expect(fixedPoints).toHaveLength(1);
      const expected = truth(x);
      fixedPoints[0]!.state.forEach((h, j) => expect(h).toBeCloseTo(expected[j] as number, 6));
      expect(fixedPoints[0]!.stability).toBe("stable");
    }
    const moved = truth([1.5, -0.7]).map((v, j) => v - (truth([0, 0])[j] as number));
    expect(Math.hypot(...moved)).toBeGreaterThan(0.1);
  });

  it("refuses an input of the wrong size", () => {
    expect(() => constantInputMap(cell, params, [1])).toThrow(
      /input must have the cell's nIn = 2 entries, got 1/,
    );
  });
});

describe("periodMeanInput", () => {
  it("averages the inputs over a period's steps of every trial", () => {
    // T = 3, B = 2, nIn = 1: trial 0's stimulus is steps 1-2 (values 2, 3), trial 1's is step 0 (10).
    const inputs = fromData(new Float64Array([1, 10, 2, 20, 3, 30]), [3, 2, 1]);
    const bounds = (start: number, end: number) => ({ startMs: start * 10, endMs: end * 10, start, end });
    const trials = [{ periods: { stimulus: bounds(1, 3) } }, { periods: { stimulus: bounds(0, 1) } }];
    expect(Array.from(periodMeanInput(inputs, trials, "stimulus"))).toEqual([(2 + 3 + 10) / 3]);
    expect(() => periodMeanInput(inputs, trials, "delay")).toThrow(
      /trial 0 has no period "delay" \(it has stimulus\)/,
    );
  });
});
