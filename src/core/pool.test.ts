import { afterEach, describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { grad, valueAndGrad } from "./autodiff.ts";
import { createWasmBackend } from "../kernels/index.ts";
import type { GatedForwardArgs, RecurrenceForwardArgs } from "../kernels/backend.ts";
import { configurePool, givePooled, pooledBuffers, takePooled } from "./pool.ts";
import { scan } from "./scan.ts";
import { type Tensor, randomNormal, zeros } from "./tensor.ts";
import { customVjp } from "./ops/custom.ts";
import { add, exp, maximum, mul, sigmoid, sub, tanh, where, greater, div } from "./ops/elementwise.ts";
import { concat, reshape, sliceAxis } from "./ops/layout.ts";
import { matmul } from "./ops/matmul.ts";
import { sum } from "./ops/reduce.ts";
import { spares } from "./ops/spares.ts";

type P = { w: Tensor; u: Tensor; b: Tensor; x: Tensor };

/** Pooled sizes: every buffer here has at least 64 elements. */
function params(seed: number, dtype: "float32" | "float64" = "float32"): P {
  const rng = Rng.fromSeed(seed);
  return {
    w: randomNormal(rng, [16, 24], 0.3, 0, dtype),
    u: randomNormal(rng, [8, 24], 0.3, 0, dtype),
    b: randomNormal(rng, [24], 0.3, 0, dtype),
    x: randomNormal(rng, [6, 8, 16], 1, 0, dtype),
  };
}

/** A GRU-like step written from primitives: slices, a bias, shared operands, a sum of one tensor with itself. */
function cell(p: P, h: Tensor, x: Tensor): Tensor {
  const pre = add(add(matmul(x, p.w), p.b), concat([h, h, h], -1));
  const [r, z, n] = [0, 1, 2].map((g) => sliceAxis(pre, -1, g * 8, (g + 1) * 8)) as [Tensor, Tensor, Tensor];
  const gate = sigmoid(add(r, r));
  const cand = tanh(add(n, mul(gate, sliceAxis(matmul(h, p.u), -1, 0, 8))));
  return add(mul(sub(1, sigmoid(z)), cand), mul(sigmoid(z), h));
}

const losses: ReadonlyArray<[string, (p: P) => Tensor]> = [
  [
    "a cell run by scan",
    (p) => sum(scan((h: Tensor, x: Tensor) => [cell(p, h, x), h] as const, zeros([8, 8]), p.x)[0]),
  ],
  [
    "a cell run by a checkpointed scan",
    (p) =>
      sum(
        scan((h: Tensor, x: Tensor) => [cell(p, h, x), h] as const, zeros([8, 8]), p.x, { checkpoint: 2 })[1],
      ),
  ],
  [
    "shared cotangents, maxima and selections",
    (p) => {
      const y = matmul(reshape(p.x, [48, 16]), p.w);
      const s = add(y, y);
      return sum(mul(where(greater(s, 0), maximum(s, exp(div(y, 4))), mul(y, y)), add(p.b, p.b)));
    },
  ],
];

/** The gradient tree's values, copied out. */
const values = (g: P) => Object.fromEntries(Object.entries(g).map(([k, t]) => [k, Array.from(t.data)]));

afterEach(() => configurePool({ on: true, poisoned: false }));

describe("the buffer pool of the reverse pass", () => {
  it.each(losses)("recycles buffers without changing a gradient (%s)", (_name, loss) => {
    for (const dtype of ["float32", "float64"] as const) {
      configurePool({ on: false });
      const expected = values(grad(loss)(params(1, dtype)));
      // Poisoned: a recycled buffer is filled with NaN, so any tensor still reading one shows it.
      configurePool({ on: true, poisoned: true });
      const first = grad(loss)(params(1, dtype));
      const kept = values(first);
      expect(pooledBuffers()).toBeGreaterThan(0);
      // Passes that allocate from the pool the buffers the first one gave back, and give more.
      for (let i = 0; i < 3; i++) expect(values(grad(loss)(params(1, dtype)))).toEqual(expected);
      expect(kept).toEqual(expected);
      // The first pass's gradients were never recycled: their buffers still hold their values.
      expect(values(first)).toEqual(expected);
    }
  });

  it("never recycles a cotangent a user's derivative saw, nor what it returned", () => {
    const seen: Tensor[] = [];
    const returned: Tensor[] = [];
    const keep = customVjp(
      "keep",
      (x) => mul(x, 1),
      (g) => {
        seen.push(g);
        const d = mul(g, 2);
        returned.push(d);
        return [d];
      },
    );
    const loss = (p: P) => sum(mul(tanh(keep(mul(p.w, 3))), p.w));
    configurePool({ on: true, poisoned: true });
    grad(loss)(params(2));
    const [g0, d0] = [Array.from(seen[0]!.data), Array.from(returned[0]!.data)];
    expect(g0.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 3; i++) grad(loss)(params(3 + i));
    expect(Array.from(seen[0]!.data)).toEqual(g0);
    expect(Array.from(returned[0]!.data)).toEqual(d0);
  });

  it("never recycles the forward values, the value or the auxiliary outputs", () => {
    configurePool({ on: true, poisoned: true });
    const p = params(4);
    const f = (q: P) => {
      const h = tanh(matmul(reshape(q.x, [48, 16]), q.w));
      return [sum(mul(h, h)), h] as const;
    };
    const { aux } = valueAndGrad(f, { hasAux: true })(p);
    const before = Array.from(aux.data);
    for (let i = 0; i < 3; i++) valueAndGrad(f, { hasAux: true })(params(5 + i));
    expect(Array.from(aux.data)).toEqual(before);
    expect(before.every(Number.isFinite)).toBe(true);
  });
});

describe("a bias's gradient, added into its sum", () => {
  it("equals the sum of the cotangent's rows bit for bit (float32 and float64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const rng = Rng.fromSeed(7);
      const x = randomNormal(rng, [40, 24], 1, 0, dtype);
      const c = randomNormal(rng, [40, 24], 1, 0, dtype);
      const g = grad((p: { b: Tensor; b2: Tensor }) => sum(mul(add(add(x, p.b), p.b2), c)))({
        b: randomNormal(rng, [24], 1, 0, dtype),
        b2: randomNormal(rng, [1, 24], 1, 0, dtype),
      });
      expect(Array.from(g.b.data)).toEqual(Array.from(sum(c, 0).data));
      expect(Array.from(g.b2.data)).toEqual(Array.from(sum(c, 0).data));
    }
  });
});

