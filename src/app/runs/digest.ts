/**
 * A checksum of a checkpoint's numbers. The safetensors layout has none, so a flipped byte in the
 * tensor data would otherwise load as a silently different model.
 */
import { createHash } from "node:crypto";
import type { Tree } from "../../core/tree.ts";
import { treeLeaves } from "../../core/tree.ts";
import type { OptimizerState } from "../../optim/optimizer.ts";

/** SHA-256 over every parameter and optimizer buffer, by sorted name, as hex. */
export function stateDigest(params: Tree, optimizer?: OptimizerState): string {
  const arrays: [string, Float32Array | Float64Array][] = treeLeaves(params).map(({ path, leaf }) => [
    `params.${path}`,
    leaf.data,
  ]);
  for (const [name, byPath] of Object.entries(optimizer?.buffers ?? {})) {
    for (const [path, data] of Object.entries(byPath)) arrays.push([`optimizer.${name}.${path}`, data]);
  }
  arrays.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash("sha256");
  for (const [name, data] of arrays) {
    hash.update(name);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  hash.update(String(optimizer?.step ?? ""));
  return hash.digest("hex");
}
