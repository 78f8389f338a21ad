/**
 * Checkpoints: parameters (and optionally optimizer state, PRNG state, progress and free-form JSON)
 * in the safetensors layout, so Python's `safetensors` can read the weights. Tensors are named
 * `params.<path>` and `optimizer.<buffer>.<path>`; everything else is JSON in the metadata under
 * `braints.*` keys, with a format version checked on load.
 */
import { BraintsError, ValueError, fmtShape } from "../base/errors.ts";
import type { RngState } from "../base/random.ts";
import { sameShape } from "../base/shape.ts";
import { Tensor } from "../core/tensor.ts";
import { type Numerics, isNumerics } from "../kernels/numerics.ts";
import { type Tree, checkKey, joinPath, treeLeaves, treeMap } from "../core/tree.ts";
import type { OptimizerState } from "../optim/optimizer.ts";
import { CorruptFileError, decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

/** Bumped when the layout changes; loading a newer or older format is refused with a message. */
export const CHECKPOINT_FORMAT = 1;

/** A checkpoint whose parameters do not fit the model it is loaded into. */
export class CheckpointMismatchError extends BraintsError {
  override name = "CheckpointMismatchError";
}

export interface Checkpoint<P extends Tree = Tree> {
  readonly params: P;
  /** How to rebuild the model: its factory name and JSON config. */
  readonly model?: { readonly name: string; readonly config: unknown };
  readonly optimizer?: OptimizerState;
  readonly rng?: RngState;
  readonly step?: number;
  readonly epoch?: number;
  /**
   * What decided the numbers of the state (kernel build, fused multiply-add): resuming with other
   * numerics continues correctly but not bit for bit (see kernels/numerics.ts).
   */
  readonly numerics?: Numerics;
  /** Any JSON-serialisable extras (history, task config, ...). */
  readonly extra?: unknown;
}

type Skeleton = null | Skeleton[] | { [k: string]: Skeleton };

function skeletonOf(tree: Tree): Skeleton {
  if (tree instanceof Tensor) return null;
  if (Array.isArray(tree)) return tree.map((t: Tree) => skeletonOf(t));
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, skeletonOf(v as Tree)]));
}

/** Rebuilds the parameter tree from its skeleton; a key that would make paths ambiguous is refused. */
function fromSkeleton(s: Skeleton, leaf: (path: string) => Tensor, prefix = ""): Tree {
  if (s === null) return leaf(prefix);
  if (Array.isArray(s)) return s.map((x, i) => fromSkeleton(x, leaf, joinPath(prefix, i)));
  return Object.fromEntries(
    Object.entries(s).map(([k, v]) => [k, fromSkeleton(v, leaf, joinPath(prefix, checkKey(k, prefix)))]),
  );
}

/** {@link fromSkeleton} on a decoded file: an ambiguous key means the file is not one we wrote. */
function paramsFromSkeleton(source: string, s: Skeleton, leaf: (path: string) => Tensor): Tree {
  try {
    return fromSkeleton(s, leaf);
  } catch (e) {
    if (e instanceof ValueError) throw new CorruptFileError(`${source}: braints.paramTree: ${e.message}`);
    throw e;
  }
}

/** Serialises a checkpoint to bytes. */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const { path, leaf } of treeLeaves(c.params)) tensors[`params.${path}`] = leaf;
  const buffers = c.optimizer?.buffers ?? {};
  for (const [b, byPath] of Object.entries(buffers)) {
    for (const [path, data] of Object.entries(byPath))
      tensors[`optimizer.${b}.${path}`] = new Tensor([data.length], data);
  }
  const meta: Record<string, string> = {
    "braints.format": String(CHECKPOINT_FORMAT),
    "braints.paramTree": JSON.stringify(skeletonOf(c.params)),
  };
  if (c.model) meta["braints.model"] = JSON.stringify(c.model);
  if (c.optimizer)
    meta["braints.optimizer"] = JSON.stringify({ step: c.optimizer.step, buffers: Object.keys(buffers) });
  if (c.rng) meta["braints.rng"] = JSON.stringify(c.rng);
  if (c.step !== undefined) meta["braints.step"] = String(c.step);
  if (c.epoch !== undefined) meta["braints.epoch"] = String(c.epoch);
  if (c.numerics) meta["braints.numerics"] = JSON.stringify(c.numerics);
  if (c.extra !== undefined) meta["braints.extra"] = JSON.stringify(c.extra);
  return encodeSafetensors(tensors, meta);
}

/**
 * Reads a checkpoint. With `like` (e.g. freshly initialised parameters of the expected model),
 * every parameter's presence and shape is checked against it.
 */
export function decodeCheckpoint<P extends Tree = Tree>(
  bytes: Uint8Array,
  source = "checkpoint",
  like?: P,
): Checkpoint<P> {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const format = metadata["braints.format"];
  if (format === undefined)
    throw new CorruptFileError(`${source}: not a braints checkpoint (no braints.format metadata)`);
  if (Number(format) !== CHECKPOINT_FORMAT) {
    throw new CheckpointMismatchError(
      `${source}: checkpoint format ${format} is not supported, this braints reads format ${CHECKPOINT_FORMAT}`,
    );
  }
  const json = <T>(key: string): T | undefined => {
    const v = metadata[key];
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw new CorruptFileError(`${source}: metadata ${key} is not valid JSON`);
    }
  };
  const param = (path: string) => {
    const t = tensors[`params.${path}`];
    if (!t)
      throw new CheckpointMismatchError(`${source}: parameter '${path}' is missing from the checkpoint`);
    return t;
  };
  const params = like
    ? treeMap(like, (ref, path) => {
        const t = param(path);
        if (!sameShape(t.shape, ref.shape)) {
          throw new CheckpointMismatchError(
            `${source}: parameter '${path}' has shape ${fmtShape(t.shape)}, the model expects ${fmtShape(ref.shape)}`,
          );
        }
        return t;
      })
    : (paramsFromSkeleton(source, json<Skeleton>("braints.paramTree") ?? null, param) as P);
  const opt = json<{ step: number; buffers: string[] }>("braints.optimizer");
  const optimizer: OptimizerState | undefined = opt && {
    step: opt.step,
    buffers: Object.fromEntries(
      opt.buffers.map((b) => [
        b,
        Object.fromEntries(
          Object.entries(tensors)
            .filter(([name]) => name.startsWith(`optimizer.${b}.`))
            .map(([name, t]) => [name.slice(`optimizer.${b}.`.length), t.data]),
        ),
      ]),
    ),
  };
  const step = metadata["braints.step"];
  const epoch = metadata["braints.epoch"];
  const model = json<{ name: string; config: unknown }>("braints.model");
  const rng = json<RngState>("braints.rng");
  const extra = json<unknown>("braints.extra");
  const numerics = json<unknown>("braints.numerics");
  if (numerics !== undefined && !isNumerics(numerics)) {
    throw new CorruptFileError(
      `${source}: metadata braints.numerics must name a kernel build, got ${metadata["braints.numerics"]}`,
    );
  }
  return {
    params,
    ...(model ? { model } : {}),
    ...(optimizer ? { optimizer } : {}),
    ...(rng ? { rng } : {}),
    ...(step !== undefined ? { step: Number(step) } : {}),
    ...(epoch !== undefined ? { epoch: Number(epoch) } : {}),
    ...(numerics !== undefined ? { numerics } : {}),
    ...(extra !== undefined ? { extra } : {}),
  };
}
