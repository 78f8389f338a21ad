/**
 * The WASM SIMD backends: inputs are copied into the module's memory, the kernel runs there (on
 * one thread, or split across a worker pool by batch rows or GEMM rows/columns), and outputs are
 * copied back out.
 */
import {
  ACTIVATIONS,
  UPDATE_ORDERS,
  type KernelBackend,
  type RecurrenceBackwardArgs,
  type RecurrenceForwardArgs,
} from "../backend.ts";
import {
  validateAdam,
  validateGemm,
  validateRecurrenceBackward,
  validateRecurrenceForward,
} from "../validate.ts";
import { Arena } from "./arena.ts";
import { localExecutor, splitRange, type Executor } from "./executor.ts";
import { instantiateKernels, kernelModule, relaxedSimdSupported } from "./loader.ts";
import { createPool, poolSupported } from "./pool.ts";

/** Must equal `--maximumMemory` of the shared build (scripts/build-wasm.ts). */
const MAX_PAGES = 32768;
/** Microkernel tile: rows (MR) and columns (NR); shards are cut on these boundaries. */
const MR = 4;
const NR = 8;
/**
 * Smallest GEMM shard worth cutting, in rows (or columns) of C: each shard packs its own copy of
 * the other operand, which costs about 7/grain of its arithmetic.
 */
const GEMM_GRAIN = 64;
/** Smallest recurrence shard worth cutting, in batch rows: each shard streams wRec every step. */
const RECURRENCE_GRAIN = 16;
/** Below this many flops a call stays on one thread: waking a worker costs more than it saves. */
const MIN_PARALLEL_FLOPS = 1 << 22;

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** Threads to compute on, the caller's included (default 1). Falls back to 1 where workers cannot block. */
  readonly threads?: number;
  /** Calls with fewer flops than this run on one thread (default 2^22; tests set 0 to exercise the pool). */
  readonly minParallelFlops?: number;
  /**
   * Use the relaxed-SIMD build (fused multiply-add in the GEMM microkernel, ~25% faster, results
   * differ from plain SIMD by float rounding) where the engine supports it. Off by default: in
   * Node 20 it needs a V8 flag, which turning this on sets for the whole process.
   */
  readonly relaxedSimd?: boolean;
}

interface Machine {
  readonly exports: ReturnType<typeof instantiateKernels>;
  readonly arena: Arena;
  readonly exec: Executor;
}

function startMachine(threads: number, relaxed: boolean): Machine {
  if (threads > 1 && poolSupported()) {
    const module = kernelModule(relaxed ? "relaxed-shared" : "simd-shared");
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const exports = instantiateKernels(module, memory);
    return {
      exports,
      arena: new Arena(memory, exports.heapBase()),
      exec: createPool(module, memory, exports, threads),
    };
  }
  const memory = new WebAssembly.Memory({ initial: 1 });
  const exports = instantiateKernels(kernelModule(relaxed ? "relaxed" : "simd"), memory);
  return { exports, arena: new Arena(memory, exports.heapBase()), exec: localExecutor(exports) };
}

