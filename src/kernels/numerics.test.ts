import { describe, expect, it } from "vitest";
import { jsBackend } from "./js/backend.ts";
import { numericsDifference } from "./numerics.ts";
import { createWasmBackend } from "./wasm/backend.ts";

describe("numerics", () => {
  it("name each backend's build; the plain SIMD build multiplies then adds", () => {
    expect(jsBackend.numerics).toEqual({ kernels: "js" });
    expect(createWasmBackend({ relaxedSimd: false }).numerics).toEqual({ kernels: "wasm-simd128" });
    const relaxed = createWasmBackend({ relaxedSimd: true }).numerics;
    if (relaxed.kernels === "wasm-relaxed-simd") expect(typeof relaxed.fusedMultiplyAdd).toBe("boolean");
  });

  it("say which switch differs, and nothing when they agree", () => {
    const fused = { kernels: "wasm-relaxed-simd", fusedMultiplyAdd: true } as const;
    expect(numericsDifference(fused, { ...fused })).toBeUndefined();
    expect(numericsDifference(fused, { kernels: "js" })).toMatch(
      /^kernels: recorded WebAssembly relaxed SIMD .*, fused multiply-add, this process runs plain TypeScript/,
    );
    expect(numericsDifference(fused, { ...fused, fusedMultiplyAdd: false })).toBe(
      "fused multiply-add: recorded fused, this CPU does not fuse relaxed SIMD's multiply-adds",
    );
  });
});
