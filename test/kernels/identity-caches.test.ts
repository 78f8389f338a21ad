/**
 * Adversarial checks of the work the kernels cache or defer by array identity (a forward's tape
 * kept in WASM memory for its backward, outputs only the backward reads, arrays reused once their
 * one reader is done, states read where a forward left them), through the public API: every
 * scenario is compared with a computation that caches nothing (each primitive alone in a fresh
 * setting, fresh copies of the arrays, or the step-by-step path).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  type GatedLayerParams,
  Rng,
  type Tensor,
  add,
  createBackend,
  fromData,
  getBackend,
  gru,
  gruLayer,
  gruReadout,
  hornLayer,
  hornLayerFinal,
  lstm,
  lstmLayer,
  lstmReadout,
  matmul,
  mul,
  randomNormal,
  rnnLayer,
  setBackend,
  sum,
  valueAndGrad,
} from "../../src/index.ts";

const before = getBackend();
afterEach(() => void setBackend(before));

const bits = (t: Tensor | undefined) => Array.from(t?.data ?? []);
const grads = (g: Record<string, Tensor>) =>
  Object.fromEntries(Object.entries(g).map(([k, t]) => [k, bits(t)]));
const normal = (seed: number, shape: number[], scale = 1) => {
  const t = randomNormal(Rng.fromSeed(seed), shape);
  return scale === 1 ? t : mul(t, scale);
};
const copy = (t: Tensor) => fromData(t.data.slice(), t.shape);

const [T, B, I, H, O] = [6, 5, 3, 8, 4];

/** A GRU with a folded readout: params, inputs and a target for its outputs. */
function gruCase(seed: number) {
  const cell = gru({ nIn: I, nHidden: H }).init(Rng.fromSeed(seed)) as GatedLayerParams;
  return {
    p: { ...cell, w: normal(seed + 1, [H, O], 0.3), b: normal(seed + 2, [O], 0.1) },
    x: normal(seed + 3, [T, B, I]),
    h0: normal(seed + 4, [B, H], 0.5),
    target: normal(seed + 5, [T, B, O]),
  };
}
type GruP = ReturnType<typeof gruCase>["p"];
const gruLoss = (c: ReturnType<typeof gruCase>) => (p: GruP) =>
  sum(mul(gruReadout(c.x, p, c.h0, { w: p.w, b: p.b }), c.target));

function lstmCase(seed: number) {
  const cell = lstm({ nIn: I, nHidden: H }).init(Rng.fromSeed(seed)) as GatedLayerParams;
  return {
    p: { ...cell, w: normal(seed + 1, [H, O], 0.3) },
    x: normal(seed + 3, [T, B, I]),
    h0: normal(seed + 4, [B, H], 0.5),
    c0: normal(seed + 6, [B, H], 0.5),
    target: normal(seed + 5, [T, B, O]),
  };
}
type LstmP = ReturnType<typeof lstmCase>["p"];
const lstmLoss = (c: ReturnType<typeof lstmCase>) => (p: LstmP) =>
  sum(mul(lstmReadout(c.x, p, c.h0, c.c0, { w: p.w }), c.target));

/** A leaky RNN layer whose states stay inside the primitive (`states: false`). */
function rnnCase(seed: number) {
  return {
    p: {
      wIn: normal(seed, [I, H], 0.5),
      b: normal(seed + 1, [H], 0.1),
      wRec: normal(seed + 2, [H, H], 0.3),
      wOut: normal(seed + 3, [H, O], 0.3),
      bOut: normal(seed + 4, [O], 0.1),
    },
    x: normal(seed + 5, [T, B, I]),
    h0: normal(seed + 6, [B, H], 0.5),
    target: normal(seed + 7, [T, B, O]),
  };
}
type RnnP = ReturnType<typeof rnnCase>["p"];
const rnnLoss = (c: ReturnType<typeof rnnCase>) => (p: RnnP) =>
  sum(mul(rnnLayer(c.x, p, c.h0, { alpha: 0.2, activation: "tanh", states: false }).ys, c.target));

/** A HORN layer read at its final state only. */
function hornCase(seed: number) {
  return {
    p: {
      wIh: normal(seed, [I, H], 0.5),
      bIh: normal(seed + 1, [H], 0.1),
      wHh: normal(seed + 2, [H, H], 0.3),
      bHh: normal(seed + 3, [H], 0.1),
      alpha: normal(seed + 4, [H], 0.1),
      omega: normal(seed + 5, [H], 0.1),
      gamma: normal(seed + 6, [H], 0.1),
      v: normal(seed + 7, [H], 0.1),
    },
    x: normal(seed + 8, [T, B, I]),
    s0: { x: normal(seed + 9, [B, H], 0.3), y: normal(seed + 10, [B, H], 0.3) },
    target: normal(seed + 11, [B, H]),
  };
}
type HornP = ReturnType<typeof hornCase>["p"];
const constantsOf = (p: HornP) => ({
  alpha: add(p.alpha, 1),
  omega: add(p.omega, 1),
  gamma: add(p.gamma, 0.5),
  v: p.v,
});
const hornLoss = (c: ReturnType<typeof hornCase>) => (p: HornP) => {
  const { x, y } = hornLayerFinal(c.x, p, constantsOf(p), c.s0, { gain: 0.5, dt: 0.5 });
  return add(sum(mul(x, c.target)), sum(mul(y, c.target)));
};

