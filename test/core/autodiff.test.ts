import { describe, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  add,
  cast,
  customVjp,
  exp,
  greater,
  grad,
  matmul,
  mul,
  randomNormal,
  recurrence,
  rnnLayer,
  scan,
  sliceAxis,
  stopGradient,
  sum,
  tanh,
  tensor,
  unstack,
  valueAndGrad,
  zeros,
} from "../../src/index.ts";
import { checkGradients } from "./gradcheck.ts";

const f64 = "float64" as const;

describe("valueAndGrad", () => {
  it("returns the value and a gradient tree with the parameters' structure", () => {
    const params = { w: tensor([1, 2, 3]), layers: [{ b: tensor([[4]]) }] };
    const f = (p: typeof params) => add(sum(mul(p.w, p.w)), sum(p.layers[0]!.b));
    const { value, grads } = valueAndGrad(f)(params);
    expect(value).toBe(1 + 4 + 9 + 4);
    expect(grads.w.toArray()).toEqual([2, 4, 6]);
    expect(grads.layers[0]!.b.toArray()).toEqual([[1]]);
  });

  it("gives zeros for parameters the value does not depend on, and passes aux through", () => {
    const f = (p: { a: Tensor; unused: Tensor }) => [sum(p.a), "aux"] as const;
    const { grads, aux } = valueAndGrad(f, { hasAux: true })({ a: tensor([1, 2]), unused: tensor([5, 6]) });
    expect(grads.unused.toArray()).toEqual([0, 0]);
    expect(aux).toBe("aux");
  });

  it("accumulates gradients when a tensor is used several times", () => {
    const g = grad((p: { x: Tensor }) => sum(mul(exp(p.x), p.x)))({ x: tensor([0, 1]) });
    // d/dx (x e^x) = e^x (1 + x)
    expect(g.x.data[0]).toBeCloseTo(1, 6);
    expect(g.x.data[1]).toBeCloseTo(2 * Math.E, 5);
  });

  it("gives each caller its own list of a primitive's outputs: emptying it changes no gradient", () => {
    // The node reads its outputs from its own list; a caller's list is a copy it may rearrange.
    const f = (p: { x: Tensor }) => {
      const rows = unstack(p.x, 0);
      const second = rows[1] as Tensor;
      rows.length = 0;
      return sum(mul(second, tensor([1, 10])));
    };
    const g = grad(f)({
      x: tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    });
    expect(g.x.toArray()).toEqual([
      [0, 0],
      [1, 10],
      [0, 0],
    ]);
  });

  it("sums cotangents in place without changing one a derivative handed to two inputs", () => {
    // add's derivative hands the same g to a and b; a then gets a second term, summed in place.
    const f = (p: { a: Tensor; b: Tensor }) => {
      const t = mul(p.a, tensor([10, 20]));
      const s = add(p.a, p.b);
      return add(sum(mul(s, tensor([1, 2]))), sum(t));
    };
    const g = grad(f)({ a: tensor([1, 1]), b: tensor([1, 1]) });
    expect(g.a.toArray()).toEqual([11, 22]);
    expect(g.b.toArray()).toEqual([1, 2]);
  });

  it("adds the gradients of slices and of a weight used by several products into one sum", () => {
    // The pattern of a gated cell under scan: a float32 weight in a matmul at every step, its
    // output cut into blocks; the float64 run (no in-place products) is the reference.
    const rng = Rng.fromSeed(3);
    const params = { w: randomNormal(rng, [4, 6]), h: randomNormal(rng, [2, 4]) };
    const f = (p: typeof params) => {
      let h = p.h;
      let total = sum(h);
      for (let t = 0; t < 3; t++) {
        const y = matmul(h, p.w);
        const [u, v] = [sliceAxis(y, -1, 0, 4), sliceAxis(y, -1, 2, 6)];
        h = tanh(add(mul(u, v), h));
        total = add(total, sum(mul(u, h)));
      }
      return total;
    };
    const g32 = grad(f)(params);
    const g64 = grad(f)({ w: cast(params.w, f64), h: cast(params.h, f64) });
    for (const k of ["w", "h"] as const) {
      g32[k].data.forEach((v, i) => expect(v).toBeCloseTo(g64[k].data[i] as number, 5));
    }
  });

  it("stops gradients at stopGradient", () => {
    const g = grad((p: { x: Tensor }) => sum(mul(stopGradient(p.x), p.x)))({ x: tensor([3]) });
    expect(g.x.toArray()).toEqual([3]);
  });

  it("uses a custom derivative instead of the forward's own (spike surrogate)", () => {
    const spike = customVjp(
      "spike",
      (v) => greater(v, 0),
      (g, [v]) => [mul(g, exp(mul(v!, v!)))],
    );
    const { value, grads } = valueAndGrad((p: { v: Tensor }) => sum(spike(p.v)))({ v: tensor([-1, 0.5, 2]) });
    expect(value).toBe(2);
    expect(Array.from(grads.v.data)).toEqual(
      Array.from(new Float32Array([Math.E, Math.exp(0.25), Math.exp(4)])),
    );
  });

  it("refuses a function that does not return one element, naming what it got", () => {
    expect(() => valueAndGrad((p: { x: Tensor }) => mul(p.x, 2))({ x: tensor([1, 2]) })).toThrow(
      "valueAndGrad: the function must return a one-element tensor, got shape [2]",
    );
  });
});

