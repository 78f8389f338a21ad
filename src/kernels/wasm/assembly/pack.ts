// Packing: copy a block of op(B) into NR-column slivers and of op(A) into MR-row slivers, so the
// microkernel reads both with unit stride whatever the transposes. Pointers are byte offsets.
import { MR, NR } from "./microkernel";

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
    let kDone = 0;
    if (transB && cols == NR) {
      // op(B) rows are B columns: 4 k at a time, two 4 x 4 blocks of B's 8 rows transposed in
      // registers (the same floats, scaled the same way, as the loop below).
      const stride = (<usize>ldb) << 2;
      let r0 = b + ((<usize>((n0 + j) * ldb + k0)) << 2);
      for (; kDone + 4 <= kc; kDone += 4, r0 += 16) {
        const d = sliver + ((<usize>kDone) << 5);
        transpose4(r0, stride, va, d);
        transpose4(r0 + 4 * stride, stride, va, d + 16);
      }
    }
    for (let jj = 0; jj < NR; jj++) {
      const n = n0 + j + jj;
      for (let k = kDone; k < kc; k++) {
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
 * The 4 x 4 block of rows at r, r + stride, r + 2·stride, r + 3·stride (4 floats each), scaled by
 * va, transposed: its column q at d + 32q (a packed B sliver's rows, 8 floats apart).
 */
function transpose4(r: usize, stride: usize, va: v128, d: usize): void {
  const x0 = f32x4.mul(v128.load(r), va);
  const x1 = f32x4.mul(v128.load(r + stride), va);
  const x2 = f32x4.mul(v128.load(r + 2 * stride), va);
  const x3 = f32x4.mul(v128.load(r + 3 * stride), va);
  const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(d, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(d, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(d, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
}

/**
 * Packs op(A)[m0:m0+mc, k0:k0+kc] into ceil(mc/MR) slivers of kc x MR floats (sliver g at
 * dst + g*kc*MR*4, element (row r, k) at k*MR + r), zero-padding missing rows. op(A) is A stored
 * row-major with row stride lda floats, or, when transA, A stored [K, M] (lda = M).
 */
export function packA(
  a: usize,
  transA: bool,
  lda: i32,
  k0: i32,
  kc: i32,
  m0: i32,
  mc: i32,
  dst: usize,
): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const sliver = dst + ((<usize>(i * kc)) << 2);
    if (transA && rows == MR) {
      // op(A) columns are contiguous in A: one v128 per k.
      let src = a + ((<usize>(k0 * lda + m0 + i)) << 2);
      const stride = (<usize>lda) << 2;
      for (let k = 0; k < kc; k++, src += stride) v128.store(sliver + ((<usize>k) << 4), v128.load(src));
      continue;
    }
    let k0Done = 0;
    if (!transA && rows == MR) {
      // Four rows at once, 4 x 4 blocks transposed in registers.
      const stride = (<usize>lda) << 2;
      let r0 = a + ((<usize>((m0 + i) * lda + k0)) << 2);
      for (; k0Done + 4 <= kc; k0Done += 4, r0 += 16) {
        const x0 = v128.load(r0);
        const x1 = v128.load(r0 + stride);
        const x2 = v128.load(r0 + 2 * stride);
        const x3 = v128.load(r0 + 3 * stride);
        const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const d = sliver + ((<usize>k0Done) << 4);
        v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
        v128.store(d, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
        v128.store(d, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
        v128.store(d, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
      }
    }
    for (let r = 0; r < MR; r++) {
      const m = m0 + i + r;
      for (let k = k0Done; k < kc; k++) {
        let x: f32 = 0;
        if (r < rows) x = load<f32>(a + ((<usize>(transA ? (k0 + k) * lda + m : m * lda + k0 + k)) << 2));
        store<f32>(sliver + ((<usize>(k * MR + r)) << 2), x);
      }
    }
  }
}
