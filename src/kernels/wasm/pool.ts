/**
 * A pool of worker threads that run kernels on the same shared WebAssembly memory as the calling
 * thread. Dispatch is synchronous: the caller writes the shards' arguments to a shared job table,
 * wakes the workers, claims shards itself like any worker (an atomic counter hands them out),
 * then blocks in `Atomics.wait` until every worker is idle again.
 *
 * The workers are Node worker threads, or in a browser Web Workers started from a Blob URL. A
 * browser allows it only in a cross-origin isolated page (shared memory) and off the main thread
 * (which may not block), so there the pool serves code running in a Web Worker, and starts
 * asynchronously (`initBackend`): a browser starts a worker only once its creator returns to its
 * event loop. Node workers are unref'd: they never keep the process alive.
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

/** What a worker is started with. */
interface WorkerSetup {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly jobsOffset: number;
  readonly slot: number;
  readonly names: readonly string[];
}

// The worker's program as plain JavaScript, so it needs no loader or bundler whatever runs the
// library: `start(setup)` instantiates the kernels and serves jobs until the thread is ended.
const WORKER_MAIN = `
function start({ module, memory, control, jobsOffset, slot, names }) {
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
}
`;

type WorkerThreads = typeof import("node:worker_threads");

/** The browser's Worker and Blob URLs, where they exist. */
interface WebHost {
  readonly Worker?: new (url: string) => { postMessage(message: unknown): void };
  readonly crossOriginIsolated?: boolean;
  readonly WorkerGlobalScope?: unknown;
}
const web = globalThis as WebHost;

/** Starts one worker on `setup`, with the host's threads. */
type Spawn = (setup: WorkerSetup) => void;

function nodeSpawn(wt: WorkerThreads): Spawn {
  const source = `${WORKER_MAIN}\nstart(require("node:worker_threads").workerData);`;
  return (setup) => new wt.Worker(source, { eval: true, workerData: setup }).unref();
}

function webSpawn(Worker: NonNullable<WebHost["Worker"]>): Spawn {
  const source = `${WORKER_MAIN}\nself.onmessage = (event) => start(event.data);`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return (setup) => new Worker(url).postMessage(setup);
}

/**
 * How this host starts workers for the pool, if it can run one: Node with worker_threads, or a
 * cross-origin isolated browser context that is itself a worker (only those may block).
 */
function spawner(): Spawn | undefined {
  if (typeof SharedArrayBuffer !== "function") return undefined;
  const wt = nodeBuiltin<WorkerThreads>("node:worker_threads");
  if (wt) return nodeSpawn(wt);
  const inWorker = web.WorkerGlobalScope !== undefined;
  if (web.Worker && inWorker && web.crossOriginIsolated === true) return webSpawn(web.Worker);
  return undefined;
}

/**
 * Whether this environment can run a worker pool: synchronously started (Node), or with
 * `async: true` also started asynchronously (a cross-origin isolated browser worker).
 */
export function poolSupported(async = false): boolean {
  return spawner() !== undefined && (async || nodeBuiltin("node:worker_threads") !== undefined);
}

/** The pool's workers, started and not yet ready: the shared words to watch, and the executor to use. */
interface Starting {
  readonly words: Int32Array;
  readonly workers: number;
  readonly executor: Executor;
}

const readyWord = (slot: number) => HEADER + slot * PER_WORKER + READY;

function startWorkers(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  exports: KernelExports,
  threads: number,
): Starting {
  const spawn = spawner();
  if (!spawn) throw new Error("createPool: this environment cannot run worker threads on shared memory");
  const workers = threads - 1;
  const jobsOffset = 8 * Math.ceil((HEADER + PER_WORKER * workers) / 2);
  const control = new SharedArrayBuffer(jobsOffset + 8 * MAX_SHARDS * ROW);
  const words = new Int32Array(control, 0, jobsOffset / 4);
  for (let slot = 0; slot < workers; slot++) {
    spawn({ module, memory, control, jobsOffset, slot, names: THREADED_KERNELS });
  }
  return { words, workers, executor: dispatcher(control, jobsOffset, exports, threads) };
}

/**
 * Starts `threads - 1` workers on `memory` (shared) running `module`, the calling thread being
 * the first of `threads`. Blocks until the workers are ready (Node only: see the module note).
 */
export function createPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  exports: KernelExports,
  threads: number,
): Executor {
  const { words, workers, executor } = startWorkers(module, memory, exports, threads);
  for (let slot = 0; slot < workers; slot++) {
    if (Atomics.wait(words, readyWord(slot), 0, START_TIMEOUT_MS) === "timed-out") {
      throw new Error(`createPool: a kernel worker did not start within ${START_TIMEOUT_MS} ms`);
    }
  }
  return executor;
}

/** {@link createPool}, waiting for the workers without blocking (browsers start them meanwhile). */
export async function createPoolAsync(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  exports: KernelExports,
  threads: number,
): Promise<Executor> {
  const { words, workers, executor } = startWorkers(module, memory, exports, threads);
  const t0 = Date.now();
  for (let slot = 0; slot < workers; slot++) {
    while (Atomics.load(words, readyWord(slot)) === 0) {
      if (Date.now() - t0 > START_TIMEOUT_MS)
        throw new Error(`createPool: a kernel worker did not start within ${START_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  return executor;
}

/** The calling thread's side of the pool: posts shards, runs its share, waits for the workers. */
function dispatcher(
  control: SharedArrayBuffer,
  jobsOffset: number,
  exports: KernelExports,
  threads: number,
): Executor {
  const workers = threads - 1;
  const words = new Int32Array(control, 0, jobsOffset / 4);
  const jobs = new Float64Array(control, jobsOffset);
  const posted = new Array<number>(workers).fill(0);
  const word = (slot: number, field: number) => HEADER + slot * PER_WORKER + field;
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
