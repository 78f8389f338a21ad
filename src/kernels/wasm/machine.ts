/**
 * One instance of the WASM kernels with what it runs on: its memory (through an arena), its
 * executor (the calling thread alone, or a worker pool on shared memory), and the policy that
 * decides how many shards a call is cut into.
 */
import { Arena } from "./arena.ts";
import { localExecutor, type Executor } from "./executor.ts";
import type { ThreadedKernel } from "./loader.ts";
import {
  compileKernelModule,
  instantiateKernels,
  instantiateKernelsAsync,
  kernelModule,
  loadKernelBuilds,
  relaxedSimdSupported,
  type KernelExports,
  type WasmVariant,
} from "./loader.ts";
import { createPool, createPoolAsync, poolSupported } from "./pool.ts";

/** Microkernel tile rows and columns (MR, NR in assembly/microkernel.ts); shards are cut on them. */
export const MR = 4;
export const NR = 8;
/** Inner sizes up to this take direct loops in the recurrence, unpacked (FEW in assembly/recurrence.ts). */
export const FEW = 8;
/** Must equal `--maximumMemory` of the shared builds (scripts/build-wasm.ts). */
const MAX_PAGES = 32768;
/** Below this many flops a call stays on one thread: waking a worker costs more than it saves. */
const MIN_PARALLEL_FLOPS = 1 << 22;

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /**
   * Threads to compute on, the caller's included (default 1). More than one runs a worker pool on
   * shared memory: in Node, and in a browser inside a Web Worker of a cross-origin isolated page
   * when started asynchronously (`loadWasmBackend`, `initBackend`); elsewhere it runs on 1.
   */
  readonly threads?: number;
  /** Calls with fewer flops than this run on one thread (default 2^22; tests set 0 to exercise the pool). */
  readonly minParallelFlops?: number;
  /**
   * Use the relaxed-SIMD build (fused multiply-add in the GEMM microkernel, 15–25% faster
   * training steps) where the engine can compile it; default true. Its results differ from the
   * plain SIMD build's by float rounding; `false` gives the plain build. Node 20 keeps relaxed SIMD
   * behind a V8 flag, which checking for it sets (process-wide, once; it only admits the extra
   * WebAssembly instructions); newer Node versions and browsers have it on.
   */
  readonly relaxedSimd?: boolean;
}

/** A running instance of the kernels. */
export interface Machine {
  readonly exports: KernelExports;
  readonly arena: Arena;
  readonly exec: Executor;
  /** Whether it runs the relaxed-SIMD build. */
  readonly relaxed: boolean;
  /** Whether its multiply-adds are fused (one rounding): relaxed SIMD on a CPU with FMA. */
  readonly fusedMultiplyAdd: boolean;
  /**
   * How many shards to cut `size` rows (or columns, or elements) of a `flops`-sized call into:
   * one when small; else two per thread where shards keep at least `grain` rows each, so the
   * pool can rebalance when the OS delays a thread, and at least one per thread. Only for splits
   * that cannot change a result (rows of a product, elements of an update): a split whose partial
   * results are summed takes `reductionShards`, which ignores the threads.
   */
  shards(flops: number, size: number, grain: number): number;
  /**
   * Runs `kernel` once per shard: on the pool, or on the calling thread alone when the call has
   * fewer than `minParallelFlops` flops (waking a worker would cost more than it saves).
   */
  run(kernel: ThreadedKernel, shards: readonly (readonly number[])[], flops: number): void;
}

/** What to instantiate, decided from the options before any compilation. */
interface Plan {
  readonly threads: number;
  readonly relaxed: boolean;
  readonly pooled: boolean;
  readonly memory: WebAssembly.Memory;
  readonly variant: WasmVariant;
  readonly minParallelFlops: number;
}

function plan(options: WasmBackendOptions, async: boolean): Plan {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const relaxed = options.relaxedSimd !== false && relaxedSimdSupported();
  const pooled = threads > 1 && poolSupported(async);
  const memory = pooled
    ? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })
    : new WebAssembly.Memory({ initial: 1 });
  const variant: WasmVariant = `${relaxed ? "relaxed" : "simd"}${pooled ? "-shared" : ""}`;
  return {
    threads,
    relaxed,
    pooled,
    memory,
    variant,
    minParallelFlops: options.minParallelFlops ?? MIN_PARALLEL_FLOPS,
  };
}

function assemble(p: Plan, exports: KernelExports, exec: Executor): Machine {
  const local = localExecutor(exports);
  return {
    exports,
    arena: new Arena(p.memory, exports.heapBase()),
    exec,
    relaxed: p.relaxed,
    fusedMultiplyAdd: fusesMultiplyAdd(exports),
    shards: (flops, size, grain) =>
      flops < p.minParallelFlops || exec.threads === 1
        ? 1
        : Math.min(2 * exec.threads, Math.max(exec.threads, Math.floor(size / grain))),
    run: (kernel, shards, flops) => (flops < p.minParallelFlops ? local : exec).run(kernel, shards),
  };
}

/**
 * Whether the build's multiply-add rounds once: (1 + 2⁻¹³)² = 1 + 2⁻¹² + 2⁻²⁶ needs more than float
 * precision, so subtracting 1 + 2⁻¹² leaves 2⁻²⁶ when fused and 0 after a rounded product.
 */
function fusesMultiplyAdd(exports: KernelExports): boolean {
  const x = 1 + 2 ** -13;
  return exports.maddProbe(x, x, -(1 + 2 ** -12)) !== 0;
}

/** Instantiates the kernels, with a worker pool when asked for more than one thread and possible. */
export function startMachine(options: WasmBackendOptions): Machine {
  const p = plan(options, false);
  const module = kernelModule(p.variant);
  const exports = instantiateKernels(module, p.memory);
  return assemble(
    p,
    exports,
    p.pooled ? createPool(module, p.memory, exports, p.threads) : localExecutor(exports),
  );
}

/**
 * {@link startMachine} with asynchronous decompression, compilation and pool start: for browsers,
 * which decompress only asynchronously, compile large modules asynchronously on their main thread
 * and start workers only between tasks.
 */
export async function startMachineAsync(options: WasmBackendOptions): Promise<Machine> {
  await loadKernelBuilds();
  const p = plan(options, true);
  const module = await compileKernelModule(p.variant);
  const exports = await instantiateKernelsAsync(module, p.memory);
  const exec = p.pooled
    ? await createPoolAsync(module, p.memory, exports, p.threads)
    : localExecutor(exports);
  return assemble(p, exports, exec);
}
