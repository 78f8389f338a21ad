/**
 * Compiles the embedded kernel module and instantiates it on a given memory. The binaries are
 * built ahead of time (see scripts/build-wasm.ts) and inlined compressed, so loading needs neither
 * files nor network, and no bundler needs configuring for them. Node decompresses them
 * synchronously (zlib); a browser only asynchronously (`DecompressionStream`), in
 * {@link loadKernelBuilds}, which the asynchronous start (`initBackend`) awaits.
 */
import { BraintsError } from "../../base/errors.ts";
import { nodeBuiltin } from "../../base/host.ts";
import { WASM_BLOCK_BYTES, WASM_DEFLATED, WASM_VARIANTS } from "./kernels.generated.ts";

/**
 * A build of the kernels: plain SIMD128 or relaxed SIMD (FMA), each on private memory or on
 * shared memory for threads.
 */
export type WasmVariant = keyof typeof WASM_VARIANTS;

/**
 * The module's exports. Pointers are byte offsets into the memory; booleans are 0/1. Signatures
 * and equations are documented in src/kernels/wasm/assembly.
 */
export interface KernelExports {
  gemm(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
    m0: number,
    m1: number,
    n0: number,
    n1: number,
    scratch: number,
  ): void;
  gemmScratchBytes(): number;
  addInto(dst: number, src: number, n: number): void;
  gemmThin(
    thinRows: number,
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
    r0: number,
    r1: number,
    scratch: number,
  ): void;
  gemmThinScratchFloats(thin: number, K: number, other: number): number;
  fewRowsTransposed(
    a: number,
    M: number,
    b: number,
    N: number,
    K: number,
    c: number,
    n0: number,
    n1: number,
  ): void;
  packB(
    b: number,
    transB: number,
    ldb: number,
    k0: number,
    kc: number,
    n0: number,
    nc: number,
    alpha: number,
    dst: number,
  ): void;
  recurrenceForward(
    T: number,
    B: number,
    H: number,
    b0: number,
    b1: number,
    drive: number,
    xa: number,
    Ia: number,
    wInP: number,
    wp: number,
    hBase: number,
    pre: number,
    y: number,
    O: number,
    wOutP: number,
    bOut: number,
    alpha: number,
    activation: number,
    order: number,
    tile: number,
  ): void;
  recurrenceBackward(
    T: number,
    B: number,
    H: number,
    b0: number,
    b1: number,
    dHs: number,
    dYs: number,
    O: number,
    wOutTP: number,
    pre: number,
    hBase: number,
    wtp: number,
    dDrive: number,
    dh0: number,
    dh0Wanted: number,
    g: number,
    alpha: number,
    activation: number,
    order: number,
    xa: number,
    Ia: number,
    grads: number,
    scratch: number,
  ): void;
  adamUpdate(
    param: number,
    grad: number,
    m: number,
    v: number,
    i0: number,
    i1: number,
    beta1: number,
    beta2: number,
    eps: number,
    stepSize: number,
    invSqrtBc2: number,
    decay: number,
  ): void;
  /** y ← tanh(x) or sigmoid(x) for n floats (kind numbered as ACTIVATIONS), both padded to whole vectors. */
  activateArray(x: number, y: number, n: number, kind: number): void;
  /** out ← a op b for n floats, b's m floats repeating (op: add 0, sub 1, mul 2, div 3). */
  binaryArray(a: number, b: number, out: number, n: number, m: number, op: number): void;
  recurrenceScratchBytes(rows: number, K: number): number;
  recurrenceBackwardScratchBytes(rows: number, H: number, K: number): number;
  recurrenceGradFloats(H: number, Ia: number, O: number): number;
  /** Arguments as in `assembly/gated.ts` and `assembly/horn.ts`. */
  gatedForward(...args: number[]): void;
  gatedBackward(...args: number[]): void;
  gatedForwardScratchBytes(rows: number, H: number, cell: number, Ia: number): number;
  gatedBackwardScratchBytes(rows: number, H: number, cell: number): number;
  gateActivate(x: number, y: number, n: number, kind: number): void;
  hornForward(...args: number[]): void;
  hornBackward(...args: number[]): void;
  hornForwardScratchBytes(rows: number, H: number, Ia: number): number;
  hornBackwardScratchBytes(rows: number, H: number): number;
  hornGradFloats(H: number): number;
  /** Arguments as in `assembly/spiking.ts` (sizes, row range, pointers, constants, scratch). */
  spikingForward(...args: number[]): void;
  spikingBackward(...args: number[]): void;
  spikingForwardScratchBytes(rows: number, nIn: number, N: number, O: number): number;
  spikingBackwardScratchBytes(
    T: number,
    rows: number,
    nIn: number,
    N: number,
    O: number,
    readout: number,
    kept: number,
  ): number;
  /** Bytes of a shard's tape of the spiking chain (v1 and spikes; the readout's maximum and U for `readout` 2). */
  spikingTapeBytes(T: number, rows: number, N: number, O: number, readout: number): number;
  /** Byte offset of a backward shard's dW1 and dW2 (f64) in its scratch. */
  spikingGradientsOffset(rows: number, N: number, O: number): number;
  /** a·b + c on one lane through the microkernel's multiply-add (see assembly/microkernel.ts). */
  maddProbe(a: number, b: number, c: number): number;
  heapBase(): number;
}

