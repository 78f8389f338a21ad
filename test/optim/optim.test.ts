import { describe, expect, it } from "vitest";
import {
  type Tensor,
  adam,
  adamw,
  clipByGlobalNorm,
  cosineWithWarmup,
  exponentialDecay,
  l2Penalty,
  rmsprop,
  sgd,
  stepDecay,
  tensor,
  valueAndGrad,
} from "../../src/index.ts";

const f64 = (v: number[]) => tensor(v, undefined, "float64");
const f32 = (v: number[]) => tensor(v);

/** Runs `steps` updates with constant gradients g and returns the parameter values. */
function run(opt: ReturnType<typeof sgd>, p0: Tensor, grads: Tensor[]): number[] {
  let params = { w: p0 };
  let state = opt.init(params);
  for (const g of grads) ({ params, state } = opt.update({ w: g }, state, params));
  expect(state.step).toBe(grads.length);
  return Array.from(params.w.data);
}

describe("optimizers match hand-computed updates", () => {
  it("sgd", () => {
    expect(run(sgd({ lr: 0.1 }), f64([1, 2]), [f64([1, -1])])).toEqual([0.9, 2.1]);
  });

  it("sgd with momentum and coupled weight decay", () => {
    // step 1: d = 1 + 0.5*1 = 1.5, b = 1.5, p = 1 - 0.1*1.5 = 0.85
    // step 2: d = 1 + 0.5*0.85 = 1.425, b = 0.9*1.5 + 1.425 = 2.775, p = 0.85 - 0.2775 = 0.5725
    const out = run(sgd({ lr: 0.1, momentum: 0.9, weightDecay: 0.5 }), f64([1]), [f64([1]), f64([1])]);
    expect(out[0]).toBeCloseTo(0.5725, 12);
  });

  it("sgd with Nesterov momentum", () => {
    // step 1: b = 1, d = 1 + 0.9 = 1.9 -> p = -0.19; step 2: b = 1.9, d = 1 + 1.71 = 2.71 -> p = -0.19 - 0.271
    const out = run(sgd({ lr: 0.1, momentum: 0.9, nesterov: true }), f64([0]), [f64([1]), f64([1])]);
    expect(out[0]).toBeCloseTo(-0.461, 12);
  });

  for (const [label, make] of [
    ["float64", f64],
    ["float32 (kernel backend)", f32],
  ] as const) {
    it(`adam's first steps move each weight by lr against the gradient's sign (${label})`, () => {
      // With bias correction, step 1 is p -= lr * g/|g| (up to eps).
      const out = run(adam({ lr: 0.01 }), make([1, 1]), [make([3, -0.5])]);
      expect(out[0]).toBeCloseTo(0.99, 6);
      expect(out[1]).toBeCloseTo(1.01, 6);
    });

    it(`adam with a large eps, as in S1, matches the formula over two steps (${label})`, () => {
      const lr = 0.025;
      const eps = 0.1;
      const g1 = 0.2;
      const g2 = -0.4;
      const m1 = 0.1 * g1;
      const v1 = 0.001 * g1 * g1;
      const p1 = 1 - (lr * (m1 / 0.1)) / (Math.sqrt(v1 / 0.001) + eps);
      const m2 = 0.9 * m1 + 0.1 * g2;
      const v2 = 0.999 * v1 + 0.001 * g2 * g2;
      const p2 = p1 - (lr * (m2 / (1 - 0.81))) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + eps);
      const out = run(adam({ lr, eps }), make([1]), [make([g1]), make([g2])]);
      expect(out[0]).toBeCloseTo(p2, 6);
    });
  }

  it("adamw decays weights apart from the gradient", () => {
    // zero gradient: p = p (1 - lr * wd)
    const out = run(adamw({ lr: 0.1, weightDecay: 0.5 }), f64([2]), [f64([0])]);
    expect(out[0]).toBeCloseTo(2 * (1 - 0.05), 12);
  });

  it("rmsprop", () => {
    // v = 0.01 * 4 = 0.04; p = 1 - 0.01 * 2 / (0.2 + 1e-8)
    const out = run(rmsprop({ lr: 0.01 }), f64([1]), [f64([2])]);
    expect(out[0]).toBeCloseTo(1 - 0.01 * (2 / (0.2 + 1e-8)), 12);
  });

  it("follows a schedule: the lr at update k is schedule(k)", () => {
    const out = run(sgd({ lr: (k) => [1, 10][k] ?? 0 }), f64([0]), [f64([1]), f64([1])]);
    expect(out[0]).toBe(-11);
  });

  it("rejects gradients whose shapes do not match the parameters", () => {
    const opt = adam({ lr: 0.1 });
    const params = { w: f32([1, 2]) };
    expect(() => opt.update({ w: f32([1]) }, opt.init(params), params)).toThrow(
      "adam(eps=1e-8).update: gradient for 'w' must have shape [2], got [1]",
    );
  });

  it("rejects bad hyper-parameters by name", () => {
    expect(() => adam({ lr: 0.1, beta1: 1 })).toThrow("adam: beta1 must be in [0, 1), got 1");
    expect(() => sgd({ lr: 0.1, nesterov: true })).toThrow(
      "sgd: nesterov needs momentum > 0, got momentum=0",
    );
  });
});

