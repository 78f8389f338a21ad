/**
 * A run records what computed its numbers (run directory and every checkpoint), and resuming it
 * with other numerics says which switch differs instead of silently producing other numbers.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import { Run } from "../../src/app/runs/run.ts";
import { resumeRun, startRun } from "../../src/app/runs/train.ts";
import { decodeCheckpoint, encodeCheckpoint } from "../../src/io/checkpoint.ts";
import { decodeSafetensors, encodeSafetensors } from "../../src/io/safetensors.ts";
import { tensor } from "../../src/core/index.ts";
import { createWasmBackend, getBackend, isNumerics, setBackend } from "../../src/kernels/index.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-numerics-"));
const config = parseRunConfig({
  model: { hidden: 8 },
  training: { epochs: 3, stepsPerEpoch: 2 },
  evaluation: { trials: 16 },
});
const before = getBackend();
afterAll(() => setBackend(before));

const relaxed = createWasmBackend({ threads: 1, relaxedSimd: true });
const plain = createWasmBackend({ threads: 1, relaxedSimd: false });

/** Starts a run on `backend` that crashes after its first epoch. */
function crashedRun(name: string): string {
  const path = join(dir, name);
  setBackend(relaxed);
  expect(() =>
    startRun(path, config, {
      onEpoch: () => {
        throw new Error("crash");
      },
    }),
  ).toThrow("crash");
  return path;
}

describe("a run's numerics", () => {
  it.runIf(relaxed.numerics.kernels === "wasm-relaxed-simd")(
    "are recorded in numerics.json and in each checkpoint; resuming with another build warns naming it",
    () => {
      const path = crashedRun("switched");
      const checkpoint = Run.open(path).checkpoints()[0]!;
      const saved = decodeCheckpoint(new Uint8Array(readFileSync(checkpoint.path)));
      expect(saved.numerics).toEqual(relaxed.numerics);

      setBackend(plain);
      const warnings: string[] = [];
      const resumed = resumeRun(path, { onWarning: (m) => warnings.push(m) });
      expect(resumed.numericsChanged).toContain("WebAssembly SIMD128 without relaxed SIMD");
      expect(resumed.numericsChanged).toContain("BRAINTS_RELAXED_SIMD=0");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(checkpoint.path);
      expect(warnings[0]).toContain("will not match an uninterrupted run bit for bit");

      const spans = JSON.parse(readFileSync(join(path, "numerics.json"), "utf8")) as unknown[];
      expect(spans).toEqual([
        { fromEpoch: 0, ...relaxed.numerics, backend: relaxed.name, threads: 1 },
        { fromEpoch: 1, kernels: "wasm-simd128", backend: "wasm", threads: 1 },
      ]);
      const last = Run.open(path).checkpoints().at(-1)!;
      expect(decodeCheckpoint(new Uint8Array(readFileSync(last.path))).numerics).toEqual(plain.numerics);
    },
  );

  it("resume without a warning on the same numerics, whatever the thread count", () => {
    const path = crashedRun("same");
    setBackend(createWasmBackend({ threads: 2, relaxedSimd: true }));
    const warnings: string[] = [];
    const resumed = resumeRun(path, { onWarning: (m) => warnings.push(m) });
    expect(resumed.resumedFrom?.epoch).toBe(1);
    expect(resumed.numericsChanged).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("round-trip through a checkpoint; a malformed record is a corrupt file", () => {
    const numerics = { kernels: "wasm-relaxed-simd", fusedMultiplyAdd: false } as const;
    const bytes = encodeCheckpoint({ params: { w: tensor([1]) }, numerics });
    expect(decodeCheckpoint(bytes).numerics).toEqual(numerics);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const bad = encodeSafetensors(tensors, { ...metadata, "braints.numerics": '{"kernels":"gpu"}' });
    expect(() => decodeCheckpoint(bad, "ck")).toThrow(
      'ck: metadata braints.numerics must name a kernel build, got {"kernels":"gpu"}',
    );
    expect(isNumerics({ kernels: "js", fusedMultiplyAdd: "yes" })).toBe(false);
  });
});
