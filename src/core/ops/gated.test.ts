import { afterEach, describe, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  add,
  gruLayer,
  gruReadout,
  lstmLayer,
  lstmReadout,
  matmul,
  mul,
  randomNormal,
  sum,
  valueAndGrad,
} from "../../index.ts";
import { createBackend, getBackend, setBackend } from "../../kernels/select.ts";
import { createWasmBackend } from "../../kernels/index.ts";
import { checkGradients } from "../../../test/core/gradcheck.ts";
import { toFloat64 } from "../../../test/models/helpers.ts";
import { testReuse } from "./test-util.ts";

/** A GRU or LSTM layer with a readout of `O` outputs (bias optional), and a target for its readout. */
function layer(cell: "gru" | "lstm", seed: number, T: number, B: number, H: number, O: number) {
  const rng = Rng.fromSeed(seed);
  const G = cell === "gru" ? 3 : 4;
  return {
    x: randomNormal(rng, [T, B, 2]),
    wIh: randomNormal(rng, [2, G * H], 0.5),
    wHh: randomNormal(rng, [H, G * H], 0.3),
    bIh: randomNormal(rng, [G * H], 0.1),
    bHh: randomNormal(rng, [G * H], 0.1),
    h0: randomNormal(rng, [B, H], 0.5),
    c0: randomNormal(rng, [B, H], 0.5),
    w: randomNormal(rng, [H, O], 0.4),
    b: randomNormal(rng, [O], 0.2),
    target: randomNormal(rng, [T, B, O]),
  };
}
type Layer = ReturnType<typeof layer>;

// The arrays a forward reuses: the gates always, the states under a folded readout (O = H outputs,
// so the targets are [T, B, H] as the states').
const reused = (cell: "gru" | "lstm") => (seed: number, T: number, B: number, H: number) =>
  layer(cell, seed, T, B, H, H);
testReuse({
  kernel: "gatedForward",
  into: (a) => a.gatesInto,
  what: "gates",
  perState: 4,
  layer: reused("gru"),
  states: (p) => gruLayer(p.x, p, p.h0),
});
testReuse({
  kernel: "gatedForward",
  into: (a) => a.hsInto,
  what: "states under a folded readout",
  perState: 1,
  layer: reused("lstm"),
  states: (p) => lstmReadout(p.x, p, p.h0, p.c0, { w: p.w, b: p.b }),
});

/** The folded readout, with or without its bias. */
const folded = (cell: "gru" | "lstm", bias: boolean) => (p: Layer) => {
  const readout = bias ? { w: p.w, b: p.b } : { w: p.w };
  return cell === "gru" ? gruReadout(p.x, p, p.h0, readout) : lstmReadout(p.x, p, p.h0, p.c0, readout);
};

/** The same as separate operations: the layer's states, a product and the bias added. */
const composed = (cell: "gru" | "lstm", bias: boolean) => (p: Layer) => {
  const hs = cell === "gru" ? gruLayer(p.x, p, p.h0) : lstmLayer(p.x, p, p.h0, p.c0).hs;
  const y = matmul(hs, p.w);
  return bias ? add(y, p.b) : y;
};

const BACKENDS = [
  ["the WASM backend, 1 thread", () => createBackend("wasm")],
  ["the WASM backend without relaxed SIMD", () => createWasmBackend({ relaxedSimd: false })],
  [
    "the WASM backend's pool, every call on the pool",
    () => createWasmBackend({ threads: 2, minParallelFlops: 0 }),
  ],
  ["the TypeScript backend", () => createBackend("js")],
] as const;

describe("a gated layer with its readout folded in", () => {
  const before = getBackend();
  afterEach(() => void setBackend(before));

  describe.each(["gru", "lstm"] as const)("%s", (cell) => {
    it.each(BACKENDS)(
      "has the values and gradients of the layer then the readout, bit for bit, on %s",
      (name, make) => {
        // Which forwards the backend computed the readout of (the WASM kernels do for O < 8 with
        // H ≥ 8 and T·B ≥ 4: the first shape is not one of them, the others are).
        const backend = make();
        const computed: boolean[] = [];
        setBackend({
          ...backend,
          gatedForward: (a) => {
            const r = backend.gatedForward(a);
            if (a.readout) computed.push(r.ys !== undefined);
            return r;
          },
        });
        // [T, B, H, O]: H = 13 leaves a lane tail; T·B = 8 with H ≥ 16 takes the swapped product.
        const shapes = [
          [6, 5, 7, 3],
          [6, 5, 13, 3],
          [2, 4, 17, 1],
          [3, 2, 12, 7],
        ] as const;
        for (const [T, B, H, O] of shapes) {
          for (const bias of [true, false]) {
            // Twice: the second call runs on arrays the first one's backward pass gave back.
            for (const seed of [1, 2]) {
              const p = layer(cell, seed, T, B, H, O);
              const loss = (f: (p: Layer) => Tensor) => (q: Layer) => sum(mul(f(q), q.target));
              const a = valueAndGrad(loss(folded(cell, bias)))(p);
              const b = valueAndGrad(loss(composed(cell, bias)))(p);
              expect(a.value).toBe(b.value);
              const grads = (g: Record<string, Tensor>) =>
                Object.fromEntries(Object.entries(g).map(([k, t]) => [k, [...t.data]]));
              expect(grads(a.grads as Record<string, Tensor>)).toEqual(
                grads(b.grads as Record<string, Tensor>),
              );
              expect([...folded(cell, bias)(p).data]).toEqual([...composed(cell, bias)(p).data]);
            }
          }
        }
        const wasm = !name.includes("TypeScript");
        expect(computed).toEqual(shapes.flatMap(([, , H]) => Array<boolean>(8).fill(wasm && H >= 8)));
      },
    );

    it("has float64 gradients that match finite differences", () => {
      const p = toFloat64(layer(cell, 3, 4, 2, 3, 2));
      checkGradients(folded(cell, true), p, {
        rtol: 1e-5,
        atol: 1e-6,
      });
    });
  });

  it("checks the readout's shapes", () => {
    const p = layer("gru", 1, 3, 2, 4, 2);
    expect(() => gruReadout(p.x, p, p.h0, { w: p.wHh })).not.toThrow();
    expect(() => gruReadout(p.x, p, p.h0, { w: p.target })).toThrow(/gruLayer: readout w must be/);
    expect(() => gruReadout(p.x, p, p.h0, { w: p.w, b: p.h0 })).toThrow(/gruLayer: readout b must be/);
  });
});
