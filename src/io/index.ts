/** Checkpoints in the safetensors layout and .npy import (browser-safe; file helpers are in `braints/node`). */
export { encodeSafetensors, decodeSafetensors, CorruptFileError } from "./safetensors.ts";
export {
  encodeCheckpoint,
  decodeCheckpoint,
  CHECKPOINT_FORMAT,
  CheckpointMismatchError,
  type Checkpoint,
} from "./checkpoint.ts";
export { decodeNpy } from "./npy.ts";
export { type ConnectomeSources, parseMatrixText, decodeMatrix, decodeConnectome } from "./connectome.ts";
