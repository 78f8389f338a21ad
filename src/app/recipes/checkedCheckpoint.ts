/**
 * A run's checkpoint files (the model file and the per-epoch checkpoints) as bytes: the checkpoint
 * layout plus a SHA-256 of its numbers. The safetensors layout has no checksum, so a flipped byte in
 * the tensor data would otherwise load as a silently different model. Browser-safe: the CLI writes
 * these bytes to files, the playground page offers them as downloads and reads them back.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import type { Tree } from "../../core/tree.ts";
import { treeLeaves } from "../../core/tree.ts";
import {
  type Checkpoint,
  CheckpointMismatchError,
  decodeCheckpoint,
  encodeCheckpoint,
} from "../../io/checkpoint.ts";
import { CorruptFileError } from "../../io/safetensors.ts";
import type { OptimizerState } from "../../optim/optimizer.ts";

const utf8 = new TextEncoder();

/** SHA-256 over every parameter and optimizer buffer, by sorted name, then the optimizer step; hex. */
export function stateDigest(params: Tree, optimizer?: OptimizerState): string {
  const arrays: [string, Float32Array | Float64Array][] = treeLeaves(params).map(({ path, leaf }) => [
    `params.${path}`,
    leaf.data,
  ]);
  for (const [name, byPath] of Object.entries(optimizer?.buffers ?? {})) {
    for (const [path, data] of Object.entries(byPath)) arrays.push([`optimizer.${name}.${path}`, data]);
  }
  arrays.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = sha256.create();
  for (const [name, data] of arrays) {
    hash.update(utf8.encode(name));
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  hash.update(utf8.encode(String(optimizer?.step ?? "")));
  return Array.from(hash.digest(), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Encodes a checkpoint with the checksum of its numbers (what `model.safetensors` and the epoch
 * checkpoints of a run directory hold).
 * @example const bytes = encodeCheckedCheckpoint({ params, model: { name: model.name, config: model.config } });
 */
export function encodeCheckedCheckpoint(checkpoint: Omit<Checkpoint, "extra">): Uint8Array {
  return encodeCheckpoint({
    ...checkpoint,
    extra: { digest: stateDigest(checkpoint.params, checkpoint.optimizer) },
  });
}

/**
 * Decodes a checkpoint written by {@link encodeCheckedCheckpoint}, checking every parameter's shape
 * against `like` and the numbers against the checksum.
 * @param source names the file in errors
 * @throws CorruptFileError for a truncated or corrupted file; CheckpointMismatchError for another model's
 */
export function decodeCheckedCheckpoint<P extends Tree>(
  bytes: Uint8Array,
  source: string,
  like: P,
): Checkpoint<P> {
  const corrupted = () =>
    new CorruptFileError(
      `${source}: the file is corrupted: its tensors do not match the checksum written with them`,
    );
  let checkpoint: Checkpoint<P>;
  try {
    checkpoint = decodeCheckpoint(bytes, source, like);
  } catch (e) {
    // A damaged name or shape reads as another model's file: the checksum tells them apart.
    if (e instanceof CheckpointMismatchError && !intact(bytes, source)) throw corrupted();
    throw e;
  }
  const expected = (checkpoint.extra as { digest?: unknown } | undefined)?.digest;
  if (expected !== stateDigest(checkpoint.params, checkpoint.optimizer)) throw corrupted();
  return checkpoint;
}

/** Whether the file's tensors match the checksum written with them (read without a model to compare with). */
function intact(bytes: Uint8Array, source: string): boolean {
  try {
    const c = decodeCheckpoint(bytes, source);
    return (c.extra as { digest?: unknown } | undefined)?.digest === stateDigest(c.params, c.optimizer);
  } catch {
    return false;
  }
}
