// The WASM module's exports. Built by scripts/build-wasm.ts into kernels.generated.ts.
export { addInto, gemm, gemmScratchBytes } from "./gemm";
export { gemmThin, gemmThinScratchFloats } from "./thin";
export { fewRowsTransposed } from "./rows";
export { packB } from "./pack";
export { maddProbe } from "./microkernel";
export {
  recurrenceForward,
  recurrenceBackward,
  recurrenceScratchBytes,
  recurrenceBackwardScratchBytes,
  recurrenceGradFloats,
} from "./recurrence";
export {
  gatedForward,
  gatedBackward,
  gatedForwardScratchBytes,
  gatedBackwardScratchBytes,
  gateActivate,
} from "./gated";
export {
  hornForward,
  hornBackward,
  hornForwardScratchBytes,
  hornBackwardScratchBytes,
  hornGradFloats,
} from "./horn";
export { adamUpdate } from "./adam";
export { activateArray } from "./unary";
export { binaryArray } from "./binary";
export {
  spikingForward,
  spikingBackward,
  spikingForwardScratchBytes,
  spikingBackwardScratchBytes,
  spikingGradientsOffset,
  spikingTapeBytes,
} from "./spiking";

/** First byte after the module's static data: the host allocates from here on. */
export function heapBase(): usize {
  return __heap_base;
}
