import { afterEach, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  add,
  mul,
  randomNormal,
  rnnLayer,
  stopGradient,
  sum,
  valueAndGrad,
} from "../../index.ts";
import type { KernelBackend, RecurrenceForwardArgs } from "../../kernels/backend.ts";
import { createBackend, getBackend, setBackend } from "../../kernels/select.ts";

const before = getBackend();
afterEach(() => void setBackend(before));

/** A leaky ReLU layer's parameters of size `[T, B, H]` (rate order, alpha 0.2: it keeps `pre`). */
function layer(seed: number, T: number, B: number, H: number) {
  const rng = Rng.fromSeed(seed);
  return {
    x: randomNormal(rng, [T, B, 2]),
    wIn: randomNormal(rng, [2, H], 0.5),
    b: randomNormal(rng, [H], 0.1),
    wRec: randomNormal(rng, [H, H], 0.3),
    h0: randomNormal(rng, [B, H], 0.5),
    target: randomNormal(rng, [T, B, H]),
  };
}
type Layer = ReturnType<typeof layer>;

const states = (p: Layer) =>
  rnnLayer(p.x, { wIn: p.wIn, b: p.b, wRec: p.wRec }, p.h0, { alpha: 0.2, activation: "relu" }).hs;

/** The WASM backend on one thread, recording the `preInto` of every forward. */
function recording(): (Float32Array | undefined)[] {
  const seen: (Float32Array | undefined)[] = [];
  const wasm = createBackend("wasm");
  const spy: KernelBackend = {
    ...wasm,
    recurrenceForward: (a: RecurrenceForwardArgs) => {
      seen.push(a.preInto);
      return wasm.recurrenceForward(a);
    },
  };
  setBackend(spy);
  return seen;
}

it("a forward reuses the pre-activations of a finished backward pass of the same size, and no other", () => {
  const seen = recording();
  const loss = (p: Layer) => sum(mul(states(p), p.target));
  valueAndGrad(loss)(layer(1, 7, 3, 5));
  states(layer(2, 7, 3, 6)); // another size
  valueAndGrad(loss)(layer(3, 7, 3, 5));
  expect(seen[0]).toBeUndefined();
  expect(seen[1]).toBeUndefined();
  expect(seen[2]).toBeInstanceOf(Float32Array);
  expect(seen[2]).toHaveLength(7 * 3 * 5);
});

it("reuse changes no value or gradient, with other forwards of the same size between forward and backward", () => {
  recording();
  const [p, q] = [layer(4, 9, 2, 4), layer(5, 9, 2, 4)];
  const grads = (g: Record<string, Tensor>) => Object.values(g).map((t) => [...t.data]);
  const plain = valueAndGrad((l: Layer) => sum(mul(states(l), l.target)))(p);
  // Each step runs, inside its loss and after the traced forward, an untraced forward of the same
  // size: were the traced one's pre-activations given up before its backward pass, it would take
  // and overwrite them.
  const meddling = (l: Layer) => {
    const hs = states(l);
    const other = states({ ...q, wRec: stopGradient(q.wRec) });
    return add(sum(mul(hs, l.target)), mul(sum(other), 0));
  };
  for (let step = 0; step < 3; step++) {
    const again = valueAndGrad(meddling)(p);
    expect(again.value).toBe(plain.value);
    expect(grads(again.grads)).toEqual(grads(plain.grads));
  }
});
