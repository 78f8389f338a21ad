import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { valueAndGrad } from "./autodiff.ts";
import { scan } from "./scan.ts";
import { withSlabs } from "./slab.ts";
import { configurePool } from "./pool.ts";
import { stack, unstack } from "./ops/layout.ts";
import { type Tensor, allocate, randomNormal, zeros } from "./tensor.ts";
import { add, mul, tanh } from "./ops/elementwise.ts";
import { matmul } from "./ops/matmul.ts";
import { sum } from "./ops/reduce.ts";

describe("slabs", () => {
  it("cut side-by-side arrays that never overlap, zero-filled, float64 ones on 8-byte boundaries", () => {
    const arrays = withSlabs(() =>
      Array.from({ length: 300 }, (_, i) =>
        allocate(i % 3 === 0 ? "float64" : "float32", 1 + ((i * 37) % 500)),
      ),
    );
    expect(arrays.every((a) => a.every((v) => v === 0))).toBe(true);
    arrays.forEach((a, i) => a.fill(i));
    arrays.forEach((a, i) => expect(a.every((v) => v === i)).toBe(true));
    expect(arrays.every((a) => a.byteOffset % 8 === 0)).toBe(true);
    // Shared: fewer ArrayBuffers than arrays.
    expect(new Set(arrays.map((a) => a.buffer)).size).toBeLessThan(arrays.length / 10);
  });

  it("are not used outside a scan's steps, nor for large arrays", () => {
    const outside = allocate("float32", 100);
    const large = withSlabs(() => allocate("float32", 1 << 16));
    expect(outside.buffer.byteLength).toBe(400);
    expect(large.buffer.byteLength).toBe(4 << 16);
  });

  it("leave an untraced final carry a buffer of its own, so keeping it keeps no slab", () => {
    const rng = Rng.fromSeed(2);
    const w = randomNormal(rng, [8, 8], 0.3);
    // 32 floats: below the pool's smallest size, so every step's array is a piece of a slab.
    const [hT, hs] = scan(
      (h: Tensor, x: Tensor) => {
        const next = tanh(add(matmul(h, w), x));
        return [next, next] as const;
      },
      zeros([4, 8]),
      randomNormal(rng, [5, 4, 8]),
    );
    expect(hT.data.buffer.byteLength).toBe(hT.data.byteLength);
    expect(Array.from(hT.data)).toEqual(Array.from(hs.data.subarray(4 * 4 * 8)));
  });

  it("change no value or gradient of a scan, with a gradient taken inside its step too", () => {
    configurePool({ poisoned: true });
    try {
      const rng = Rng.fromSeed(1);
      const w = randomNormal(rng, [16, 16], 0.3);
      const xs = randomNormal(rng, [5, 4, 16]);
      const inner: number[][] = [];
      const step = (p: { w: Tensor }, h: Tensor, x: Tensor): Tensor => {
        // A gradient inside the step: its reverse pass recycles buffers keyed by their ArrayBuffer.
        const g = valueAndGrad((q: { w: Tensor }) => sum(mul(matmul(x, q.w), x)))({ w });
        inner.push([...g.grads.w.data, g.value]);
        return tanh(add(matmul(h, p.w), x));
      };
      const scanned = valueAndGrad((p: { w: Tensor }) =>
        sum(scan((h: Tensor, x: Tensor) => [step(p, h, x), step(p, h, x)] as const, zeros([4, 16]), xs)[1]),
      )({ w });
      const viaScan = inner.splice(0);
      // The same loop unrolled by hand, outside any scan: no slab.
      const unrolled = valueAndGrad((p: { w: Tensor }) => {
        let h = zeros([4, 16]);
        const ys: Tensor[] = [];
        for (const x of unstack(xs, 0)) {
          const next = step(p, h, x);
          ys.push(step(p, h, x));
          h = next;
        }
        return sum(stack(ys));
      })({ w });
      expect(scanned.value).toBe(unrolled.value);
      expect(scanned.grads.w.data).toEqual(unrolled.grads.w.data);
      expect(viaScan).toEqual(inner);
    } finally {
      configurePool({ poisoned: false });
    }
  });
});
