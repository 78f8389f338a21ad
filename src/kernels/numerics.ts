/**
 * What decides the numbers a backend computes, so that a run can record it and a resumed run can
 * tell whether it reproduces the original bit for bit.
 *
 * The thread count does not: every kernel that sums over the batch cuts it into a fixed number of
 * shards that depends on the problem alone and adds their partial sums in a fixed order (see
 * `reductionShards`), and every other split (rows of a product, elements of an update) leaves each
 * result computed the same way. With the same braints version, seed and inputs, two processes give
 * identical numbers when their {@link Numerics} agree. What changes them:
 *
 * - the kernel build: plain TypeScript (`js`), WebAssembly SIMD128, or relaxed SIMD, each of which
 *   orders and rounds its sums differently (`setBackend("js")`, `BRAINTS_RELAXED_SIMD=0`, or an
 *   engine without WebAssembly SIMD / relaxed SIMD, which falls back);
 * - with relaxed SIMD, whether the CPU fuses multiply-adds (one rounding) or not: the instruction
 *   leaves that to the engine, which fuses where the CPU has FMA (x86-64 since about 2013, ARM64).
 */

/** The kernel builds, in the order of the fallbacks. */
export type KernelBuild = "wasm-relaxed-simd" | "wasm-simd128" | "js";

/** What decides a backend's numbers (see the module comment). */
export interface Numerics {
  readonly kernels: KernelBuild;
  /** With `"wasm-relaxed-simd"`: whether its multiply-adds are fused on this CPU. */
  readonly fusedMultiplyAdd?: boolean;
}

const BUILD_TEXT: Record<KernelBuild, string> = {
  "wasm-relaxed-simd": "WebAssembly relaxed SIMD (the default where the engine has it)",
  "wasm-simd128":
    "WebAssembly SIMD128 without relaxed SIMD (BRAINTS_RELAXED_SIMD=0, or an engine without it)",
  js: 'plain TypeScript (setBackend("js"), or an engine without WebAssembly SIMD)',
};

/** A one-line description, e.g. "WebAssembly relaxed SIMD (...), fused multiply-add". */
export function describeNumerics(n: Numerics): string {
  const fma =
    n.fusedMultiplyAdd === undefined
      ? ""
      : n.fusedMultiplyAdd
        ? ", fused multiply-add"
        : ", unfused multiply-add (no FMA on this CPU)";
  return `${BUILD_TEXT[n.kernels]}${fma}`;
}

/**
 * Why `current` cannot reproduce numbers computed with `recorded`, naming the switch, or
 * `undefined` when they agree.
 */
export function numericsDifference(recorded: Numerics, current: Numerics): string | undefined {
  if (recorded.kernels !== current.kernels) {
    return `kernels: recorded ${describeNumerics(recorded)}, this process runs ${describeNumerics(current)}`;
  }
  if (recorded.fusedMultiplyAdd !== current.fusedMultiplyAdd) {
    return (
      `fused multiply-add: recorded ${recorded.fusedMultiplyAdd ? "fused" : "unfused"}, this CPU ` +
      `${current.fusedMultiplyAdd ? "fuses" : "does not fuse"} relaxed SIMD's multiply-adds`
    );
  }
  return undefined;
}

const BUILDS: readonly KernelBuild[] = ["wasm-relaxed-simd", "wasm-simd128", "js"];

/** Whether `x` is a {@link Numerics} record (as read back from a file). */
export function isNumerics(x: unknown): x is Numerics {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    BUILDS.includes(r.kernels as KernelBuild) &&
    (r.fusedMultiplyAdd === undefined || typeof r.fusedMultiplyAdd === "boolean")
  );
}