/** The exports a worker may be asked to run, by index (the pool sends the index, not the name). */
export const THREADED_KERNELS = [
  "gemm",
  "gemmThin",
  "fewRowsTransposed",
  "recurrenceForward",
  "recurrenceBackward",
  "adamUpdate",
  "spikingForward",
  "spikingBackward",
  "gatedForward",
  "gatedBackward",
  "hornForward",
  "hornBackward",
] as const;
export type ThreadedKernel = (typeof THREADED_KERNELS)[number];

const modules = new Map<WasmVariant, WebAssembly.Module>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The decompressed builds, by variant (each a view into one buffer). */
let builds: ReadonlyMap<WasmVariant, Uint8Array<ArrayBuffer>> | undefined;

/** Puts the decompressed builds' interleaved blocks back together, one view per variant. */
function cut(all: Uint8Array<ArrayBuffer>): ReadonlyMap<WasmVariant, Uint8Array<ArrayBuffer>> {
  const variants = Object.entries(WASM_VARIANTS) as [WasmVariant, number][];
  const joined = new Uint8Array(all.length);
  const starts: number[] = [];
  variants.reduce((start, [, length]) => (starts.push(start), start + length), 0);
  let at = 0;
  for (let offset = 0; at < all.length; offset += WASM_BLOCK_BYTES) {
    variants.forEach(([, length], i) => {
      // A variant shorter than this offset has no block here (and its offset may lie past the end).
      const n = Math.max(0, Math.min(WASM_BLOCK_BYTES, length - offset));
      if (n > 0) joined.set(all.subarray(at, at + n), (starts[i] as number) + offset);
      at += n;
    });
  }
  return new Map(
    variants.map(([variant, length], i) => [
      variant,
      joined.subarray(starts[i], (starts[i] as number) + length),
    ]),
  );
}

/** Node's zlib, where the host is Node. */
const zlib = () => nodeBuiltin<{ inflateSync(data: Uint8Array): Uint8Array }>("node:zlib");

/**
 * Decompresses the builds where that can be done synchronously (Node), or where
 * {@link loadKernelBuilds} already did; throws elsewhere.
 */
function kernelBuild(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  if (!builds) {
    const node = zlib();
    if (!node) {
      throw new BraintsError(
        "createWasmBackend: outside Node the WebAssembly kernels are decompressed only asynchronously, and they were not yet. Call `await initBackend()` (or `loadWasmBackend`) first",
      );
    }
    const all = node.inflateSync(decodeBase64(WASM_DEFLATED));
    builds = cut(new Uint8Array(all.buffer as ArrayBuffer, all.byteOffset, all.byteLength));
  }
  return builds.get(variant) as Uint8Array<ArrayBuffer>;
}

/**
 * Decompresses the builds once, asynchronously where the host has no synchronous way (browsers:
 * the standard `DecompressionStream`); after it, every variant is available synchronously too.
 */
export async function loadKernelBuilds(): Promise<void> {
  if (builds || zlib()) return;
  const deflated = new Blob([decodeBase64(WASM_DEFLATED)]).stream();
  const all = await new Response(deflated.pipeThrough(new DecompressionStream("deflate"))).arrayBuffer();
  builds = cut(new Uint8Array(all));
}

let relaxedSupported: boolean | undefined;

/**
 * Whether the relaxed-SIMD builds compile here. Node 20's V8 keeps relaxed SIMD behind
 * `--experimental-wasm-relaxed-simd`; this sets that flag (process-wide, once) before checking.
 * The flag only admits the proposal's instructions in WebAssembly modules.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupported === undefined) {
    nodeBuiltin<{ setFlagsFromString(flags: string): void }>("node:v8")?.setFlagsFromString(
      "--experimental-wasm-relaxed-simd",
    );
    relaxedSupported = WebAssembly.validate(kernelBuild("relaxed"));
  }
  return relaxedSupported;
}

/** The compiled module of a variant (compiled once, synchronously, then cached). */
export function kernelModule(variant: WasmVariant): WebAssembly.Module {
  let module = modules.get(variant);
  if (!module) {
    module = new WebAssembly.Module(kernelBuild(variant));
    modules.set(variant, module);
  }
  return module;
}

/**
 * The compiled module of a variant, compiled asynchronously into the same cache: browsers refuse
 * to compile or instantiate modules over 4 KB synchronously on their main thread. Call
 * {@link loadKernelBuilds} first.
 */
export async function compileKernelModule(variant: WasmVariant): Promise<WebAssembly.Module> {
  const cached = modules.get(variant);
  if (cached) return cached;
  const module = await WebAssembly.compile(kernelBuild(variant));
  modules.set(variant, module);
  return module;
}

// Boundary: WebAssembly exports are untyped; KernelExports mirrors the AssemblyScript signatures.
const typed = (instance: WebAssembly.Instance) => instance.exports as unknown as KernelExports;

/** Instantiates the kernels on `memory` (which must be shared for the shared variants). */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return typed(new WebAssembly.Instance(module, { env: { memory } }));
}

/** {@link instantiateKernels}, asynchronously (see {@link compileKernelModule}). */
export async function instantiateKernelsAsync(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<KernelExports> {
  return typed(await WebAssembly.instantiate(module, { env: { memory } }));
}
