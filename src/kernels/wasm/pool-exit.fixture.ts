// Run by pool.test.ts in a child process: starts a worker pool, uses it, and must then exit on its own.
import { createWasmBackend } from "./backend.ts";

const backend = createWasmBackend({ threads: 2, minParallelFlops: 0 });
const C = new Float32Array(4);
backend.gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), Float32Array.of(3, 0), 0, C);
console.log(C[0]);
