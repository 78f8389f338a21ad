/** The plain-TypeScript backend: the reference kernels behind the argument checks. */
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
import { gatedBackwardRef, gatedForwardRef } from "./gated.ts";
import { hornBackwardRef, hornForwardRef } from "./horn.ts";
import { adamRef } from "./adam.ts";
import { activateArrayRef } from "./unary.ts";
import { binaryArrayRef } from "./binary.ts";
import { gemmRef } from "./gemm.ts";
import { layerBackwardRef, layerForwardRef } from "./layer.ts";
import { spikingChainBackward, spikingChainForward } from "./spiking.ts";

/** Runs everywhere, single-threaded; the baseline the WASM backends are tested against. */
export const jsBackend: KernelBackend = {
  name: "js",
  threads: 1,
  numerics: { kernels: "js" },
  gemm(transA, transB, M, N, K, alpha, A, B, beta, C) {
    validateGemm(transA, transB, M, N, K, alpha, A, B, beta, C);
    gemmRef(transA, transB, M, N, K, alpha, A, B, beta, C);
  },
  recurrenceForward(a) {
    validateRecurrenceForward(a);
    return layerForwardRef(a);
  },
  recurrenceBackward(a) {
    validateRecurrenceBackward(a);
    return layerBackwardRef(a);
  },
  gatedForward(a) {
    validateGatedForward(a);
    return gatedForwardRef(a);
  },
  gatedBackward(a) {
    validateGatedBackward(a);
    return gatedBackwardRef(a);
  },
  hornForward(a) {
    validateHornForward(a);
    return hornForwardRef(a);
  },
  hornBackward(a) {
    validateHornBackward(a);
    return hornBackwardRef(a);
  },
  adamUpdate(a) {
    validateAdam(a);
    adamRef(a);
  },
  activateArray(kind, x, out) {
    validateActivateArray(kind, x, out);
    activateArrayRef(kind, x, out);
  },
  binaryArray(op, a, b, out) {
    validateBinaryArray(op, a, b, out);
    binaryArrayRef(op, a, b, out);
  },
  spikingChainForward: spikingChainForward,
  spikingChainBackward: spikingChainBackward,
};
