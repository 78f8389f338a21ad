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
export * from "./fit/index.ts";
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
  type ConnectomeSources,
  parseMatrixText,
  decodeMatrix,
  decodeConnectome,
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
  // The types in KernelBackend's signatures, for those who write or wrap a backend.
  type Gemm,
  type Residency,
  type AdamArgs,
  type RecurrenceInput,
  type RecurrenceReadout,
  type RecurrenceForwardArgs,
  type RecurrenceForwardResult,
  type RecurrenceBackwardArgs,
  type RecurrenceBackwardResult,
  type GatedCell,
  type GatedForwardArgs,
  type GatedForwardResult,
  type GatedBackwardArgs,
  type GatedBackwardResult,
  type HornForwardArgs,
  type HornForwardResult,
  type HornBackwardArgs,
  type HornBackwardResult,
  type SpikingChainForward,
  type SpikingChainShape,
  type SpikingChainStates,
  type Program,
  type Numerics,
  type KernelBuild,
} from "./kernels/index.ts";
// Types that appear in the signatures of the exports above.
export type { Rule } from "./core/rule.ts";
export type { Data } from "./core/tensor.ts";
export type { ValueFn, AuxFn } from "./core/autodiff.ts";
export type { Axes } from "./core/ops/reduce.ts";
export type { DataStream, StreamKey } from "./base/random.ts";
export type { StepArgs, StepResult as NetworkStepResult } from "./models/mass/dynamics.ts";
export type { TrialBuilderContext, TrialScratch } from "./tasks/trialBuilder.ts";
export type { AbortRegion } from "./tasks/rules.ts";
export type { RuleTable } from "./core/primitives.ts";
export type { ShortPeriods } from "./tasks/task.ts";
export type { CollectionOptions } from "./tasks/registry.ts";
export type { ModalityState as Yang19ModalityState } from "./tasks/collections/yang19.ts";
