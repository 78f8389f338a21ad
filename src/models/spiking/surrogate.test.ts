import { describe, expect, it } from "vitest";
import { mul, sum, tensor, valueAndGrad } from "../../index.ts";
import { SURROGATES, type SurrogateName, spikeFunction } from "./surrogate.ts";

/** The derivatives written out independently of the library. */
const reference: Record<SurrogateName, (x: number, k: number) => number> = {
  sigmoid: (x, k) => {
    const s = 1 / (1 + Math.exp(-k * x));
    return k * s * (1 - s);
  },
  fastSigmoid: (x, k) => 1 / (k * Math.abs(x) + 1) ** 2,
  arctan: (x, k) => k / 2 / (1 + ((Math.PI / 2) * k * x) ** 2),
  triangle: (x, k) => k * Math.max(0, 1 - k * Math.abs(x)),
  gaussian: (x, k) => (k / Math.sqrt(2 * Math.PI)) * Math.exp(-((k * x) ** 2) / 2),
};

describe("spike functions", () => {
  const xs = [-1.5, -0.3, -0.01, 0, 0.2, 0.9];
  const w = [0.5, -1, 2, 1, 3, -0.7];

  it.each(SURROGATES)("%s: Heaviside forward, its surrogate derivative backward", (name) => {
    const k = 2.5;
    const spike = spikeFunction(name, k);
    const { value, grads } = valueAndGrad((p: { x: ReturnType<typeof tensor> }) =>
      sum(mul(spike(p.x), tensor(w))),
    )({
      x: tensor(xs),
    });
    expect(value).toBeCloseTo(
      w.reduce((s, wi, i) => s + ((xs[i] as number) >= 0 ? wi : 0), 0),
      5,
    );
    xs.forEach((x, i) => expect(grads.x.data[i]).toBeCloseTo((w[i] as number) * reference[name](x, k), 5));
  });

  it("rejects an unknown surrogate or a non-positive scale", () => {
    expect(() => spikeFunction("relu" as never)).toThrow(
      'spikeFunction: surrogate must be one of "sigmoid", "fastSigmoid", "arctan", "triangle", "gaussian", got "relu"',
    );
    expect(() => spikeFunction("arctan", -1)).toThrow(
      "spikeFunction: surrogate scale must be a finite number > 0, got -1",
    );
  });
});
