import { describe, expect, it } from "vitest";
import {
  Rng,
  covarianceRmse,
  fcCorrelation,
  fcdKs,
  fcDynamics,
  fcRmse,
  fromData,
  functionalConnectivity,
  functionalCovariance,
  mul,
  spectralPeak,
  timeSeriesRmse,
  weightedSum,
} from "../../src/index.ts";

const rng = Rng.fromSeed(0);
const T = 400;
const N = 4;
const signal = fromData(
  Float64Array.from(
    { length: T * N },
    (_, q) => Math.sin((2 * Math.PI * 10 * Math.floor(q / N)) / 200) + 0.3 * rng.normal(),
  ),
  [T, N],
);
const other = fromData(
  Float64Array.from({ length: T * N }, () => rng.normal()),
  [T, N],
);

describe("objectives", () => {
  it("are 0 on their own target and positive elsewhere", () => {
    const fc = functionalConnectivity(signal);
    for (const o of [timeSeriesRmse(signal), fcRmse(fc), fcCorrelation(fc)]) {
      expect(o.differentiable).toBe(true);
      expect(o.loss(signal).data[0]).toBeCloseTo(0, 10);
      expect(o.loss(other).data[0]).toBeGreaterThan(0.05);
    }
    const windows = { window: 50, step: 25 };
    const ks = fcdKs(fcDynamics(signal, windows).values, windows);
    expect(ks.differentiable).toBe(false);
    expect(ks.loss(signal).data[0]).toBe(0);
    expect(ks.loss(other).data[0]).toBeGreaterThan(0.1);
  });

  it("covariance RMSE sees the signal's scale, which the correlation FC cannot", () => {
    const o = covarianceRmse(functionalCovariance(signal));
    expect(o.differentiable).toBe(true);
    expect(o.loss(signal).data[0]).toBeCloseTo(0, 10);
    // Twice the signal: covariance 4C, so ‖4C − C‖ / ‖C‖ = 3; the correlation FC is unchanged.
    expect(o.loss(mul(signal, 2)).data[0]).toBeCloseTo(3, 10);
    expect(fcRmse(functionalConnectivity(signal)).loss(mul(signal, 2)).data[0]).toBeCloseTo(0, 10);
    expect(() =>
      covarianceRmse([
        [0, 0],
        [0, 0],
      ]),
    ).toThrow(/must not be all zero/);
  });

  it("spectral peak: |f_peak − target| of the channels' mean", () => {
    const o = spectralPeak(12, { fs: 200, segment: 128, band: { min: 2, max: 40 } });
    expect(o.loss(signal).data[0]).toBeCloseTo(2, 0); // a 10 Hz rhythm
  });

  it("weighted sums add their terms and are differentiable only when every term is", () => {
    const fc = functionalConnectivity(signal);
    const a = fcRmse(fc);
    const b = timeSeriesRmse(signal);
    const sum = weightedSum([
      { weight: 2, objective: a },
      { weight: 0.5, objective: b },
    ]);
    expect(sum.differentiable).toBe(true);
    const expected = 2 * (a.loss(other).data[0] as number) + 0.5 * (b.loss(other).data[0] as number);
    expect(sum.loss(other).data[0]).toBeCloseTo(expected, 10);
    const mixed = weightedSum([
      { weight: 1, objective: a },
      { weight: 1, objective: spectralPeak(10, { fs: 200 }) },
    ]);
    expect(mixed.differentiable).toBe(false);
    expect(() => timeSeriesRmse(signal).loss(fromData(new Float64Array(8), [2, 4]))).toThrow(
      /target's shape \[400, 4\]/,
    );
  });
});
