import { afterEach, describe, expect, it } from "vitest";
import { getBackend, setBackend } from "../index.ts";
import { randomF32 } from "../test-util.ts";
import { createWasmBackend } from "./backend.ts";
import { forgetResident, keepingOperands } from "./resident.ts";
import { adam } from "../../optim/adam.ts";
import { fromData } from "../../core/tensor.ts";
import { matmul } from "../../core/ops/matmul.ts";

const initial = getBackend();
afterEach(() => setBackend(initial));

/** `h W` on `backend` into a new array. */
function product(
  backend: ReturnType<typeof createWasmBackend>,
  h: Float32Array,
  W: Float32Array,
): Float32Array {
  const C = new Float32Array(16 * 384);
  backend.gemm(false, false, 16, 384, 128, 1, h, W, 0, C);
  return C;
}

describe("a GEMM's large operand kept in the arena", () => {
  const backends = [false, true].flatMap((relaxedSimd) =>
    [1, 2].map((threads) => createWasmBackend({ threads, relaxedSimd, minParallelFlops: 0 })),
  );

  it.each(backends.map((b) => [`${b.name} ${b.threads}`, b] as const))(
    "is read again while unchanged, and its new floats once forgotten (%s)",
    (_name, backend) => {
      // The reference products run on a backend of their own, whose arena never saw W.
      const reference = createWasmBackend({ threads: 1, relaxedSimd: backend.name.endsWith("+fma") });
      const h = randomF32(16 * 128, 1);
      const W = randomF32(128 * 384, 2);
      keepingOperands(() => {
        const first = product(backend, h, W);
        expect(Array.from(first)).toEqual(Array.from(product(reference, h, W.slice())));
        // Same array, same floats: the kept copy gives the same product.
        expect(Array.from(product(backend, h, W))).toEqual(Array.from(first));
        // The floats replaced under the same array, as a donated parameter's are: once forgotten, the
        // product is that of the new floats.
        W.set(randomF32(W.length, 3));
        forgetResident(W);
        expect(Array.from(product(backend, h, W))).toEqual(Array.from(product(reference, h, W.slice())));
        // Replaced and not forgotten, the kept copy is read: what makes keeping worth it, and why
        // it is confined to code that refills no array it reads.
        const kept = product(backend, h, W);
        W.set(randomF32(W.length, 4));
        expect(Array.from(product(backend, h, W))).toEqual(Array.from(kept));
      });
      // Once the outermost keepingOperands returned, nothing is kept: a buffer refilled between
      // two products (a batch buffer a caller reuses) gives each product of its floats.
      for (const seed of [5, 6]) {
        W.set(randomF32(W.length, seed));
        expect(Array.from(product(backend, h, W))).toEqual(Array.from(product(reference, h, W.slice())));
      }
    },
  );

  it("is not read stale after an optimizer updates the parameter in place (donate)", () => {
    const backend = createWasmBackend({ threads: 1 });
    setBackend(backend);
    const h = fromData(randomF32(16 * 128, 4), [16, 128]);
    let params = { w: fromData(randomF32(128 * 384, 5), [128, 384]) };
    const opt = adam({ lr: 0.1 });
    let state = opt.init(params);
    // All in one scope, as an update inside a scan's steps would be.
    const { before, after, fresh } = keepingOperands(() => {
      const before = matmul(h, params.w);
      const grads = { w: fromData(randomF32(128 * 384, 6), [128, 384]) };
      const w = params.w.data;
      ({ params, state } = opt.update(grads, state, params, { donate: true }));
      expect(params.w.data).toBe(w);
      return {
        before,
        after: matmul(h, params.w),
        fresh: matmul(h, fromData(params.w.data.slice(), [128, 384])),
      };
    });
    expect(Array.from(after.data)).toEqual(Array.from(fresh.data));
    expect(Array.from(after.data)).not.toEqual(Array.from(before.data));
  });
});
