import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CheckpointMismatchError,
  CorruptFileError,
  Rng,
  adam,
  decodeCheckpoint,
  decodeNpy,
  decodeSafetensors,
  encodeCheckpoint,
  encodeSafetensors,
  tensor,
} from "../../src/index.ts";
import { loadCheckpoint } from "../../src/node.ts";

/** The child process that rewrites a checkpoint until killed. */
const WRITER = fileURLToPath(new URL("./atomicWriter.ts", import.meta.url));

const params = { w: tensor([[1, 2, 3]]), layers: [{ b: tensor([0.5], undefined, "float64") }] };

describe("safetensors layout", () => {
  it("writes the documented layout: u64 header length, JSON header with offsets, aligned raw data", () => {
    const bytes = encodeSafetensors(
      { a: tensor([1, 2]), b: tensor([[3]], undefined, "float64") },
      { note: "hi" },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { note: "hi" },
      a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
      b: { dtype: "F64", shape: [1, 1], data_offsets: [8, 16] },
    });
    const data = new DataView(bytes.buffer, 8 + n);
    expect([data.getFloat32(0, true), data.getFloat32(4, true), data.getFloat64(8, true)]).toEqual([1, 2, 3]);
  });

  it("round-trips tensors and metadata", () => {
    const { tensors, metadata } = decodeSafetensors(
      encodeSafetensors({ x: tensor([[1.5, -2]]) }, { k: "v" }),
    );
    expect(tensors["x"]!.toArray()).toEqual([[1.5, -2]]);
    expect(metadata).toEqual({ k: "v" });
  });

  it("refuses truncated and corrupted files with a message saying what is wrong", () => {
    const good = encodeSafetensors({ x: tensor([1, 2, 3]) });
    expect(() => decodeSafetensors(good.subarray(0, 5), "f")).toThrow(
      "f: file is truncated: 5 bytes, need at least 8",
    );
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4), "f")).toThrow(
      /f: tensor 'x' has data offsets \[0,12\] outside the 8-byte data section/,
    );
    const garbled = good.slice();
    garbled[10] = 0xff;
    expect(() => decodeSafetensors(garbled, "f")).toThrow(/f: header is not valid UTF-8 JSON/);
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(huge, "f")).toThrow(CorruptFileError);
  });
});

describe("checkpoints", () => {
  it("round-trip parameters, optimizer state, PRNG state, progress and extras", () => {
    const opt = adam({ lr: 0.1 });
    const optimizer = opt.update(
      { w: tensor([[1, 1, 1]]), layers: [{ b: tensor([1], undefined, "float64") }] },
      opt.init(params),
      params,
    ).state;
    const rng = Rng.fromSeed(3);
    rng.normal();
    const back = decodeCheckpoint(
      encodeCheckpoint({
        params,
        model: { name: "leakyRNN", config: { nHidden: 3 } },
        optimizer,
        rng: rng.state(),
        step: 7,
        epoch: 2,
        extra: { history: [1, 2] },
      }),
    );
    expect(back.params).toEqual(params);
    expect(back.model).toEqual({ name: "leakyRNN", config: { nHidden: 3 } });
    expect(back.optimizer).toEqual(optimizer);
    expect(Rng.fromState(back.rng!).normal()).toBe(rng.normal());
    expect([back.step, back.epoch, back.extra]).toEqual([7, 2, { history: [1, 2] }]);
  });

  it("checks parameter shapes against the model and names the mismatch", () => {
    const bytes = encodeCheckpoint({ params });
    expect(() =>
      decodeCheckpoint(bytes, "ck", { w: tensor([[1, 2]]), layers: [{ b: tensor([0.5]) }] }),
    ).toThrow("ck: parameter 'w' has shape [1, 3], the model expects [1, 2]");
    expect(() => decodeCheckpoint(bytes, "ck", { extra: tensor([1]) })).toThrow(CheckpointMismatchError);
  });

  it("refuses a checkpoint of another format version, and a safetensors file that is not a checkpoint", () => {
    expect(() =>
      decodeCheckpoint(encodeSafetensors({ x: tensor([1]) }, { "braints.format": "99" }), "ck"),
    ).toThrow("ck: checkpoint format 99 is not supported, this braints reads format 1");
    expect(() => decodeCheckpoint(encodeSafetensors({ x: tensor([1]) }), "ck")).toThrow(
      "ck: not a braints checkpoint",
    );
  });

  it("writes files atomically: a reader never sees a torn file, and a kill mid-write leaves a whole one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "braints-"));
    const path = join(dir, "model.safetensors");
    const writer = spawn(process.execPath, ["--import", "tsx", WRITER, path], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      writer.stdout.once("data", () => resolve());
      writer.once("close", (code) => reject(new Error(`the writer exited with code ${code}`)));
    });
    /** The file decodes to a whole checkpoint whose every number is its step. */
    const whole = () => {
      const c = loadCheckpoint(path);
      const w = (c.params as unknown as { w: { data: Float32Array } }).w;
      expect(w.data.length).toBe((c.step as number) % 2 === 0 ? 1_000 : 500_000);
      expect(w.data.every((v) => v === c.step)).toBe(true);
      return c.step as number;
    };
    // Read while at least 6 versions of both sizes are written.
    const steps = new Set<number>();
    while (steps.size < 6) {
      steps.add(whole());
      await new Promise((r) => setTimeout(r, 2));
    }
    writer.kill("SIGKILL");
    await new Promise((r) => writer.once("close", r));
    whole();
    // A killed write leaves at most its temporary file, never in the file's place.
    expect(
      readdirSync(dir)
        .filter((n) => n !== "model.safetensors")
        .every((n) => n.endsWith(".tmp")),
    ).toBe(true);
    writeFileSync(path, readFileSync(path).subarray(0, 40));
    expect(() => loadCheckpoint(path)).toThrow(CorruptFileError);
  }, 60_000);
});

describe(".npy import", () => {
  it("reads a little-endian float64 C-order array", () => {
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";
    const padded = header + " ".repeat(64 - ((10 + header.length + 1) % 64)) + "\n";
    const bytes = new Uint8Array(10 + padded.length + 32);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(bytes.buffer).setUint16(8, padded.length, true);
    bytes.set(new TextEncoder().encode(padded), 10);
    const dv = new DataView(bytes.buffer, 10 + padded.length);
    [1, 2, 3, 4].forEach((v, i) => dv.setFloat64(i * 8, v, true));
    const t = decodeNpy(bytes);
    expect(t.dtype).toBe("float64");
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(() => decodeNpy(bytes.subarray(0, 40), "a.npy")).toThrow(/a.npy: file is truncated/);
  });
});