describe("scan", () => {
  const rng = Rng.fromSeed(3);
  const params = {
    w: randomNormal(rng, [4, 4], 0.5, 0, f64),
    xs: randomNormal(rng, [12, 2, 4], 1, 0, f64),
    h0: randomNormal(rng, [2, 4], 1, 0, f64),
  };
  const run = (p: typeof params, checkpoint?: number) =>
    scan(
      (h: Tensor, x: Tensor) => {
        const next = tanh(add(matmul(h, p.w), x));
        return [next, mul(next, next)] as const;
      },
      p.h0,
      p.xs,
      checkpoint === undefined ? {} : { checkpoint },
    );

  it("stacks outputs along a new time axis and returns the last carry", () => {
    const [hT, ys] = run(params);
    expect(ys.shape).toEqual([12, 2, 4]);
    expect(hT.shape).toEqual([2, 4]);
  });

  it("has BPTT gradients that match finite differences", () => {
    checkGradients((p: typeof params) => add(sum(run(p)[1]), sum(run(p)[0])), params);
  });

  for (const checkpoint of [1, 4, 5]) {
    it(`gives the same values and gradients with checkpoint segments of ${checkpoint}`, () => {
      const loss = (c?: number) => (p: typeof params) => {
        const [hT, ys] = run(p, c);
        return add(sum(mul(ys, ys)), sum(hT));
      };
      const full = valueAndGrad(loss())(params);
      const remat = valueAndGrad(loss(checkpoint))(params);
      expect(remat.value).toBeCloseTo(full.value, 12);
      for (const k of ["w", "xs", "h0"] as const) {
        const a = Array.from(remat.grads[k].data);
        const b = Array.from(full.grads[k].data);
        a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 10));
      }
    });
  }

  it("runs without inputs given a length", () => {
    const [c, ys] = scan((c: Tensor) => [add(c, 1), c] as const, zeros([1]), null, { length: 3 });
    expect(c.toArray()).toEqual([3]);
    expect(ys.toArray()).toEqual([[0], [1], [2]]);
  });

  it("rejects inputs whose leaves disagree on the number of steps", () => {
    expect(() =>
      scan((c: Tensor, x: { a: Tensor; b: Tensor }) => [c, x.a] as const, zeros([1]), {
        a: zeros([3, 1]),
        b: zeros([4, 1]),
      }),
    ).toThrow("scan: every input leaf must have 3 steps on axis 0, got shape [4, 1] at 'b'");
  });
});

describe("the fused recurrence", () => {
  const rng = Rng.fromSeed(9);
  for (const order of ["rate", "current"] as const) {
    for (const activation of ["relu", "tanh"] as const) {
      it(`equals the generic scan path in values and gradients (${activation}, ${order})`, () => {
        const p = {
          d: randomNormal(rng, [20, 3, 8]),
          w: randomNormal(rng, [8, 8], 0.4),
          h0: randomNormal(rng, [8], 0.5),
        };
        const target = randomNormal(rng, [20, 3, 8]);
        const loss = (fused: boolean) => (q: typeof p) =>
          sum(mul(recurrence(q.d, q.w, q.h0, { alpha: 0.2, activation, order, fused }), target));
        const a = valueAndGrad(loss(true))(p);
        const b = valueAndGrad(loss(false))(p);
        expect(a.value).toBeCloseTo(b.value, 3);
        for (const k of ["d", "w", "h0"] as const) {
          const x = a.grads[k].data;
          const y = b.grads[k].data;
          for (let i = 0; i < x.length; i++) {
            expect(Math.abs((x[i] as number) - (y[i] as number))).toBeLessThan(
              1e-4 * (1 + Math.abs(y[i] as number)),
            );
          }
        }
      });
    }
  }
});

