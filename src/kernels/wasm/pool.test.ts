import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createWasmBackend } from "./backend.ts";

it("runs a call that has fewer shards than threads", () => {
  const backend = createWasmBackend({ threads: 3, minParallelFlops: 0 });
  const C = new Float32Array(1);
  backend.gemm(false, false, 1, 1, 1, 1, Float32Array.of(2), Float32Array.of(3), 0, C);
  expect(C[0]).toBe(6);
});

it("does not keep the process alive once the work is done", () => {
  const script = fileURLToPath(new URL("./pool-exit.fixture.ts", import.meta.url));
  const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 20_000 });
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toBe("3");
  expect(run.status).toBe(0);
});
