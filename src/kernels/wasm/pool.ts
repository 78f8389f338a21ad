/**
 * A pool of worker threads that run kernels on the same shared WebAssembly memory as the calling
 * thread. Dispatch is synchronous: the caller posts each worker its shard through a small shared
 * control block, runs shard 0 itself, then blocks in `Atomics.wait` until every worker is done.
 *
 * Node only (worker_threads); a browser main thread may not block, so there the backend runs on
 * one thread. Workers are unref'd: they never keep the process alive, and exiting kills them.
 */
import { callKernel, type Executor } from "./executor.ts";
import { THREADED_KERNELS, type KernelExports } from "./loader.ts";

// Control block per worker: four int32 flags, then the shard as float64 values
// ([kernel index, argument count, ...arguments]; float64 holds every i32 and f32 exactly).
const POSTED = 0; // jobs posted by the caller
const DONE = 1; // jobs finished by the worker
const STATUS = 2; // 0 ok, 1 the last job threw
const READY = 3; // 1 once the worker has instantiated the module
const FLAG_BYTES = 16;
const MAX_ARGS = 32;
const START_TIMEOUT_MS = 10_000;

// Plain JS run with `eval: true`, so it needs no loader or bundler whatever runs the library.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, names } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = names.map((name) => exports[name]);
const flags = new Int32Array(control, 0, 4);
const args = new Float64Array(control, ${FLAG_BYTES});
Atomics.store(flags, ${READY}, 1);
Atomics.notify(flags, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(flags, ${POSTED}, seen);
  seen = Atomics.load(flags, ${POSTED});
  let status = 0;
  try {
    kernels[args[0]](...args.subarray(2, 2 + args[1]));
  } catch {
    status = 1;
  }
  Atomics.store(flags, ${STATUS}, status);
  Atomics.store(flags, ${DONE}, seen);
  Atomics.notify(flags, ${DONE});
}
`;

interface PoolWorker {
  readonly flags: Int32Array;
  readonly args: Float64Array;
  posted: number;
}

type WorkerThreads = typeof import("node:worker_threads");

function workerThreads(): WorkerThreads | undefined {
  // getBuiltinModule (Node ≥ 20.16) loads worker_threads synchronously without a static import
  // that would break browser bundles.
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined;
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
  const workers: PoolWorker[] = [];
  for (let i = 1; i < threads; i++) {
    const control = new SharedArrayBuffer(FLAG_BYTES + 8 * (MAX_ARGS + 2));
    const worker = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, control, names: THREADED_KERNELS },
    });
    worker.unref();
    const flags = new Int32Array(control, 0, 4);
    workers.push({ flags, args: new Float64Array(control, FLAG_BYTES), posted: 0 });
  }
  for (const w of workers) {
    if (Atomics.wait(w.flags, READY, 0, START_TIMEOUT_MS) === "timed-out") {
      throw new Error(`createPool: a kernel worker did not start within ${START_TIMEOUT_MS} ms`);
    }
  }
  return {
    threads,
    run(kernel, shards) {
      const index = THREADED_KERNELS.indexOf(kernel);
      const active = workers.slice(0, shards.length - 1);
      active.forEach((w, i) => {
        const args = shards[i + 1]!;
        w.args[0] = index;
        w.args[1] = args.length;
        w.args.set(args, 2);
        w.posted++;
        Atomics.store(w.flags, POSTED, w.posted);
        Atomics.notify(w.flags, POSTED);
      });
      try {
        if (shards[0]) callKernel(exports, kernel, shards[0]);
      } finally {
        // Wait even if our shard threw: the workers still read the shared memory.
        for (const w of active) {
          for (
            let done = Atomics.load(w.flags, DONE);
            done !== w.posted;
            done = Atomics.load(w.flags, DONE)
          ) {
            Atomics.wait(w.flags, DONE, done);
          }
        }
      }
      if (active.some((w) => Atomics.load(w.flags, STATUS) !== 0)) {
        throw new Error(`${kernel}: a kernel worker failed`);
      }
    },
  };
}
