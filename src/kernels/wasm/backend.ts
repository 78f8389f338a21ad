/**
 * The WASM SIMD backends: inputs are copied into the module's memory, the kernel runs there (on
 * one thread, or split across a worker pool by batch rows or GEMM rows/columns), and outputs are
 * copied back out.
 */
import type { KernelBackend } from "../backend.ts";
import {
  validateActivateArray,
  validateBinaryArray,
  validateAdam,
  validateGatedBackward,
  validateGatedForward,
  validateGemm,
  validateHornBackward,
  validateHornForward,
  validateRecurrenceBackward,
  validateRecurrenceForward,
} from "../validate.ts";
import { adamOn } from "./adam.ts";
import { activateArrayOn } from "./unary.ts";
import { binaryArrayOn } from "./binary.ts";
import { gatedBackwardOn, gatedForwardOn } from "./gated.ts";
import { hornBackwardOn, hornForwardOn } from "./horn.ts";
import { forgetResident, keepOperand, placed, wasmResidency } from "./resident.ts";
import { registerResidency } from "../residency.ts";
import { gemmOn } from "./gemm.ts";
import { startMachine, startMachineAsync, type Machine, type WasmBackendOptions } from "./machine.ts";
import { recurrenceBackwardOn, recurrenceForwardOn } from "./recurrence.ts";
import { spikingBackwardOn, spikingForwardOn } from "./spiking.ts";

export type { WasmBackendOptions } from "./machine.ts";

/**
 * A WASM SIMD128 backend. With `threads > 1` it keeps a worker pool and splits large calls:
 * the recurrence by batch rows (no per-step synchronisation), GEMMs by rows or columns of C.
 * Outside Node, only once {@link loadWasmBackend} (or `initBackend`) has decompressed the kernels.
 *
 * @example
 * const backend = createWasmBackend({ threads: 2 });
 * const C = new Float32Array(4);
 * backend.gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), 0, C);
 * // C = [3, 4, 6, 8]
 */
export function createWasmBackend(options: WasmBackendOptions = {}): KernelBackend {
  return backendOn(startMachine(options));
}

/**
 * {@link createWasmBackend} with asynchronous decompression and compilation: use this (or
 * `initBackend`) in a browser, which decompresses only asynchronously and refuses to compile
 * modules of this size synchronously on its main thread.
 */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<KernelBackend> {
  return backendOn(await startMachineAsync(options));
}

function backendOn(m: Machine): KernelBackend {
  const { arena } = m;
  // Arrays this backend reads may be recycled before it is ever made active: forgetting reaches it.
  registerResidency(wasmResidency);
  return {
    name: (m.exec.threads > 1 ? "wasm-mt" : "wasm") + (m.relaxed ? "+fma" : ""),
    threads: m.exec.threads,
    residency: wasmResidency,
    numerics: m.relaxed
      ? { kernels: "wasm-relaxed-simd", fusedMultiplyAdd: m.fusedMultiplyAdd }
      : { kernels: "wasm-simd128" },
    gemm(transA, transB, M, N, K, alpha, A, B, beta, C) {
      validateGemm(transA, transB, M, N, K, alpha, A, B, beta, C);
      arena.reset();
      // The larger operand (a weight, across a scan's steps) stays for the next product, and a
      // forward's states are read where it left them (see resident.ts).
      keepOperand(m, A.length >= B.length ? A : B);
      const [a, b] = [placed(m, A), placed(m, B)];
      const c = beta === 0 ? arena.floats(C.length) : arena.put(C);
      gemmOn(m, transA, transB, M, N, K, alpha, a, b, beta, c);
      forgetResident(C);
      C.set(arena.view(c, C.length));
    },
    recurrenceForward(a) {
      validateRecurrenceForward(a);
      return recurrenceForwardOn(m, a);
    },
    recurrenceBackward(a) {
      validateRecurrenceBackward(a);
      return recurrenceBackwardOn(m, a);
    },
    gatedForward(a) {
      validateGatedForward(a);
      return gatedForwardOn(m, a);
    },
    gatedBackward(a) {
      validateGatedBackward(a);
      return gatedBackwardOn(m, a);
    },
    hornForward(a) {
      validateHornForward(a);
      return hornForwardOn(m, a);
    },
    hornBackward(a) {
      validateHornBackward(a);
      return hornBackwardOn(m, a);
    },
    adamUpdate(a) {
      validateAdam(a);
      adamOn(m, a);
    },
    activateArray(kind, x, out) {
      validateActivateArray(kind, x, out);
      activateArrayOn(m, kind, x, out);
    },
    binaryArray(op, a, b, out) {
      validateBinaryArray(op, a, b, out);
      binaryArrayOn(m, op, a, b, out);
    },
    spikingChainForward: (sh, c, x, w1, w2, output) => spikingForwardOn(m, sh, c, x, w1, w2, output),
    spikingChainBackward: (sh, c, x, w1, w2, output, dOut, dS, dV, tape) =>
      spikingBackwardOn(m, sh, c, x, w1, w2, output, dOut, dS, dV, tape),
  };
}
