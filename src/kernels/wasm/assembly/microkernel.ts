// The GEMM microkernel: a 4 x 8 tile of C accumulated from 4 rows of A and one packed sliver of B.
//
// Why 4 x 8: eight v128 accumulators, two B vectors, one broadcast A value and one temporary for
// the product fit in the 15 SIMD registers V8 allocates on x64, so nothing spills; each k step
// issues 8 multiplies and 8 adds against 6 loads, so the multiply/add ports are the bound.

/** acc + a * b, fused when the build enables relaxed SIMD (an FMA on x86), else mul then add. */
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
/** Tile rows (MR) and columns (NR). */
export const MR: i32 = 4;
export const NR: i32 = 8;

/**
 * C[0:mr, 0:nr] += A[0:4, 0:kc] * Bp[0:kc, 0:8].
 * `a` points at row 0 of A, row stride `lda` bytes, unit stride along k (rows ≥ mr are never
 * read); `bp` is a packed sliver: kc rows of 8 contiguous floats; `c` has row stride `ldc` bytes.
 * Partial tiles (mr < 4 or nr < 8) go through the 32-float scratch `tile`.
 */
export function kernel4x8(
  a: usize,
  lda: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  mr: i32,
  nr: i32,
  tile: usize,
): void {
  // Rows past mr alias row 0: their loads stay in bounds and their results are dropped.
  const a1 = mr > 1 ? a + lda : a;
  const a2 = mr > 2 ? a + 2 * lda : a;
  const a3 = mr > 3 ? a + 3 * lda : a;
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0),
    c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0),
    c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  let off: usize = 0;
  let bOff = bp;
  const end: usize = (<usize>kc) << 2;
  for (; off < end; off += 4, bOff += 32) {
    const b0 = v128.load(bOff);
    const b1 = v128.load(bOff, 16);
    let s = v128.load32_splat(a + off);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a1 + off);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a2 + off);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a3 + off);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
  }
  if (mr == MR && nr == NR) {
    v128.store(c, f32x4.add(v128.load(c), c00));
    v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
    let r = c + ldc;
    v128.store(r, f32x4.add(v128.load(r), c10));
    v128.store(r, f32x4.add(v128.load(r, 16), c11), 16);
    r += ldc;
    v128.store(r, f32x4.add(v128.load(r), c20));
    v128.store(r, f32x4.add(v128.load(r, 16), c21), 16);
    r += ldc;
    v128.store(r, f32x4.add(v128.load(r), c30));
    v128.store(r, f32x4.add(v128.load(r, 16), c31), 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ldc;
    for (let j = 0; j < nr; j++) {
      const p = row + ((<usize>j) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(tile + ((<usize>(i * NR + j)) << 2)));
    }
  }
}
