import { describe, expect, it } from "vitest";
import { backendsUnderTest, maxRelDiff, randomF32 } from "./test-util.ts";

/** C ← alpha op(A) op(B) + beta C, the textbook triple loop in float64. */
function naiveGemm(
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  B: Float32Array,
  beta: number,
  C: Float32Array,
): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[tA ? k * M + i : i * K + k]! * B[tB ? j * K + k : k * N + j]!;
      out[i * N + j] = alpha * s + (beta === 0 ? 0 : beta * C[i * N + j]!);
    }
  }
  return out;
}

// The reference is the slow part: compute it once and compare every backend against it.
const expectedCache = new Map<string, Float64Array>();

const SIZES = [1, 3, 7, 17, 100, 129];
// Every size appears as M, as N and as K; C with fewer rows than a tile but many columns (the
// thin-rows path); K much larger than C (split along K on threads); one square case and one
// above every cache block size.
const SHAPES = [
  ...SIZES.map((s, i) => [s, SIZES[(i + 1) % 6]!, SIZES[(i + 2) % 6]!]),
  [3, 17, 100],
  [1, 129, 7],
  [17, 9, 300],
  [129, 129, 129],
  [67, 265, 300],
];
const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;
const SCALES = [
  [1, 0],
  [0.5, -1.5],
] as const;

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("gemm on $name", ({ backend }) => {
  it.each(TRANSPOSES)("matches a float64 triple loop with transA=%s, transB=%s", (tA, tB) => {
    for (const [M, N, K] of SHAPES as [number, number, number][]) {
      for (const [alpha, beta] of SCALES) {
        const A = randomF32(M * K, M + K);
        const B = randomF32(K * N, N + 7 * K);
        const C = randomF32(M * N, M * N);
        const key = `${tA} ${tB} ${M} ${N} ${K} ${alpha}`;
        const expected = expectedCache.get(key) ?? naiveGemm(tA, tB, M, N, K, alpha, A, B, beta, C);
        expectedCache.set(key, expected);
        backend.gemm(tA, tB, M, N, K, alpha, A, B, beta, C);
        expect(maxRelDiff(C, expected), `${M}x${N}x${K} alpha=${alpha} beta=${beta}`).toBeLessThan(
          2e-6 * K + 1e-6,
        );
      }
    }
  });

  // Every row count up to two 8-row tiles and one past, every column remainder of the 8-column
  // tiles (1-4 take the 8x4 kernel), and the shortest inner sizes.
  it.each(TRANSPOSES)("matches float64 on every small edge shape, transA=%s, transB=%s", (tA, tB) => {
    for (let M = 1; M <= 17; M++) {
      for (const N of [1, 2, 3, 4, 5, 6, 7, 9, 12, 13, 20]) {
        for (const K of [1, 2, 3, 9]) {
          for (const [alpha, beta] of SCALES) {
            const A = randomF32(M * K, 3 * M + K);
            const B = randomF32(K * N, 5 * N + K);
            const C = randomF32(M * N, 7 * M + N);
            const expected = naiveGemm(tA, tB, M, N, K, alpha, A, B, beta, C);
            backend.gemm(tA, tB, M, N, K, alpha, A, B, beta, C);
            expect(maxRelDiff(C, expected), `${M}x${N}x${K} alpha=${alpha} beta=${beta}`).toBeLessThan(
              2e-6 * K + 1e-6,
            );
          }
        }
      }
    }
  });

  // A column's floats depend on that column alone, so a product whose last column tile is narrow
  // (the 8x4 and scalar edge tiles) gives its columns bit for bit as a wider one does in full tiles.
  it.each(TRANSPOSES)("gives narrow edge columns the full tiles' floats, transA=%s, transB=%s", (tA, tB) => {
    const [M, K, wide] = [44, 37, 16];
    const A = randomF32(M * K, 3);
    const B = randomF32(K * wide, 5);
    const C = randomF32(M * wide, 7);
    for (const beta of [0, 0.5]) {
      const full = C.slice();
      backend.gemm(tA, tB, M, wide, K, 1.5, A, B, beta, full);
      for (const N of [12, 10]) {
        const cols = (x: Float32Array, n: number) =>
          Float32Array.from({ length: M * N }, (_, i) => x[Math.floor(i / N) * n + (i % N)]!);
        const bN = tB
          ? B.slice(0, N * K)
          : Float32Array.from({ length: K * N }, (_, i) => B[Math.floor(i / N) * wide + (i % N)]!);
        const narrow = cols(C, wide);
        backend.gemm(tA, tB, M, N, K, 1.5, A, bN, beta, narrow);
        expect(Array.from(narrow), `N=${N} beta=${beta}`).toEqual(Array.from(cols(full, wide)));
      }
    }
  });

  // Packing only moves (and scales) floats: B stored transposed gives the product of B itself bit
  // for bit, with inner sizes that leave 0-3 k past whole 4 x 4 blocks and one past a cache block.
  it.each([false, true])("packs a transposed B into the same floats as B itself, transA=%s", (tA) => {
    for (const [M, N, K] of [
      [9, 16, 13],
      [5, 19, 8],
      [20, 24, 263],
      [4, 40, 6],
    ] as const) {
      const A = randomF32(M * K, 11);
      const B = randomF32(K * N, 13);
      const Bt = Float32Array.from({ length: N * K }, (_, i) => B[(i % K) * N + Math.floor(i / K)]!);
      const [plain, fromT] = [new Float32Array(M * N), new Float32Array(M * N)];
      backend.gemm(tA, false, M, N, K, 0.75, A, B, 0, plain);
      backend.gemm(tA, true, M, N, K, 0.75, A, Bt, 0, fromT);
      expect(Array.from(fromT), `${M}x${N}x${K}`).toEqual(Array.from(plain));
    }
  });

  it("ignores NaN in C when beta is 0, as BLAS does", () => {
    const C = new Float32Array(6).fill(NaN);
    backend.gemm(false, false, 2, 3, 1, 1, Float32Array.of(1, 2), Float32Array.of(1, 2, 3), 0, C);
    expect(Array.from(C)).toEqual([1, 2, 3, 2, 4, 6]);
  });

  it("handles an empty inner dimension by scaling C", () => {
    const C = Float32Array.of(1, 2);
    backend.gemm(false, false, 1, 2, 0, 1, new Float32Array(0), new Float32Array(0), 3, C);
    expect(Array.from(C)).toEqual([3, 6]);
  });
});
