import { expect, it } from "vitest";
import { createWasmBackend } from "./backend.ts";
import { loadKernelBuilds } from "./loader.ts";

/** Runs `f` as a browser would: with no `process`, so no Node built-ins (zlib) either. */
function asBrowser<T>(f: () => T): T {
  const host = globalThis as { process?: unknown };
  const proc = host.process;
  host.process = undefined;
  try {
    return f();
  } finally {
    host.process = proc;
  }
}

it("outside Node the kernels start synchronously only after loadKernelBuilds, and say so before", async () => {
  const before = asBrowser(() => {
    try {
      createWasmBackend();
      return undefined;
    } catch (error) {
      return error;
    }
  });
  expect(String(before)).toMatch(
    /createWasmBackend: outside Node the WebAssembly kernels are decompressed only asynchronously, .*Call `await initBackend\(\)`/,
  );
  // The check for zlib is synchronous; the decompression (DecompressionStream) is not.
  await asBrowser(() => loadKernelBuilds());
  const backend = asBrowser(() => createWasmBackend({ relaxedSimd: false }));
  const C = new Float32Array(4);
  backend.gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), 0, C);
  expect([...C]).toEqual([3, 4, 6, 8]);
});