describe("deferred outputs and kept tapes, interleaved", () => {
  it("four fused primitives interleaved in one loss give each one's gradients alone, bit for bit", () => {
    const [g, l, r, h] = [gruCase(10), lstmCase(20), rnnCase(30), hornCase(40)];
    const alone = {
      g: grads(valueAndGrad(gruLoss(g))(g.p).grads),
      l: grads(valueAndGrad(lstmLoss(l))(l.p).grads),
      r: grads(valueAndGrad(rnnLoss(r))(r.p).grads),
      h: grads(valueAndGrad(hornLoss(h))(h.p).grads),
    };
    // Each forward gives the previous one's kept block up before that one's backward runs; the
    // GRU runs twice on the very same arrays (its gradient: twice the one alone, exactly).
    const mixed = valueAndGrad((p: { g: GruP; l: LstmP; r: RnnP; h: HornP }) =>
      add(
        add(add(gruLoss(g)(p.g), lstmLoss(l)(p.l)), add(rnnLoss(r)(p.r), hornLoss(h)(p.h))),
        gruLoss(g)(p.g),
      ),
    )({ g: g.p, l: l.p, r: r.p, h: h.p }).grads;
    const twice = (x: Record<string, number[]>) =>
      Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v.map((y) => 2 * y)]));
    expect(grads(mixed.g)).toEqual(twice(alone.g));
    expect(grads(mixed.l)).toEqual(alone.l);
    expect(grads(mixed.r)).toEqual(alone.r);
    expect(grads(mixed.h)).toEqual(alone.h);
  });

  it("the same gradient three times over, with other forwards of the same sizes between", () => {
    const [g, l, r, h] = [gruCase(11), lstmCase(21), rnnCase(31), hornCase(41)];
    const all = () => [
      grads(valueAndGrad(gruLoss(g))(g.p).grads),
      grads(valueAndGrad(lstmLoss(l))(l.p).grads),
      grads(valueAndGrad(rnnLoss(r))(r.p).grads),
      grads(valueAndGrad(hornLoss(h))(h.p).grads),
    ];
    const first = all();
    // Untraced forwards (an evaluation) in between take the same kept arrays.
    gruLoss(gruCase(12))(gruCase(12).p);
    lstmLoss(lstmCase(22))(lstmCase(22).p);
    rnnLoss(rnnCase(32))(rnnCase(32).p);
    hornLoss(hornCase(42))(hornCase(42).p);
    expect(all()).toEqual(first);
    expect(all()).toEqual(first);
  });

  it("a gradient taken inside the loss of another (independent parameters) changes neither", () => {
    const [g, l] = [gruCase(13), lstmCase(23)];
    const aloneG = grads(valueAndGrad(gruLoss(g))(g.p).grads);
    const aloneL = valueAndGrad(lstmLoss(l))(l.p);
    let inner: ReturnType<typeof aloneL.grads.wIh.data.slice> | undefined;
    const outer = valueAndGrad((p: GruP) => {
      const ys = gruReadout(g.x, p, g.h0, { w: p.w, b: p.b });
      // Between the GRU's forward and its backward: another layer's whole forward and backward.
      inner = valueAndGrad(lstmLoss(l))(l.p).grads.wIh.data.slice();
      return sum(mul(ys, g.target));
    })(g.p);
    expect(grads(outer.grads)).toEqual(aloneG);
    expect(Array.from(inner!)).toEqual(bits(aloneL.grads.wIh));
  });
});

