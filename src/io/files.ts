/** Saving and loading checkpoints as files (Node). */
import { readFileSync } from "node:fs";
import type { Tree } from "../core/tree.ts";
import { writeFileAtomic } from "./atomic.ts";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "./checkpoint.ts";

/** Writes a checkpoint atomically (temporary file, then rename). */
export function saveCheckpoint(path: string, checkpoint: Checkpoint): void {
  writeFileAtomic(path, encodeCheckpoint(checkpoint));
}

/** Reads and validates a checkpoint file; with `like`, parameter shapes are checked against it. */
export function loadCheckpoint<P extends Tree = Tree>(path: string, like?: P): Checkpoint<P> {
  return decodeCheckpoint(new Uint8Array(readFileSync(path)), path, like);
}
