import { describe, expect, it } from "vitest";
import {
  Rng,
  fcDynamics,
  fromData,
  functionalConnectivity,
  functionalCovariance,
  ksDistance,
  orderParameter,
  pearson,
  peakFrequency,
  sum,
  tensor,
  upperTriangle,
  valueAndGrad,
  welch,
} from "../../src/index.ts";

const normals = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());

describe("functional connectivity", () => {
  it("matches Pearson's r by hand and is 1 on the diagonal", () => {
    // columns: a = [1,2,3,4], b = [2,4,6,8] (r = 1), c = [4,3,2,1] (r = −1), d = [1,3,2,4]
    const x = tensor([1, 2, 4, 1, 2, 4, 3, 3, 3, 6, 2, 2, 4, 8, 1, 4], [4, 4], "float64");
    const fc = functionalConnectivity(x).data;
    expect(fc[0]).toBeCloseTo(1, 12);
    expect(fc[1]).toBeCloseTo(1, 12);
    expect(fc[2]).toBeCloseTo(-1, 12);
    // r(a, d): a − 2.5 = [−1.5, −.5, .5, 1.5], d − 2.5 = [−1.5, .5, −.5, 1.5]: Σ = 2.25−.25−.25+2.25 = 4, norms 5 → 0.8
    expect(fc[3]).toBeCloseTo(0.8, 12);
    expect(fc[4 * 3 + 0]).toBeCloseTo(0.8, 12);
    expect([...upperTriangle(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])).data]).toEqual([2, 3, 6]);
    expect(pearson(tensor([1, 2, 3, 4]), tensor([1, 3, 2, 4])).data[0]).toBeCloseTo(0.8, 6);
  });

  it("as covariance: Σ_t x̃_ti x̃_tj / (T − 1) by hand, the variances on the diagonal", () => {
    // columns a = [1, 2, 3, 4], b = [1, 3, 2, 4]: centred a = [−1.5, −.5, .5, 1.5], b = [−1.5, .5, −.5, 1.5]
    const c = functionalCovariance(tensor([1, 1, 2, 3, 3, 2, 4, 4], [4, 2], "float64")).data;
    expect(c[0]).toBeCloseTo(5 / 3, 12); // (2.25 + .25 + .25 + 2.25) / 3
    expect(c[1]).toBeCloseTo(4 / 3, 12); // (2.25 − .25 − .25 + 2.25) / 3
    expect(c[2]).toBeCloseTo(4 / 3, 12);
    expect(c[3]).toBeCloseTo(5 / 3, 12);
    expect([...upperTriangle(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]), { diagonal: true }).data]).toEqual([
      1, 2, 3, 5, 6, 9,
    ]);
  });

  it("differentiates: d Σ FC / dx matches central differences", () => {
    const rng = Rng.fromSeed(3);
    const x0 = normals(rng, 20 * 3);
    const f = (x: ReturnType<typeof fromData>) => sum(upperTriangle(functionalConnectivity(x)));
    const { grads: grad } = valueAndGrad(f)(fromData(x0, [20, 3]));
    const h = 1e-6;
    for (const i of [0, 7, 33, 59]) {
      const up = x0.slice();
      const dn = x0.slice();
      up[i] = (up[i] as number) + h;
      dn[i] = (dn[i] as number) - h;
      const fd =
        ((f(fromData(up, [20, 3])).data[0] as number) - (f(fromData(dn, [20, 3])).data[0] as number)) /
        (2 * h);
      expect(grad.data[i]).toBeCloseTo(fd, 6);
    }
  });

  it("FCD: a signal whose correlation flips between halves gives anti-correlated windows", () => {
    const rng = Rng.fromSeed(1);
    const T = 400;
    const data = new Float64Array(T * 3);
    for (let t = 0; t < T; t++) {
      const s = rng.normal();
      const sign = t < T / 2 ? 1 : -1;
      data.set([s, sign * s + 0.1 * rng.normal(), rng.normal()], t * 3);
    }
    const fcd = fcDynamics(fromData(data, [T, 3]), { window: 100, step: 100 });
    expect(fcd.windows).toBe(4);
    expect(fcd.matrix[0 * 4 + 1]).toBeGreaterThan(0.9); // both in the first half
    expect(fcd.matrix[0 * 4 + 3]).toBeLessThan(-0.5); // across halves
    expect(fcd.values.length).toBe(6);
    expect(() => fcDynamics(fromData(data, [T, 3]), { window: 1 })).toThrow(
      /window must be an integer in \[2, 400\]/,
    );
  });

  it("KS distance: 0 for equal samples, 1 for disjoint, 0.5 by hand", () => {
    expect(ksDistance([1, 2, 3], [3, 2, 1])).toBe(0);
    expect(ksDistance([1, 2], [3, 4])).toBe(1);
    expect(ksDistance([1, 2, 3, 4], [3, 4, 5, 6])).toBe(0.5);
  });
});

describe("spectra and synchrony", () => {
  it("Welch finds a 10 Hz sine's peak and its power (Parseval)", () => {
    const fs = 250;
    const x = Float64Array.from({ length: 5000 }, (_, t) => 2 * Math.sin((2 * Math.PI * 10.3 * t) / fs));
    const s = welch(x, { fs, segment: 512 });
    expect(peakFrequency(s, { min: 1, max: 40 })).toBeCloseTo(10.3, 1);
    const df = (s.freqs[1] as number) - (s.freqs[0] as number);
    const total = s.power.reduce((a, b) => a + b, 0) * df;
    expect(total).toBeCloseTo(2, 1); // variance of 2 sin = A²/2 = 2
    expect(() => welch(x, { fs, segment: 300 })).toThrow(/segment must be a power of two/);
  });

  it("Kuramoto order parameter: 1 when aligned, 0 for opposite pairs, |mean e^{iθ}| by hand", () => {
    expect(orderParameter(tensor([0.3, 0.3, 0.3])).data[0]).toBeCloseTo(1, 6);
    expect(orderParameter(tensor([0, Math.PI])).data[0]).toBeCloseTo(0, 6);
    // θ = (0, π/2): mean e^{iθ} = (1 + i)/2, |·| = √2/2
    expect(orderParameter(tensor([[0, Math.PI / 2]])).data[0]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