describe("states handed out, read after the backward pass", () => {
  // Each layer's states, from its inputs; the loss reads them through products.
  const layers = [
    ["GRU", () => gruCase(50), (c: ReturnType<typeof gruCase>, p: GruP) => [gruLayer(c.x, p, c.h0)]],
    [
      "LSTM",
      () => lstmCase(60),
      (c: ReturnType<typeof lstmCase>, p: LstmP) => {
        const { hs, cs } = lstmLayer(c.x, p, c.h0, c.c0);
        return [hs, cs];
      },
    ],
    [
      "HORN",
      () => hornCase(70),
      (c: ReturnType<typeof hornCase>, p: HornP) => {
        const { xs, ys } = hornLayer(c.x, p, constantsOf(p), c.s0, { gain: 0.5, dt: 0.5 });
        return [xs, ys];
      },
    ],
  ] as const;
  it.each(layers)(
    "%s: states returned beside the loss read the same after the gradient, through a product too",
    (_, make, statesOf) => {
      const c = make() as never;
      const run = statesOf as (c: never, p: never) => Tensor[];
      const params = (c as { p: never }).p;
      const w = normal(55, [H, O]);
      const target = normal(56, [T, B, O]);
      // The references first, from fresh copies: the gradient's forward is the last to keep a block.
      const reference = run(c, params).map(copy);
      const products = reference.map((s) => bits(matmul(s, w)));
      const { aux } = valueAndGrad(
        (p: never) => {
          const states = run(c, p);
          return [
            states.map((s) => sum(mul(matmul(s, w), target))).reduce((a, b) => add(a, b)),
            states,
          ] as const;
        },
        { hasAux: true },
      )(params);
      // Read where the forward left them, if anywhere, after its backward ran there.
      expect(aux.map((s) => bits(matmul(s, w)))).toEqual(products);
      expect(aux.map(bits)).toEqual(reference.map(bits));
    },
  );
});

describe("arrays shared between inputs", () => {
  it("inputs that are views of one buffer, or one tensor in two places, give the values and gradients of fresh copies", () => {
    const l = lstmCase(80);
    const buffer = new Float32Array(T * B * I + 2 * B * H);
    buffer.set(l.x.data);
    buffer.set(l.h0.data, T * B * I);
    const x = fromData(buffer.subarray(0, T * B * I), [T, B, I]);
    const h0 = fromData(buffer.subarray(T * B * I, T * B * I + B * H), [B, H]);
    // h0 doubles as c0: the same tensor in two places.
    const viewed = valueAndGrad((p: LstmP) => sum(mul(lstmReadout(x, p, h0, h0, { w: p.w }), l.target)))(l.p);
    const fresh = valueAndGrad((p: LstmP) =>
      sum(mul(lstmReadout(copy(l.x), p, copy(l.h0), copy(l.h0), { w: p.w }), l.target)),
    )(l.p);
    expect(viewed.value).toBe(fresh.value);
    expect(grads(viewed.grads)).toEqual(grads(fresh.grads));
  });

  it("one buffer refilled between evaluations gives each batch's outputs", () => {
    const g = gruCase(90);
    const buffer = new Float32Array(T * B * I);
    const outs: number[][] = [];
    for (const seed of [91, 92, 91]) {
      buffer.set(normal(seed, [T, B, I]).data);
      outs.push(bits(gruReadout(fromData(buffer, [T, B, I]), g.p, g.h0, { w: g.p.w, b: g.p.b })));
    }
    const fresh = (seed: number) =>
      bits(gruReadout(normal(seed, [T, B, I]), g.p, g.h0, { w: g.p.w, b: g.p.b }));
    expect(outs).toEqual([fresh(91), fresh(92), fresh(91)]);
  });
});

describe("backends switched between a forward and its backward", () => {
  const cases = [
    ["GRU with a folded readout", gruCase, gruLoss],
    ["LSTM with a folded readout", lstmCase, lstmLoss],
    ["leaky RNN without states", rnnCase, rnnLoss],
    ["HORN final state", hornCase, hornLoss],
  ] as const;
  it.each(cases)("%s: the backward on another backend gives that backend's gradient", (_, make, lossOf) => {
    const gradsOf = (seed: number) => {
      const c = (make as (seed: number) => { p: Record<string, Tensor> })(seed);
      const loss = (lossOf as (c: unknown) => (p: Record<string, Tensor>) => Tensor)(c);
      return (wrap: (l: Tensor) => Tensor = (l) => l) =>
        grads(valueAndGrad((p: Record<string, Tensor>) => wrap(loss(p)))(c.p).grads);
    };
    for (const [first, second] of [
      ["wasm", "js"],
      ["wasm", "wasm-mt"],
      ["wasm-mt", "wasm"],
    ] as const) {
      const a = createBackend(first, { threads: 2 });
      const b = createBackend(second, { threads: 2 });
      // Other numbers of the same sizes first: the arrays reused from their passes hold them.
      setBackend("js");
      for (let i = 0; i < 3; i++) gradsOf(141 + i)();
      setBackend(a);
      const switched = gradsOf(140)((l) => (setBackend(b), l));
      const reference = gradsOf(140)();
      for (const k of Object.keys(reference)) {
        const [r, s] = [reference[k]!, switched[k]!];
        const worst = Math.max(...r.map((v, i) => Math.abs(v - s[i]!) / (1 + Math.abs(v))));
        expect(worst, `${first} then ${second}: ${k}`).toBeLessThan(1e-4);
      }
    }
  });
});
