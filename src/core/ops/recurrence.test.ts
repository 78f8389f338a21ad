import { afterEach, expect, it } from "vitest";
import { Rng, type Tensor, mul, randomNormal, rnnLayer, sum, valueAndGrad } from "../../index.ts";
import type { RecurrenceForwardArgs } from "../../kernels/backend.ts";
import { createBackend, getBackend, setBackend } from "../../kernels/select.ts";
import { testReuse } from "./test-util.ts";

/** A leaky ReLU layer (rate order, alpha 0.2: it keeps `pre`) of size `[T, B, H]`, with a readout `[H, 2]`. */
function layer(seed: number, T: number, B: number, H: number) {
  const rng = Rng.fromSeed(seed);
  return {
    x: randomNormal(rng, [T, B, 2]),
    wIn: randomNormal(rng, [2, H], 0.5),
    b: randomNormal(rng, [H], 0.1),
    wRec: randomNormal(rng, [H, H], 0.3),
    h0: randomNormal(rng, [B, H], 0.5),
    target: randomNormal(rng, [T, B, H]),
    wOut: randomNormal(rng, [H, 2], 0.3),
    bOut: randomNormal(rng, [2], 0.1),
    yTarget: randomNormal(rng, [T, B, 2]),
  };
}
type Layer = ReturnType<typeof layer>;

testReuse({
  kernel: "recurrenceForward",
  into: (a) => a.preInto,
  what: "pre-activations",
  perState: 1,
  layer,
  states: (p) =>
    rnnLayer(p.x, { wIn: p.wIn, b: p.b, wRec: p.wRec }, p.h0, { alpha: 0.2, activation: "relu" }).hs,
});

const before = getBackend();
afterEach(() => void setBackend(before));

/** The WASM backend on one thread, recording the arguments of every recurrence forward. */
function recording(): RecurrenceForwardArgs[] {
  const seen: RecurrenceForwardArgs[] = [];
  const wasm = createBackend("wasm");
  setBackend({
    ...wasm,
    recurrenceForward: (a: RecurrenceForwardArgs) => {
      seen.push(a);
      return wasm.recurrenceForward(a);
    },
  });
  return seen;
}

/** The layer's readout only: the states stay inside (`states: false`). */
const readoutOnly = (p: Layer) =>
  rnnLayer(p.x, p, p.h0, { alpha: 0.2, activation: "relu", states: false }).ys;
const readoutLoss = (p: Layer) => sum(mul(readoutOnly(p), p.yTarget));

it("states: false gives the same readout and gradients as the states-returning layer, and reuses its states array", () => {
  const seen = recording();
  const p = layer(6, 8, 3, 5);
  const returning = valueAndGrad((l: Layer) => {
    const { ys } = rnnLayer(l.x, l, l.h0, { alpha: 0.2, activation: "relu" });
    return sum(mul(ys as Tensor, l.yTarget));
  })(p);
  const grads = (g: Record<string, Tensor>) => Object.values(g).map((t) => [...t.data]);
  for (let step = 0; step < 3; step++) {
    const own = valueAndGrad(readoutLoss)(p);
    expect(own.value).toBe(returning.value);
    expect(grads(own.grads)).toEqual(grads(returning.grads));
  }
  // The first call returned its states; the first states: false forward had nothing to reuse.
  expect(seen.map((a) => a.hsInto !== undefined)).toEqual([false, false, true, true]);
  for (const a of seen) if (a.hsInto) expect(a.hsInto).not.toBe(a.preInto);
});

it("a reused array never backs a tensor a caller holds", () => {
  recording();
  // A caller keeps the states and the readout of a differentiated call (as aux) ...
  const { aux } = valueAndGrad(
    (l: Layer) => {
      const { hs, ys } = rnnLayer(l.x, l, l.h0, { alpha: 0.2, activation: "relu" });
      return [sum(mul(ys as Tensor, l.yTarget)), { hs, ys: ys as Tensor }] as const;
    },
    { hasAux: true },
  )(layer(7, 6, 2, 4));
  const kept = { hs: [...aux.hs.data], ys: [...aux.ys.data] };
  // ... then trains a same-sized layer with states: false, whose forwards take every spare array
  // there is, and whose own states are reused from step to step.
  const q = layer(8, 6, 2, 4);
  for (let step = 0; step < 4; step++) valueAndGrad(readoutLoss)(q);
  // What the caller holds is untouched, and the readout of states: false is the caller's too.
  expect([...aux.hs.data]).toEqual(kept.hs);
  expect([...aux.ys.data]).toEqual(kept.ys);
  const ys = readoutOnly(q);
  const copy = [...ys.data];
  for (let step = 0; step < 2; step++) valueAndGrad(readoutLoss)(q);
  expect([...ys.data]).toEqual(copy);
});

it("states: false needs a readout", () => {
  const p = layer(9, 3, 2, 4);
  const noReadout = { wIn: p.wIn, b: p.b, wRec: p.wRec };
  expect(() => rnnLayer(p.x, noReadout, p.h0, { states: false })).toThrow(
    /rnnLayer: states: false needs a readout/,
  );
});
