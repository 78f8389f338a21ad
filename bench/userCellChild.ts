/**
 * The child of `bench/userCellBundled.ts`: bundled with the library by esbuild and run in a fresh
 * process, it times W4 and W6 alternating on the 1-thread WebAssembly backend and prints each
 * one's best round as JSON (`UserCellFigures`).
 */
import { createBackend, setBackend } from "../src/kernels/index.ts";
import { timeSteps } from "./harness.ts";
import { TRAINING_WORKLOADS, USER_CELL_WORKLOAD, type TrainingWorkload } from "./workloads.ts";

/** Each workload's fastest round (wall ms per step) and least CPU ms per step (every thread), 1 thread. */
export interface UserCellFigures {
  readonly w4: { readonly ms: number; readonly cpuMs: number };
  readonly w6: { readonly ms: number; readonly cpuMs: number };
}

function measure(rounds: number): UserCellFigures {
  setBackend(createBackend("wasm-mt", { threads: 1 }));
  const w4 = TRAINING_WORKLOADS.find((w) => w.name === "W4") as TrainingWorkload;
  const pair = [w4, USER_CELL_WORKLOAD];
  const best = pair.map(() => ({ ms: Infinity, cpuMs: Infinity }));
  for (let r = 0; r < rounds; r++) {
    pair.forEach((w, i) => {
      const t = timeSteps(w.make(), w.steps, w.warmup);
      const b = best[i] as { ms: number; cpuMs: number };
      b.ms = Math.min(b.ms, t.msMedian);
      b.cpuMs = Math.min(b.cpuMs, t.cpuMs);
    });
  }
  return { w4: best[0]!, w6: best[1]! };
}

const rounds = Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3);
if (process.argv.includes("--user-cell-child")) console.log(JSON.stringify(measure(rounds)));
