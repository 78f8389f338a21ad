/**
 * Which backend the core calls. The default is the fastest that works here: WASM SIMD on a
 * worker pool, then single-threaded WASM, then plain TypeScript.
 */
import type { KernelBackend } from "./backend.ts";
import { jsBackend } from "./js/backend.ts";
import { registerResidency } from "./residency.ts";
import { Arena } from "./wasm/arena.ts";
import { createWasmBackend, loadWasmBackend, type WasmBackendOptions } from "./wasm/backend.ts";
import { ValueError } from "../base/errors.ts";
import { environment as env, nodeBuiltin } from "../base/host.ts";

/** The selectable backends. `"wasm-mt"` is `"wasm"` with a worker pool of {@link defaultThreads} threads. */
export type BackendName = "js" | "wasm" | "wasm-mt";

const BACKEND_NAMES: readonly BackendName[] = ["js", "wasm", "wasm-mt"];

/** Options of {@link setBackend}. */
export interface BackendOptions {
  /** Threads for `"wasm-mt"`, the caller's included; default {@link defaultThreads}. */
  readonly threads?: number;
  /**
   * Use the relaxed-SIMD (FMA) build for `"wasm"` / `"wasm-mt"` where supported; default: true
   * unless the `BRAINTS_RELAXED_SIMD` environment variable is `0`. See `WasmBackendOptions.relaxedSimd`.
   */
  readonly relaxedSimd?: boolean;
}

/**
 * Threads `"wasm-mt"` uses unless told otherwise: the `BRAINTS_THREADS` environment variable if
 * set, else min(2, available cores). At most two by default because each extra worker adds wake-up
 * latency to every parallel call and the per-call work here is small; set the variable for more.
 */
export function defaultThreads(): number {
  const fromEnv = Number(env().BRAINTS_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  const os = nodeBuiltin<{ availableParallelism(): number }>("node:os");
  const cores =
    os?.availableParallelism() ??
    (globalThis as { navigator?: Navigator }).navigator?.hardwareConcurrency ??
    1;
  return Math.max(1, Math.min(2, cores));
}

let current: KernelBackend | undefined;

/**
 * Makes `next` the backend the core calls. A fused forward may have left outputs only its backward
 * reads in its backend's memory (see `Arena.keep`): they are written out first, as that backward
 * may now run on `next` and read them from their arrays.
 */
function switchTo(next: KernelBackend): KernelBackend {
  if (next !== current) Arena.settleAll();
  if (next.residency) registerResidency(next.residency);
  current = next;
  return next;
}

/** The WASM options a name stands for (undefined for `"js"`). */
function wasmOptions(name: BackendName, options: BackendOptions): WasmBackendOptions | undefined {
  const relaxedSimd = options.relaxedSimd ?? env().BRAINTS_RELAXED_SIMD !== "0";
  switch (name) {
    case "js":
      return undefined;
    case "wasm":
      return { threads: 1, relaxedSimd };
    case "wasm-mt":
      return { threads: options.threads ?? defaultThreads(), relaxedSimd };
    default:
      throw new ValueError(
        `setBackend: name must be one of ${BACKEND_NAMES.join(", ")}, got "${String(name)}"`,
      );
  }
}

/** Creates a backend by name (each call a new instance; `"wasm-mt"` starts its own workers). */
export function createBackend(name: BackendName, options: BackendOptions = {}): KernelBackend {
  const wasm = wasmOptions(name, options);
  return wasm ? createWasmBackend(wasm) : jsBackend;
}

/** Makes `backend` (a name, or an object implementing the contract) the one the core calls. */
export function setBackend(
  backend: BackendName | KernelBackend,
  options: BackendOptions = {},
): KernelBackend {
  return switchTo(typeof backend === "string" ? createBackend(backend, options) : backend);
}

/** Preference order of the default backend; `"js"` is the last resort. */
const DEFAULT_ORDER = ["wasm-mt", "wasm"] as const;

/** The backend the core calls, choosing the default on first use. */
export function getBackend(): KernelBackend {
  if (current) return current;
  for (const name of DEFAULT_ORDER) {
    try {
      return setBackend(name);
    } catch {
      // This environment lacks WebAssembly SIMD or workers, or forbids synchronous decompression
      // or compilation (a browser before initBackend).
    }
  }
  return setBackend("js");
}

/**
 * Runs `fn` with the active backend free to keep GEMM operands in its memory between products (see
 * `Residency.keeping`); just `fn()` on a backend that keeps nothing. For a scan's steps and a
 * reverse pass, which read one weight many times and refill no array they read.
 */
export function keepingOperands<R>(fn: () => R): R {
  const residency = getBackend().residency;
  return residency ? residency.keeping(fn) : fn();
}

/**
 * Sets the backend like {@link setBackend} (or, without a name, the default of
 * {@link getBackend}), decompressing and compiling the WASM and starting the worker pool
 * asynchronously. Call it once at start-up in a browser, which decompresses only asynchronously,
 * compiles modules of this size only asynchronously on its main thread and starts workers only
 * between tasks (without it the browser gets the `"js"` backend): in a Web Worker of a cross-origin isolated
 * page this starts the `"wasm-mt"` pool; elsewhere in a browser the kernels run on one thread.
 * In Node it is optional.
 *
 * @example
 * await initBackend(); // then train as usual
 */
export async function initBackend(name?: BackendName, options: BackendOptions = {}): Promise<KernelBackend> {
  for (const candidate of name ? [name] : DEFAULT_ORDER) {
    const wasm = wasmOptions(candidate, options);
    try {
      return switchTo(wasm ? await loadWasmBackend(wasm) : jsBackend);
    } catch (error) {
      if (name) throw error;
    }
  }
  return switchTo(jsBackend);
}
