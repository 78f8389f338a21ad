/**
 * The checkpoint decoders, property-based: random bytes and every kind of damage to a valid file
 * (flipped bytes, truncation, cut-outs, insertions) give a CorruptFileError, never another error or
 * a crash. A run's checked checkpoints (with the checksum of their numbers) never decode to a
 * wrong tensor; the bare layout, which has no checksum, decodes only tensors consistent with their shape.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CheckpointMismatchError,
  CorruptFileError,
  Rng,
  type Tensor,
  type Tree,
  adam,
  decodeCheckpoint,
  encodeCheckpoint,
  randomNormal,
  treeLeaves,
} from "../../src/index.ts";
import { decodeCheckedCheckpoint, encodeCheckedCheckpoint } from "../../src/app/recipes/checkedCheckpoint.ts";

// A fixed seed: the same cases on every run, so a failure reproduces (change it to explore others).
fc.configureGlobal({ seed: 20261203 });

const params = {
  cell: { wRec: randomNormal(Rng.fromSeed(1), [4, 4]), b: randomNormal(Rng.fromSeed(2), [4]) },
  readout: { w: randomNormal(Rng.fromSeed(3), [4, 3]) },
};
const optimizer = adam({ lr: 0.01 }).init(params);
const checked = encodeCheckedCheckpoint({
  params,
  optimizer,
  step: 7,
  epoch: 1,
  model: { name: "m", config: {} },
});
const bare = encodeCheckpoint({ params, step: 7 });

/** A damaged copy of `bytes`: some flipped bytes, then maybe a cut-out, an insertion or a truncation. */
const damaged = (bytes: Uint8Array) =>
  fc
    .record({
      flips: fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
      cut: fc.option(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 64 }))),
      insert: fc.option(fc.tuple(fc.nat(bytes.length), fc.uint8Array({ minLength: 1, maxLength: 16 }))),
      truncate: fc.option(fc.nat(bytes.length - 1)),
    })
    .filter((d) => d.flips.length > 0 || d.cut !== null || d.insert !== null || d.truncate !== null)
    .map((d) => {
      let out = Uint8Array.from(bytes);
      for (const [at, x] of d.flips) out[at] = (out[at] as number) ^ x;
      if (d.cut) out = Uint8Array.from([...out.subarray(0, d.cut[0]), ...out.subarray(d.cut[0] + d.cut[1])]);
      if (d.insert)
        out = Uint8Array.from([
          ...out.subarray(0, d.insert[0]),
          ...d.insert[1],
          ...out.subarray(d.insert[0]),
        ]);
      if (d.truncate !== null) out = out.subarray(0, d.truncate);
      return out;
    });

/**
 * A damaged format number reads as a file of another format version: nothing in the file can tell
 * the two apart, so that message is the one other error allowed.
 */
const FUTURE_FORMAT = /^f: checkpoint format .* is not supported, this braints reads format 1$/;

const MISSING_OR_FORMAT = new RegExp(
  `${FUTURE_FORMAT.source}|^f: parameter '.*' is missing from the checkpoint$`,
);

/** Runs `decode`; a thrown error must be a CorruptFileError (or match `allowed`). Returns the result, if any. */
function decodeOrCorrupt<T>(decode: () => T, allowed = FUTURE_FORMAT): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (!(e instanceof CheckpointMismatchError && allowed.test(e.message))) {
      expect(e, String(e)).toBeInstanceOf(CorruptFileError);
    }
    return undefined;
  }
}

const leaves = (tree: Tree) =>
  treeLeaves(tree).map(({ path, leaf }) => [path, leaf.shape, Array.from(leaf.data)]) as unknown[];

describe("checkpoint decoding, property-based", () => {
  it("random bytes are a CorruptFileError, for the bare and the checked decoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(() => decodeCheckpoint(bytes, "f")).toThrow(CorruptFileError);
        expect(() => decodeCheckedCheckpoint(bytes, "f", params)).toThrow(CorruptFileError);
      }),
      { numRuns: 500 },
    );
  });

  it("random bytes behind a plausible header length are a CorruptFileError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.uint8Array({ maxLength: 600 }), (n, rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(n), true);
        bytes.set(rest, 8);
        expect(() => decodeCheckpoint(bytes, "f")).toThrow(CorruptFileError);
      }),
      { numRuns: 300 },
    );
  });

  it("a damaged checked checkpoint is a CorruptFileError, or decodes to exactly the saved numbers", () => {
    fc.assert(
      fc.property(damaged(checked), (bytes) => {
        const c = decodeOrCorrupt(() => decodeCheckedCheckpoint(bytes, "f", params), FUTURE_FORMAT);
        if (c) expect(leaves(c.params)).toEqual(leaves(params));
      }),
      { numRuns: 400 },
    );
  });

  it("a damaged tensor name in a checked checkpoint is corruption, not another model's file", () => {
    const text = new TextDecoder("latin1").decode(checked);
    const at = text.indexOf('"params.cell.b"');
    expect(at).toBeGreaterThan(0);
    const renamed = Uint8Array.from(checked);
    renamed[at + "params.cell.".length + 1] = "c".charCodeAt(0);
    expect(() => decodeCheckedCheckpoint(renamed, "f", params)).toThrow(
      "f: the file is corrupted: its tensors do not match the checksum written with them",
    );
  });

  it("a damaged bare checkpoint is a CorruptFileError, or decodes tensors whose data fits their shape", () => {
    fc.assert(
      fc.property(damaged(bare), (bytes) => {
        // Without a checksum, a damaged tensor name reads as a missing parameter.
        const c = decodeOrCorrupt(() => decodeCheckpoint(bytes, "f"), MISSING_OR_FORMAT);
        for (const { leaf } of treeLeaves(c?.params ?? {})) {
          expect((leaf as Tensor).data.length).toBe((leaf as Tensor).shape.reduce((n, d) => n * d, 1));
        }
      }),
      { numRuns: 400 },
    );
  });
});