/**
 * A WASM SIMD128 backend. With `threads > 1` it keeps a worker pool and splits large calls:
 * the recurrence by batch rows (no per-step synchronisation), GEMMs by rows or columns of C.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): KernelBackend {
  const relaxed = options.relaxedSimd === true && relaxedSimdSupported();
  const { exports, arena, exec } = startMachine(Math.max(1, Math.floor(options.threads ?? 1)), relaxed);
  const minParallelFlops = options.minParallelFlops ?? MIN_PARALLEL_FLOPS;
  /**
   * How many shards to cut `size` rows (or columns, or elements) of a `flops`-sized call into:
   * one when small; else two per thread where shards keep at least `grain` rows each, so the
   * pool can rebalance when the OS delays a thread, and at least one per thread.
   */
  const shardsFor = (flops: number, size: number, grain: number): number =>
    flops < minParallelFlops || exec.threads === 1
      ? 1
      : Math.min(2 * exec.threads, Math.max(exec.threads, Math.floor(size / grain)));
  const scratchFor = (shards: Array<[number, number]>, H: number): number[] =>
    shards.map(([b0, b1]) => arena.alloc(exports.recurrenceScratchBytes(b1 - b0, H)));

  /**
   * C ← alpha op(A) op(B) + beta C on arena pointers. Thin products (N < NR or M < MR) take the
   * direct loops; the rest the packed microkernel. Split over threads along the larger side.
   */
  function gemmAt(
    tA: boolean,
    tB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
  ) {
    const flops = 2 * M * N * K;
    if (N < NR || M < MR) {
      const thinRows = N >= NR;
      const [thin, wide] = thinRows ? [M, N] : [N, M];
      const ranges = splitRange(wide, shardsFor(flops, wide, GEMM_GRAIN), 4);
      const scratch = ranges.map(([r0, r1]) => arena.floats(exports.gemmThinScratchFloats(thin, K, r1 - r0)));
      exec.run(
        "gemmThin",
        ranges.map(([r0, r1], i) => [
          +thinRows,
          +tA,
          +tB,
          M,
          N,
          K,
          alpha,
          a,
          b,
          beta,
          c,
          r0,
          r1,
          scratch[i]!,
        ]),
      );
      return;
    }
    const byRows = M >= N;
    const size = byRows ? M : N;
    const ranges = splitRange(size, shardsFor(flops, size, GEMM_GRAIN), byRows ? MR : NR);
    const scratch = ranges.map(() => arena.alloc(exports.gemmScratchBytes()));
    exec.run(
      "gemm",
      ranges.map(([lo, hi], i) => {
        const [m0, m1, n0, n1] = byRows ? [lo, hi, 0, N] : [0, M, lo, hi];
        return [+tA, +tB, M, N, K, alpha, a, b, beta, c, m0, m1, n0, n1, scratch[i]!];
      }),
    );
  }

  /** Packs wRec (or its transpose) into the NR-column slivers the microkernel reads. */
  function packed(wRec: Float32Array, H: number, transpose: boolean): number {
    const w = arena.put(wRec);
    const wp = arena.floats(Math.ceil(H / NR) * NR * H);
    exports.packB(w, +transpose, H, 0, H, 0, H, 1, wp);
    return wp;
  }

  function rowShards(a: RecurrenceForwardArgs): Array<[number, number]> {
    return splitRange(a.B, shardsFor(2 * a.T * a.B * a.H * a.H, a.B, RECURRENCE_GRAIN), MR);
  }

  function forward(a: RecurrenceForwardArgs) {
    const { T, B, H } = a;
    const BH = B * H;
    arena.reset();
    const drive = arena.put(a.drive);
    const wp = packed(a.wRec, H, false);
    const hBase = arena.floats((T + 1) * BH);
    arena.view(hBase, BH).set(a.h0);
    const pre = arena.floats(T * BH);
    const shards = rowShards(a);
    const scratch = scratchFor(shards, H);
    const [act, order] = [ACTIVATIONS.indexOf(a.activation), UPDATE_ORDERS.indexOf(a.order)];
    exec.run(
      "recurrenceForward",
      shards.map(([b0, b1], i) => [T, B, H, b0, b1, drive, wp, hBase, pre, a.alpha, act, order, scratch[i]!]),
    );
    return { hs: arena.view(hBase + BH * 4, T * BH).slice(), pre: arena.view(pre, T * BH).slice() };
  }

  function backward(a: RecurrenceBackwardArgs) {
    const { T, B, H } = a;
    const BH = B * H;
    arena.reset();
    const dHs = arena.put(a.dHs);
    const pre = arena.put(a.pre);
    const wtp = packed(a.wRec, H, true);
    // [h0; h_0 … h_{T-1}]: its first T·B rows are h_{t-1} for every t, the A of the dWRec GEMM.
    const hBase = arena.floats((T + 1) * BH);
    arena.view(hBase, BH).set(a.h0);
    arena.view(hBase + BH * 4, T * BH).set(a.hs);
    const dDrive = arena.floats(T * BH);
    const dh0 = arena.floats(BH);
    const g = arena.floats(BH);
    const shards = rowShards(a);
    const scratch = scratchFor(shards, H);
    const [act, order] = [ACTIVATIONS.indexOf(a.activation), UPDATE_ORDERS.indexOf(a.order)];
    exec.run(
      "recurrenceBackward",
      shards.map(([b0, b1], i) => [
        T,
        B,
        H,
        b0,
        b1,
        dHs,
        pre,
        wtp,
        dDrive,
        dh0,
        g,
        a.alpha,
        act,
        order,
        scratch[i]!,
      ]),
    );
    const dW = arena.floats(H * H);
    gemmAt(true, false, H, H, T * B, 1, hBase, dDrive, 0, dW);
    return {
      dDrive: arena.view(dDrive, T * BH).slice(),
      dWRec: arena.view(dW, H * H).slice(),
      dh0: arena.view(dh0, BH).slice(),
    };
  }

  return {
    name: (exec.threads > 1 ? "wasm-mt" : "wasm") + (relaxed ? "+fma" : ""),
    threads: exec.threads,
    gemm(transA, transB, M, N, K, alpha, A, B, beta, C) {
      validateGemm(transA, transB, M, N, K, alpha, A, B, beta, C);
      arena.reset();
      const [a, b] = [arena.put(A), arena.put(B)];
      const c = beta === 0 ? arena.floats(C.length) : arena.put(C);
      gemmAt(transA, transB, M, N, K, alpha, a, b, beta, c);
      C.set(arena.view(c, C.length));
    },
    recurrenceForward(a) {
      validateRecurrenceForward(a);
      return forward(a);
    },
    recurrenceBackward(a) {
      validateRecurrenceBackward(a);
      return backward(a);
    },
    adamUpdate(a) {
      validateAdam(a);
      const n = a.param.length;
      arena.reset();
      const [p, g, m, v] = [arena.put(a.param), arena.put(a.grad), arena.put(a.m), arena.put(a.v)];
      const stepSize = a.lr / (1 - a.beta1 ** a.step);
      const invSqrtBc2 = 1 / Math.sqrt(1 - a.beta2 ** a.step);
      const decay = 1 - a.lr * a.weightDecay;
      exec.run(
        "adamUpdate",
        splitRange(n, shardsFor(n * 64, n, 4096), 16).map(([i0, i1]) => [
          p,
          g,
          m,
          v,
          i0,
          i1,
          a.beta1,
          a.beta2,
          a.eps,
          stepSize,
          invSqrtBc2,
          decay,
        ]),
      );
      a.param.set(arena.view(p, n));
      a.m.set(arena.view(m, n));
      a.v.set(arena.view(v, n));
    },
  };
}