// The WASM kernels find what a forward left in their memory by the arrays it returned and read
// (resident.ts): an array handed out again, with other floats, must not be read as the old ones.
describe("an array the pool or a primitive's spares hand out again", () => {
  const backend = createWasmBackend({ threads: 1 });
  const floats = (n: number, seed: number) => {
    const rng = Rng.fromSeed(seed);
    return Float32Array.from({ length: n }, () => rng.uniform() - 0.5);
  };
  /** `array` given to the pool and taken back out (the very array), with other floats. */
  const recycled = (array: Float32Array, seed: number) => {
    configurePool({ on: true });
    givePooled(array);
    const again = takePooled("float32", array.length, false);
    expect(again, "the same array back").toBe(array);
    array.set(floats(array.length, seed));
  };
  const [T, B, I, H] = [3, 16, 10, 20];
  const gruArgs = (seed: number): GatedForwardArgs => ({
    cell: "gru",
    T,
    B,
    I,
    H,
    x: floats(T * B * I, seed),
    wIh: floats(I * 3 * H, seed + 1),
    wHh: floats(H * 3 * H, seed + 2),
    bIh: floats(3 * H, seed + 3),
    bHh: floats(3 * H, seed + 4),
    h0: floats(B * H, seed + 5),
    c0: null,
  });

  it("is read anew by a product, not where a forward left its old floats", () => {
    const gru = gruArgs(1);
    const { hs } = backend.gatedForward(gru);
    const w = floats(H * 7, 7);
    const times = (a: Float32Array) => {
      const c = new Float32Array(T * B * 7);
      backend.gemm(false, false, T * B, 7, H, 1, a, w, 0, c);
      return c;
    };
    recycled(hs, 8);
    expect(times(hs)).toEqual(times(hs.slice()));
  });

  it.each(["hs", "pre", "h0"] as const)("reads a recycled %s anew in the recurrence's backward", (name) => {
    const a: RecurrenceForwardArgs = {
      T,
      B,
      H,
      drive: floats(T * B * H, 10),
      wRec: floats(H * H, 11),
      h0: floats(B * H, 12),
      alpha: 0.2,
      activation: "relu",
      order: "rate",
    };
    const out = backend.recurrenceForward(a);
    const own = { ...a, ...out, dHs: floats(T * B * H, 13) };
    recycled(own[name], 14);
    const copies = { ...own, hs: own.hs.slice(), pre: own.pre.slice(), h0: own.h0.slice() };
    expect(backend.recurrenceBackward(own)).toEqual(backend.recurrenceBackward(copies));
  });

  it("reads gates kept as a spare and written again anew in the GRU's backward", () => {
    const gru = gruArgs(20);
    const out = backend.gatedForward(gru);
    const kept = spares();
    kept.keep(out.gates);
    const gates = kept.take(out.gates.length)!;
    expect(gates).toBe(out.gates);
    gates.set(floats(gates.length, 26));
    const own = { ...gru, ...out, dHs: floats(T * B * H, 27), dCs: null };
    const copies = { ...own, hs: own.hs.slice(), gates: gates.slice(), h0: own.h0.slice(), x: own.x.slice() };
    expect(backend.gatedBackward(own)).toEqual(backend.gatedBackward(copies));
  });
});
