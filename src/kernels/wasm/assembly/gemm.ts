// Blocked GEMM over a sub-block of C, so worker threads can split one product between them.
import { MR, NR, sliverColumn } from "./microkernel";
import { packA, packB } from "./pack";

// Cache blocking: a packed B block (KC x NC) stays in L2, one B sliver (KC x NR) in L1 while the
// microkernel sweeps MC rows of A.
const KC: i32 = 256;
const NC: i32 = 256;
const MC: i32 = 64;

/** Scratch bytes one thread needs for `gemm`: packed B block, packed A block, one edge tile. */
export function gemmScratchBytes(): i32 {
  return (KC * NC + MC * KC + MR * NR) << 2;
}

/**
 * C[m0:m1, n0:n1] ← alpha op(A) op(B) + beta C on that sub-block; C is [M, N] row-major, op(A)
 * [M, K] (A stored [K, M] if transA), op(B) [K, N] (B stored [N, K] if transB). With beta = 0, C
 * is overwritten without being read. `scratch` holds gemmScratchBytes() private bytes.
 */
export function gemm(
  transA: bool,
  transB: bool,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
  m0: i32,
  m1: i32,
  n0: i32,
  n1: i32,
  scratch: usize,
): void {
  const ldc = (<usize>N) << 2;
  if (K == 0 || alpha == 0) {
    for (let i = m0; i < m1; i++) {
      const row = c + <usize>i * ldc;
      for (let j = n0; j < n1; j++) {
        const p = row + ((<usize>j) << 2);
        store<f32>(p, beta == 0 ? 0 : beta * load<f32>(p));
      }
    }
    return;
  }
  const bPack = scratch;
  const aPack = bPack + ((<usize>(KC * NC)) << 2);
  const tile = aPack + ((<usize>(MC * KC)) << 2);
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    for (let jc = n0; jc < n1; jc += NC) {
      const nc = min(NC, n1 - jc);
      packB(b, transB, transB ? K : N, pc, kc, jc, nc, alpha, bPack);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        packA(a, transA, transA ? M : K, pc, kc, ic, mc, aPack);
        const cBlock = c + <usize>ic * ldc;
        for (let jr = 0; jr < nc; jr += NR) {
          const sliver = bPack + ((<usize>(jr * kc)) << 2);
          const cCol = cBlock + ((<usize>(jc + jr)) << 2);
          sliverColumn(aPack, sliver, kc, cCol, ldc, mc, min(NR, nc - jr), tile, pc == 0 ? beta : 1);
        }
      }
    }
  }
}

/** dst[0:n] += src[0:n] (floats): sums the partial products of a GEMM split along K. */
export function addInto(dst: usize, src: usize, n: i32): void {
  const end = (<usize>n) << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  for (; o < end; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}
