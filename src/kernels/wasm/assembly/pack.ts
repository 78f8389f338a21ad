// Packing: copy a block of op(B) into NR-column slivers (and op(A) into contiguous rows), so the
// microkernel reads both with unit stride whatever the transposes. Pointers are byte offsets.
import { NR } from "./microkernel";

/**
 * Packs op(B)[k0:k0+kc, n0:n0+nc] scaled by alpha into ceil(nc/NR) slivers of kc x NR floats
 * (sliver s at dst + s*kc*NR*4), zero-padding the last sliver's missing columns.
 * op(B) is B [K, N] (row stride ldb floats) or, when transB, B stored [N, K].
 */
export function packB(
  b: usize,
  transB: bool,
  ldb: i32,
  k0: i32,
  kc: i32,
  n0: i32,
  nc: i32,
  alpha: f32,
  dst: usize,
): void {
  const va = f32x4.splat(alpha);
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const sliver = dst + ((<usize>(j * kc)) << 2);
    if (!transB && cols == NR) {
      let src = b + ((<usize>(k0 * ldb + n0 + j)) << 2);
      const stride = (<usize>ldb) << 2;
      for (let k = 0; k < kc; k++, src += stride) {
        const d = sliver + ((<usize>k) << 5);
        v128.store(d, f32x4.mul(v128.load(src), va));
        v128.store(d, f32x4.mul(v128.load(src, 16), va), 16);
      }
      continue;
    }
    for (let jj = 0; jj < NR; jj++) {
      const n = n0 + j + jj;
      for (let k = 0; k < kc; k++) {
        let x: f32 = 0;
        if (jj < cols) {
          const idx = transB ? n * ldb + k0 + k : (k0 + k) * ldb + n;
          x = alpha * load<f32>(b + ((<usize>idx) << 2));
        }
        store<f32>(sliver + ((<usize>(k * NR + jj)) << 2), x);
      }
    }
  }
}

/**
 * Copies op(A)[m0:m0+mc, k0:k0+kc] into dst as row-major [mc, kc], where A is stored [K, M]
 * (the transposed case; untransposed A is read in place).
 */
export function packATransposed(a: usize, M: i32, k0: i32, kc: i32, m0: i32, mc: i32, dst: usize): void {
  for (let k = 0; k < kc; k++) {
    const src = a + ((<usize>((k0 + k) * M + m0)) << 2);
    for (let i = 0; i < mc; i++) {
      store<f32>(dst + ((<usize>(i * kc + k)) << 2), load<f32>(src + ((<usize>i) << 2)));
    }
  }
}
