import { describe, expect, it } from "vitest";
import {
  Rng,
  canonicalHrf,
  convolveHrf,
  fromData,
  leadFieldReadout,
  mul,
  sum,
  tensor,
  valueAndGrad,
} from "../../src/index.ts";

describe("forward models", () => {
  it("the canonical HRF peaks near 5 s, undershoots, and sums to 1", () => {
    const dt = 0.1;
    const h = canonicalHrf(dt);
    expect(h.length).toBe(320);
    const peak = h.indexOf(Math.max(...h)) * dt;
    expect(peak).toBeGreaterThan(4.5); // Γ(6, 1) has its mode at 5 s; the undershoot pulls it slightly earlier
    expect(peak).toBeLessThan(5.5);
    expect(Math.min(...h)).toBeLessThan(0);
    expect(h.indexOf(Math.min(...h)) * dt).toBeGreaterThan(12);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("convolution is causal: an impulse returns the kernel, a step settles at 1", () => {
    const dt = 0.5;
    const h = canonicalHrf(dt);
    const T = 100;
    const impulse = new Float64Array(T * 2);
    impulse[10 * 2 + 1] = 1;
    const y = convolveHrf(fromData(impulse, [T, 2]), dt).data;
    for (let t = 0; t < 10; t++) expect(y[t * 2 + 1]).toBe(0);
    for (let k = 0; k < 20; k++) expect(y[(10 + k) * 2 + 1]).toBeCloseTo(h[k] as number, 12);
    expect(y[50 * 2]).toBe(0);
    const step = convolveHrf(fromData(new Float64Array(T).fill(1), [T]), dt).data;
    expect(step[T - 1]).toBeCloseTo(1, 10);
  });

  it("convolution is differentiable: the gradient of Σ w_t y_t is the reversed correlation", () => {
    const dt = 1;
    const h = canonicalHrf(dt);
    const rng = Rng.fromSeed(0);
    const w = fromData(
      Float64Array.from({ length: 40 }, () => rng.normal()),
      [40],
    );
    const { grads: grad } = valueAndGrad((x: ReturnType<typeof fromData>) => sum(mul(convolveHrf(x, dt), w)))(
      fromData(new Float64Array(40), [40]),
    );
    for (const s of [0, 13, 39]) {
      let expected = 0;
      for (let t = s; t < 40 && t - s < h.length; t++)
        expected += (w.data[t] as number) * (h[t - s] as number);
      expect(grad.data[s]).toBeCloseTo(expected, 10);
    }
  });

  it("the lead field maps regions to sensors and checks its shape", () => {
    const x = tensor([[1, 2, 3]], undefined, "float64");
    const y = leadFieldReadout(x, [
      [1, 0, 0],
      [0.5, 0.5, -1],
    ]);
    expect([...y.data]).toEqual([1, 1.5 - 3]);
    expect(() => leadFieldReadout(x, [[1, 0]])).toThrow(/N = 3 regions/);
  });
});
