/**
 * Kernels: the hot loops under the core (GEMM, the fused recurrence forward and BPTT, Adam), each
 * with a plain-TypeScript reference and a WASM SIMD version, behind one {@link KernelBackend}.
 */
export type {
  Activation,
  AdamArgs,
  Gemm,
  GatedBackwardArgs,
  GatedBackwardResult,
  GatedCell,
  GatedForwardArgs,
  GatedForwardResult,
  HornBackwardArgs,
  HornBackwardResult,
  HornForwardArgs,
  HornForwardResult,
  KernelBackend,
  RecurrenceBackwardArgs,
  RecurrenceBackwardResult,
  RecurrenceForwardArgs,
  RecurrenceForwardResult,
  RecurrenceInput,
  RecurrenceReadout,
  Residency,
  UpdateOrder,
} from "./backend.ts";
export type {
  SpikingChainForward,
  SpikingChainOutput,
  SpikingChainShape,
  SpikingChainStates,
} from "./js/spiking.ts";
export type { Program } from "./js/massProgram.ts";
export { ACTIVATIONS, UPDATE_ORDERS, derivativeFromStates } from "./backend.ts";
export { jsBackend } from "./js/backend.ts";
export { createWasmBackend, loadWasmBackend, type WasmBackendOptions } from "./wasm/backend.ts";
export {
  createBackend,
  defaultThreads,
  getBackend,
  initBackend,
  keepingOperands,
  setBackend,
  type BackendName,
  type BackendOptions,
} from "./select.ts";
export { forgetResident } from "./residency.ts";
export {
  type KernelBuild,
  type Numerics,
  describeNumerics,
  isNumerics,
  numericsDifference,
} from "./numerics.ts";
