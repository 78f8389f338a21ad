import { describe, expect, it } from "vitest";
import type { KernelBackend } from "./backend.ts";
import { createWasmBackend, forgetResident, jsBackend, keepingOperands, setBackend } from "./index.ts";
import { randomF32 } from "./test-util.ts";

// The layers above the kernels reach a backend's residency (what it keeps of arrays in its own
// memory) only through keepingOperands and forgetResident of kernels/index.ts. These tests watch
// the WASM backend's memory through its products: a kept copy, read after the array's floats were
// replaced unannounced, gives the old product.

const [M, K, N] = [16, 128, 384];

/** `h W` on `backend` into a new array, `h` `[rows, K]`. */
function product(backend: KernelBackend, h: Float32Array, W: Float32Array, rows = M): number[] {
  const C = new Float32Array(rows * N);
  backend.gemm(false, false, rows, N, K, 1, h, W, 0, C);
  return Array.from(C);
}

describe("the backend-neutral residency hooks", () => {
  it("forgetResident reaches a WASM backend that was never made active", () => {
    // Registered when created, not when made active: the tape below is the WASM backend's while
    // the TypeScript one is the active backend.
    setBackend(jsBackend);
    const wasm = createWasmBackend({ threads: 1 });
    const [T, B, I, H] = [2, M, 8, K];
    const { hs } = wasm.gatedForward({
      cell: "gru",
      T,
      B,
      I,
      H,
      x: randomF32(T * B * I, 1),
      wIh: randomF32(I * 3 * H, 2),
      wHh: randomF32(H * 3 * H, 3),
      bIh: randomF32(3 * H, 4),
      bHh: randomF32(3 * H, 5),
      h0: randomF32(B * H, 6),
      c0: null,
    });
    const w = randomF32(K * N, 7);
    // The states [T B, H], read where the forward left them.
    const times = (a: Float32Array) => product(wasm, a, w, T * B);
    const old = times(hs);
    hs.set(randomF32(hs.length, 8));
    // Replaced unannounced, the floats the forward left are read: what forgetting is for.
    expect(times(hs)).toEqual(old);
    forgetResident(hs);
    expect(times(hs)).toEqual(times(hs.slice()));
    expect(times(hs)).not.toEqual(old);
  });

  it("is a no-op on the TypeScript backend: keepingOperands runs fn and nothing is kept", () => {
    setBackend(jsBackend);
    expect(jsBackend.residency).toBeUndefined();
    const wasm = createWasmBackend({ threads: 1 });
    const h = randomF32(M * K, 10);
    const W = randomF32(K * N, 11);
    const result = keepingOperands(() => {
      const first = product(wasm, h, W);
      W.set(randomF32(W.length, 12));
      // Not kept (the active backend keeps nothing): the new floats are read.
      expect(product(wasm, h, W)).toEqual(product(wasm, h, W.slice()));
      expect(product(wasm, h, W)).not.toEqual(first);
      return 42;
    });
    expect(result).toBe(42);
    // Forgetting an array no backend holds is harmless.
    forgetResident(new Float32Array(8));
  });

  it.each([1, 2])("reaches the active WASM backend's keeping of operands (%i threads)", (threads) => {
    const wasm = createWasmBackend({ threads, minParallelFlops: 0 });
    setBackend(wasm);
    expect(wasm.residency).toBeDefined();
    const h = randomF32(M * K, 20);
    const W = randomF32(K * N, 21);
    const result = keepingOperands(() => {
      const first = product(wasm, h, W);
      W.set(randomF32(W.length, 22));
      // Kept during the scope: the replaced floats are not read until forgotten.
      expect(product(wasm, h, W)).toEqual(first);
      forgetResident(W);
      const fresh = product(wasm, h, W.slice());
      expect(product(wasm, h, W)).toEqual(fresh);
      expect(fresh).not.toEqual(first);
      return "done";
    });
    expect(result).toBe("done");
    // Outside the scope nothing is kept.
    const before = product(wasm, h, W);
    W.set(randomF32(W.length, 23));
    expect(product(wasm, h, W)).not.toEqual(before);
    setBackend(jsBackend);
  });
});
