/**
 * braints: brain-dynamics programming in TypeScript.
 *
 * The library: tensors and autodiff, kernels, optimizers, losses, tasks, models, trainers and
 * analysis. Figures are in `braints/plot`, run configs and recipes in `braints/recipes`, run
 * directories and file helpers (Node only) in `braints/node`.
 */
export * from "./core/index.ts";
export * from "./optim/index.ts";
export * from "./train/index.ts";
export * from "./analysis/index.ts";
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
  initBackend,
  createBackend,
  defaultThreads,
  type KernelBackend,
  type BackendName,
  type BackendOptions,
} from "./kernels/index.ts";
