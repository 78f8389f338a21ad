import { describe, expect, it } from "vitest";
import { Rng, ShapeError, randomNormal, tensor } from "../../src/core/index.ts";
import { pca, trajectoryPCA } from "../../src/analysis/index.ts";

const rng = Rng.fromSeed(3);

describe("pca", () => {
  it("recovers the axes and variances of a known cross of points", () => {
    const fit = pca(
      tensor(
        [
          [1, 0],
          [-1, 0],
          [0, 0.5],
          [0, -0.5],
        ].map(([x, y]) => [(x as number) + 3, (y as number) - 1]),
      ),
    );
    expect(Array.from(fit.components.data)).toEqual([1, 0, 0, 1].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(fit.explainedVariance)).toEqual([expect.closeTo(2 / 3, 12), expect.closeTo(1 / 6, 12)]);
    expect(Array.from(fit.explainedVarianceRatio)).toEqual([
      expect.closeTo(0.8, 12),
      expect.closeTo(0.2, 12),
    ]);
    expect(Array.from(fit.mean.data)).toEqual([3, -1]);
    expect(fit.components.dtype).toBe("float64");
  });

  it("finds the direction of points on a line with all the variance", () => {
    const u = [2 / 3, -1 / 3, 2 / 3];
    const X = tensor(
      Array.from({ length: 20 }, (_, i) => u.map((v) => v * (i - 7) + 1)),
      undefined,
      "float64",
    );
    const fit = pca(X, { components: 1 });
    Array.from(fit.components.data).forEach((v, j) => expect(v).toBeCloseTo(u[j] as number, 12));
    expect(fit.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
  });

  it("gives eigenvectors of the sample covariance and reconstructs the data with all components", () => {
    const N = 200;
    const D = 6;
    const X = randomNormal(rng, [N, D], 1, 0, "float64");
    const fit = pca(X);
    const Z = fit.project(X);
    expect(Z.shape).toEqual([N, D]);
    const w = fit.components.data;
    const m = fit.mean.data;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < D; j++) {
        let r = m[j] as number;
        for (let c = 0; c < D; c++) r += (Z.data[i * D + c] as number) * (w[c * D + j] as number);
        expect(Math.abs(r - (X.data[i * D + j] as number))).toBeLessThan(1e-10);
      }
    }
    // Variance of each projected coordinate equals its explained variance.
    for (let c = 0; c < D; c++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += (Z.data[i * D + c] as number) ** 2;
      expect(s / (N - 1)).toBeCloseTo(fit.explainedVariance[c] as number, 10);
    }
    expect(fit.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("rejects bad shapes and component counts", () => {
    expect(() => pca(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() =>
      pca(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        { components: 3 },
      ),
    ).toThrow("pca: components must be an integer in [1, 2], got 3");
    expect(() =>
      pca(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).project(tensor([[1, 2, 3]])),
    ).toThrow("pca.project: X must have shape [N, 2], got [1, 3]");
  });
});

describe("trajectoryPCA", () => {
  it("fits on all time points and returns trial-major trajectories", () => {
    const [T, B, H] = [7, 4, 5];
    const hidden = randomNormal(rng, [T, B, H]);
    const { pca: fit, trajectories } = trajectoryPCA(hidden, 3);
    expect(trajectories.shape).toEqual([B, T, 3]);
    const state = tensor(Array.from(hidden.data.subarray((5 * B + 2) * H, (5 * B + 3) * H)), [1, H]);
    const expected = fit.project(state).data;
    for (let c = 0; c < 3; c++)
      expect(trajectories.data[(2 * T + 5) * 3 + c]).toBeCloseTo(expected[c] as number, 12);
  });
});