describe("the fused RNN layer (input projection, recurrence, readout)", () => {
  const rng = Rng.fromSeed(10);
  const cases = [
    { label: "with a readout, noise drive and traced inputs", readout: true, drive: true, traceX: true },
    { label: "without a readout", readout: false, drive: false, traceX: false },
  ];
  for (const c of cases) {
    it(`equals matmul + recurrence + matmul in values and gradients (${c.label})`, () => {
      const [T, B, I, H, O] = [12, 5, 3, 8, 2];
      const p = {
        wIn: randomNormal(rng, [I, H], 0.5),
        b: randomNormal(rng, [H], 0.1),
        wRec: randomNormal(rng, [H, H], 0.4),
        h0: randomNormal(rng, [H], 0.5),
        wOut: randomNormal(rng, [H, O], 0.5),
        bOut: randomNormal(rng, [O], 0.1),
        x: randomNormal(rng, [T, B, I]),
        noise: randomNormal(rng, [T, B, H], 0.2),
      };
      const hTarget = randomNormal(rng, [T, B, H]);
      const yTarget = randomNormal(rng, [T, B, O]);
      const loss = (fused: boolean) => (q: typeof p) => {
        const x = c.traceX ? q.x : stopGradient(q.x);
        const { hs, ys } = rnnLayer(
          x,
          { wIn: q.wIn, b: q.b, wRec: q.wRec, ...(c.readout ? { wOut: q.wOut, bOut: q.bOut } : {}) },
          q.h0,
          { alpha: 0.2, activation: "tanh", fused, ...(c.drive ? { drive: q.noise } : {}) },
        );
        const onH = sum(mul(hs, hTarget));
        return ys ? add(onH, sum(mul(ys, yTarget))) : onH;
      };
      const a = valueAndGrad(loss(true))(p);
      const b = valueAndGrad(loss(false))(p);
      expect(a.value).toBeCloseTo(b.value, 3);
      for (const [k, g] of Object.entries(a.grads)) {
        const ref = b.grads[k as keyof typeof p].data;
        const reached: Record<string, boolean> = {
          x: c.traceX,
          noise: c.drive,
          wOut: c.readout,
          bOut: c.readout,
        };
        expect(
          g.data.some((v) => v !== 0),
          `${k} has a gradient`,
        ).toBe(reached[k] ?? true);
        for (let i = 0; i < ref.length; i++) {
          expect(Math.abs((g.data[i] as number) - (ref[i] as number)), `${k}[${i}]`).toBeLessThan(
            1e-4 * (1 + Math.abs(ref[i] as number)),
          );
        }
      }
    });
  }

  it("rejects a readout with wOut but no bOut, and mismatched shapes, by name", () => {
    const [x, wIn, b, wRec, h0] = [zeros([4, 2, 3]), zeros([3, 5]), zeros([5]), zeros([5, 5]), zeros([5])];
    expect(() => rnnLayer(x, { wIn, b, wRec, wOut: zeros([5, 2]) }, h0)).toThrow(
      "rnnLayer: the readout needs both wOut and bOut, got only wOut",
    );
    expect(() => rnnLayer(x, { wIn: zeros([2, 5]), b, wRec }, h0)).toThrow(
      "rnnLayer: wIn must be [I, H] = [3, 5], got [2, 5]",
    );
    expect(() => rnnLayer(x, { wIn, b, wRec }, h0, { drive: zeros([4, 2, 4]) })).toThrow(
      "rnnLayer: drive must be [T, B, H] = [4, 2, 5], got [4, 2, 4]",
    );
    expect(() => rnnLayer(x, { wIn, b, wRec, wOut: zeros([4, 2]), bOut: zeros([2]) }, h0)).toThrow(
      "rnnLayer: wOut must be [H, O] with H = 5, got [4, 2]",
    );
  });
});
