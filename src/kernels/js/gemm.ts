/**
 * Reference GEMM in plain TypeScript. It runs in float32 or float64 (the tests use float64 to
 * check the other backends and finite differences), and it is the fallback when WASM is missing.
 */

import type { Gemm } from "../backend.ts";

/** A dense numeric array the reference kernels accept: float32 for use, float64 for checking. */
export type FloatArray = Float32Array | Float64Array;

/**
 * `C ← alpha op(A) op(B) + beta C`, row-major; `C` is `[M, N]`, `op(A)` `[M, K]`, `op(B)` `[K, N]`
 * (stored transposed when `transA` / `transB`). With `beta = 0`, `C` is overwritten, not read.
 */
export const gemmRef: Gemm<FloatArray> = (transA, transB, M, N, K, alpha, A, B, beta, C) => {
  for (let i = 0; i < M * N; i++) C[i] = beta === 0 ? 0 : beta * C[i]!;
  // Strides of op(A) and op(B) by (row, col), so one loop serves all four transposes.
  const [aRow, aCol] = transA ? [1, M] : [K, 1];
  const [bRow, bCol] = transB ? [1, K] : [N, 1];
  // i-k-j order: the inner loop walks a row of C and (untransposed) a row of B contiguously.
  for (let i = 0; i < M; i++) {
    const cOff = i * N;
    for (let k = 0; k < K; k++) {
      const a = alpha * A[i * aRow + k * aCol]!;
      const bOff = k * bRow;
      for (let j = 0; j < N; j++) C[cOff + j]! += a * B[bOff + j * bCol]!;
    }
  }
};
