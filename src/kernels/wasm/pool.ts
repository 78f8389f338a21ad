/**
 * A pool of worker threads that run kernels on the same shared WebAssembly memory as the calling
 * thread. Dispatch is synchronous: the caller writes the shards' arguments to a shared job table,
 * wakes the workers, claims shards itself like any worker (an atomic counter hands them out),
 * then blocks in `Atomics.wait` until every worker is idle again.
 *
 * Node only (worker_threads); a browser main thread may not block, so there the backend runs on
 * one thread. Workers are unref'd: they never keep the process alive, and exiting kills them.
 */
import { nodeBuiltin } from "../../base/host.ts";
import { callKernel, type Executor } from "./executor.ts";
import { THREADED_KERNELS, type KernelExports } from "./loader.ts";

// Shared control block, int32 words: the next shard to claim, the shard count, the kernel index,
// then per worker [jobs posted to it, jobs it finished, status of its last job (0 ok, 1 threw),
// ready flag]. The job table follows: float64 rows of [argument count, ...arguments] (float64
// holds every i32 and f32 exactly).
const NEXT = 0;
const COUNT = 1;
const KERNEL = 2;
const HEADER = 4;
const POSTED = 0;
const DONE = 1;
const STATUS = 2;
const READY = 3;
const PER_WORKER = 4;
/** Most shards one call may have, and most arguments one shard may have. */
export const MAX_SHARDS = 64;
const ROW = 32;
const START_TIMEOUT_MS = 10_000;

// Plain JS run with `eval: true`, so it needs no loader or bundler whatever runs the library.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, jobsOffset, slot, names } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = names.map((name) => exports[name]);
const words = new Int32Array(control, 0, jobsOffset / 4);
const jobs = new Float64Array(control, jobsOffset);
const me = ${HEADER} + slot * ${PER_WORKER};
Atomics.store(words, me + ${READY}, 1);
Atomics.notify(words, me + ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(words, me + ${POSTED}, seen);
  seen = Atomics.load(words, me + ${POSTED});
  let status = 0;
  try {
    const kernel = kernels[words[${KERNEL}]];
    const count = words[${COUNT}];
    for (let i = Atomics.add(words, ${NEXT}, 1); i < count; i = Atomics.add(words, ${NEXT}, 1)) {
      const row = i * ${ROW};
      kernel(...jobs.subarray(row + 1, row + 1 + jobs[row]));
    }
  } catch {
    status = 1;
  }
  Atomics.store(words, me + ${STATUS}, status);
  Atomics.store(words, me + ${DONE}, seen);
  Atomics.notify(words, me + ${DONE});
}
`;

type WorkerThreads = typeof import("node:worker_threads");

function workerThreads(): WorkerThreads | undefined {
  return nodeBuiltin<WorkerThreads>("node:worker_threads");
}

/** Whether this environment can run a synchronous worker pool. */
export function poolSupported(): boolean {
  return workerThreads() !== undefined && typeof SharedArrayBuffer === "function";
}

/**
 * Starts `threads - 1` workers on `memory` (shared) running `module`, the calling thread being
 * the first of `threads`. Blocks until the workers are ready.
 */
export function createPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  exports: KernelExports,
  threads: number,
): Executor {
  const wt = workerThreads();
  if (!wt) throw new Error("createPool: worker_threads is not available here");
  const workers = threads - 1;
  const jobsOffset = 8 * Math.ceil((HEADER + PER_WORKER * workers) / 2);
  const control = new SharedArrayBuffer(jobsOffset + 8 * MAX_SHARDS * ROW);
  const words = new Int32Array(control, 0, jobsOffset / 4);
  const jobs = new Float64Array(control, jobsOffset);
  const posted = new Array<number>(workers).fill(0);
  for (let slot = 0; slot < workers; slot++) {
    const worker = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, control, jobsOffset, slot, names: THREADED_KERNELS },
    });
    worker.unref();
  }
  const word = (slot: number, field: number) => HEADER + slot * PER_WORKER + field;
  for (let slot = 0; slot < workers; slot++) {
    if (Atomics.wait(words, word(slot, READY), 0, START_TIMEOUT_MS) === "timed-out") {
      throw new Error(`createPool: a kernel worker did not start within ${START_TIMEOUT_MS} ms`);
    }
  }
  return {
    threads,
    run(kernel, shards) {
      if (shards.length > MAX_SHARDS)
        throw new Error(`${kernel}: at most ${MAX_SHARDS} shards, got ${shards.length}`);
      shards.forEach((args, i) => {
        jobs[i * ROW] = args.length;
        jobs.set(args, i * ROW + 1);
      });
      Atomics.store(words, COUNT, shards.length);
      Atomics.store(words, KERNEL, THREADED_KERNELS.indexOf(kernel));
      Atomics.store(words, NEXT, 0);
      // Wake only as many workers as there are shards beyond the caller's first.
      const woken = Math.min(workers, shards.length - 1);
      for (let slot = 0; slot < woken; slot++) {
        posted[slot]!++;
        Atomics.store(words, word(slot, POSTED), posted[slot]!);
        Atomics.notify(words, word(slot, POSTED));
      }
      try {
        for (let i = Atomics.add(words, NEXT, 1); i < shards.length; i = Atomics.add(words, NEXT, 1)) {
          callKernel(exports, kernel, shards[i]!);
        }
      } finally {
        // Wait even if a shard threw here: the workers may still be using the memory.
        for (let slot = 0; slot < woken; slot++) {
          const at = word(slot, DONE);
          for (let done = Atomics.load(words, at); done !== posted[slot]; done = Atomics.load(words, at)) {
            Atomics.wait(words, at, done);
          }
        }
      }
      for (let slot = 0; slot < woken; slot++) {
        if (Atomics.load(words, word(slot, STATUS)) !== 0)
          throw new Error(`${kernel}: a kernel worker failed`);
      }
    },
  };
}
