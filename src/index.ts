/**
 * braints: brain-dynamics programming in TypeScript.
 *
 * The public API: tensors and autodiff, kernels, optimizers, losses, tasks, models and trainers.
 */
export * from "./core/index.ts";
export * from "./optim/index.ts";
export * from "./train/index.ts";
export * from "./analysis/index.ts";
export * from "./plot/index.ts";
export {
  encodeSafetensors,
  decodeSafetensors,
  CorruptFileError,
  encodeCheckpoint,
  decodeCheckpoint,
  CHECKPOINT_FORMAT,
  CheckpointMismatchError,
  type Checkpoint,
  decodeNpy,
} from "./io/index.ts";
export * from "./models/index.ts";
export * from "./tasks/index.ts";
export * from "./data/index.ts";
export {
  getBackend,
  setBackend,
  createBackend,
  defaultThreads,
  type KernelBackend,
  type BackendName,
  type BackendOptions,
} from "./kernels/index.ts";