describe("donate", () => {
  const grads = [f32([0.5, -1, 2]), f32([-0.25, 1, 0.125]), f32([1, 1, -3])];
  for (const opt of [adam({ lr: 0.1 }), sgd({ lr: 0.1, momentum: 0.9 }), rmsprop({ lr: 0.01 })]) {
    it(`${opt.name}: the same values, written into the given arrays, and without donate nothing given changes`, () => {
      let kept = { w: f32([1, -2, 3]) };
      let keptState = opt.init(kept);
      let given = { w: f32([1, -2, 3]) };
      let givenState = opt.init(given);
      for (const g of grads) {
        const before = { w: [...kept.w.data], state: structuredClone(keptState.buffers) };
        const k = opt.update({ w: g }, keptState, kept);
        expect([...kept.w.data]).toEqual(before.w);
        expect(keptState.buffers).toEqual(before.state);
        const d = opt.update({ w: g }, givenState, given, { donate: true });
        expect(d.params.w.data).toBe(given.w.data);
        for (const [name, byPath] of Object.entries(d.state.buffers)) {
          expect(byPath["w"]).toBe(givenState.buffers[name]?.["w"]);
        }
        expect([...d.params.w.data]).toEqual([...k.params.w.data]);
        expect(d.state.buffers).toEqual(k.state.buffers);
        ({ params: kept, state: keptState } = k);
        ({ params: given, state: givenState } = d);
      }
    });
  }
});

describe("schedules", () => {
  it("exponential decay, smooth and staircase", () => {
    const s = exponentialDecay(0.025, 0.99975);
    expect(s(0)).toBe(0.025);
    expect(s(1000)).toBeCloseTo(0.025 * 0.99975 ** 1000, 12);
    const stairs = exponentialDecay(1, 0.5, { transitionSteps: 10, staircase: true });
    expect([stairs(9), stairs(10), stairs(25)]).toEqual([1, 0.5, 0.25]);
  });

  it("step decay", () => {
    const s = stepDecay(1, 100, 0.1);
    expect([s(99), s(100), s(250)].map((v) => +v.toFixed(12))).toEqual([1, 0.1, 0.01]);
  });

  it("cosine with warm-up rises linearly, peaks, and decays to the final value", () => {
    const s = cosineWithWarmup({ peakLr: 1, warmupSteps: 10, decaySteps: 110, finalLr: 0.1 });
    expect(s(0)).toBe(0);
    expect(s(5)).toBe(0.5);
    expect(s(10)).toBe(1);
    expect(s(60)).toBeCloseTo(0.55, 12);
    expect(s(110)).toBeCloseTo(0.1, 12);
    expect(s(500)).toBeCloseTo(0.1, 12);
    expect(() => cosineWithWarmup({ peakLr: 1, warmupSteps: 10, decaySteps: 5 })).toThrow(
      "cosineWithWarmup: need 0 <= warmupSteps < decaySteps, got warmupSteps=10, decaySteps=5",
    );
  });
});

describe("clipping and penalties", () => {
  it("clips by global norm, leaving small gradients alone", () => {
    const g = { a: f64([3]), b: [f64([4])] };
    const { grads, norm } = clipByGlobalNorm(g, 1);
    expect(norm).toBe(5);
    expect(grads.a.data[0]).toBeCloseTo(0.6, 5);
    expect(grads.b[0]!.data[0]).toBeCloseTo(0.8, 5);
    expect(clipByGlobalNorm(g, 10).grads).toBe(g);
  });

  it("l2 penalty sums squares of selected leaves and has gradient 2 c w", () => {
    const params = { weight: f64([1, 2]), bias: f64([5]) };
    const { value, grads } = valueAndGrad((p: typeof params) => l2Penalty(p, 0.5, (path) => path !== "bias"))(
      params,
    );
    expect(value).toBe(2.5);
    expect(Array.from(grads.weight.data)).toEqual([1, 2]);
    expect(Array.from(grads.bias.data)).toEqual([0]);
  });
});
