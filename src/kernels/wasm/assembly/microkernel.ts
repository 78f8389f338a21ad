// The GEMM microkernel: a 4 x 8 tile of C accumulated from a packed 4-row sliver of A and a packed
// 8-column sliver of B.
//
// Why 4 x 8: eight v128 accumulators, two B vectors, one broadcast A value and one temporary for
// the product fit in the 15 SIMD registers V8 allocates on x64, so nothing spills; each k step
// issues 8 multiplies and 8 adds against 6 loads, so the multiply/add ports are the bound. Both
// operands are packed so every load is base pointer + immediate: V8 then spends almost no
// instructions on addressing, which matters because the x64 front end, not the FP ports, is the
// limit once the loop carries per-row pointers.

/** Tile rows (MR) and columns (NR). */
export const MR: i32 = 4;
export const NR: i32 = 8;

/**
 * acc + a * b: with relaxed SIMD, one instruction whose rounding the engine chooses (fused, one
 * rounding, where the CPU has FMA), else mul then add.
 */
export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * {@link madd} on one lane of a, b, c: the host passes operands whose product needs more than
 * float precision, so the result tells a fused multiply-add (one rounding) from mul then add.
 */
export function maddProbe(a: f32, b: f32, c: f32): f32 {
  return f32x4.extract_lane(madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
}

/**
 * C[0:mr, 0:nr] ← beta C + Ap[0:kc, 0:4]ᵀ Bp[0:kc, 0:8]; with beta = 0, C is not read.
 * `ap` is a packed A sliver (kc groups of 4 floats: rows 0..3 at one k), `bp` a packed B sliver
 * (kc rows of 8 floats); `c` has row stride `ldc` bytes. Partial tiles (mr < 4 or nr < 8) go
 * through the 32-float scratch `tile`.
 */
export function kernel4x8(
  ap: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  mr: i32,
  nr: i32,
  tile: usize,
  beta: f32,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0),
    c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0),
    c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  let a = ap;
  let b = bp;
  const end = bp + ((<usize>kc) << 5);
  for (; b < end; a += 16, b += 32) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
  }
  if (mr == MR && nr == NR) {
    writeRow(c, c00, c01, beta);
    writeRow(c + ldc, c10, c11, beta);
    writeRow(c + 2 * ldc, c20, c21, beta);
    writeRow(c + 3 * ldc, c30, c31, beta);
    return;
  }
  storeTile(tile, c00, c01, c10, c11, c20, c21, c30, c31);
  // Edge tiles: whole vectors where the columns allow, single floats for the rest.
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ldc;
    const src = tile + ((<usize>(i * NR)) << 2);
    if (nr == NR) {
      writeRow(row, v128.load(src), v128.load(src, 16), beta);
      continue;
    }
    let j = 0;
    if (nr >= 4) {
      writeHalfRow(row, v128.load(src), beta);
      j = 4;
    }
    writeFloats(row, src, j, nr, beta);
  }
}

/**
 * C[0:rows, 0:nr] ← beta C + Aᵀ Bp for one packed B sliver `bp` (nr ≤ 8 columns) and the packed
 * A slivers of `rows` rows, sliver i (rows 4i … 4i+3) at ap + i·`stride` bytes (0: 4·kc floats,
 * slivers packed end to end): one column of tiles.
 * A sliver of at most 4 columns (N = 100 leaves one on every row) takes two A slivers at a time
 * (kernel8x4): 4x8 tiles would spend half their multiply-adds on padding, and 4x4 tiles have too
 * few independent sums to keep the multiply-add units busy. Every element is the same madd chain
 * over k either way, so the same float.
 */
export function sliverColumn(
  ap: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  rows: i32,
  nr: i32,
  tile: usize,
  beta: f32,
  stride: usize = 0,
): void {
  const sliverBytes = stride ? stride : (<usize>(MR * kc)) << 2;
  let i = 0;
  if (nr <= 4) {
    for (; i + 2 * MR <= rows; i += 2 * MR) {
      kernel8x4(
        ap + <usize>(i / MR) * sliverBytes,
        sliverBytes,
        bp,
        kc,
        c + <usize>i * ldc,
        ldc,
        nr,
        tile,
        beta,
      );
    }
  }
  for (; i < rows; i += MR) {
    kernel4x8(
      ap + <usize>(i / MR) * sliverBytes,
      bp,
      kc,
      c + <usize>i * ldc,
      ldc,
      min(MR, rows - i),
      nr,
      tile,
      beta,
    );
  }
}

/**
 * C[0:8, 0:nr] ← beta C + the product of two packed A slivers (at `ap` and `ap + next`) and the
 * left half of a packed B sliver, nr ≤ 4: eight independent sums like kernel4x8's, over half the
 * columns.
 */
function kernel8x4(
  ap: usize,
  next: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  nr: i32,
  tile: usize,
  beta: f32,
): void {
  const zero = f32x4.splat(0);
  let c0 = zero,
    c1 = zero,
    c2 = zero,
    c3 = zero,
    c4 = zero,
    c5 = zero,
    c6 = zero,
    c7 = zero;
  let a = ap;
  let b = bp;
  const end = bp + ((<usize>kc) << 5);
  for (; b < end; a += 16, b += 32) {
    const b0 = v128.load(b);
    const a2 = a + next;
    c0 = madd(v128.load32_splat(a), b0, c0);
    c1 = madd(v128.load32_splat(a, 4), b0, c1);
    c2 = madd(v128.load32_splat(a, 8), b0, c2);
    c3 = madd(v128.load32_splat(a, 12), b0, c3);
    c4 = madd(v128.load32_splat(a2), b0, c4);
    c5 = madd(v128.load32_splat(a2, 4), b0, c5);
    c6 = madd(v128.load32_splat(a2, 8), b0, c6);
    c7 = madd(v128.load32_splat(a2, 12), b0, c7);
  }
  if (nr == 4) {
    writeHalfRow(c, c0, beta);
    writeHalfRow(c + ldc, c1, beta);
    writeHalfRow(c + 2 * ldc, c2, beta);
    writeHalfRow(c + 3 * ldc, c3, beta);
    writeHalfRow(c + 4 * ldc, c4, beta);
    writeHalfRow(c + 5 * ldc, c5, beta);
    writeHalfRow(c + 6 * ldc, c6, beta);
    writeHalfRow(c + 7 * ldc, c7, beta);
    return;
  }
  storeTile(tile, c0, c1, c2, c3, c4, c5, c6, c7);
  for (let i = 0; i < 2 * MR; i++) writeFloats(c + <usize>i * ldc, tile + ((<usize>i) << 4), 0, nr, beta);
}

/** The 32-float tile ← eight accumulators in order (an edge tile's rows, read back by row). */
function storeTile(
  tile: usize,
  v0: v128,
  v1: v128,
  v2: v128,
  v3: v128,
  v4: v128,
  v5: v128,
  v6: v128,
  v7: v128,
): void {
  v128.store(tile, v0);
  v128.store(tile, v1, 16);
  v128.store(tile, v2, 32);
  v128.store(tile, v3, 48);
  v128.store(tile, v4, 64);
  v128.store(tile, v5, 80);
  v128.store(tile, v6, 96);
  v128.store(tile, v7, 112);
}

/** Floats [j0, nr) of a C row ← beta C + the tile row `src` (beta = 0: C is not read). */
function writeFloats(row: usize, src: usize, j0: i32, nr: i32, beta: f32): void {
  for (let j = j0; j < nr; j++) {
    const p = row + ((<usize>j) << 2);
    const t = load<f32>(src + ((<usize>j) << 2));
    store<f32>(p, beta == 0 ? t : beta * load<f32>(p) + t);
  }
}

/** 4 floats of a C row ← beta C + v (beta = 0: C is not read; beta = 1: no product, as writeRow). */
function writeHalfRow(p: usize, v: v128, beta: f32): void {
  if (beta == 1) {
    v128.store(p, f32x4.add(v128.load(p), v));
    return;
  }
  v128.store(p, beta == 0 ? v : f32x4.add(f32x4.mul(f32x4.splat(beta), v128.load(p)), v));
}

/** One 8-float row of C ← beta C + [lo, hi]; with beta = 0, C is not read. */
function writeRow(p: usize, lo: v128, hi: v128, beta: f32): void {
  if (beta == 0) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
    return;
  }
  // beta = 1 (accumulating into C): 1 · C is C, so the product is left out.
  if (beta == 1) {
    v128.store(p, f32x4.add(v128.load(p), lo));
    v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
    return;
  }
  const vb = f32x4.splat(beta);
  v128.store(p, f32x4.add(f32x4.mul(vb, v128.load(p)), lo));
  v128.store(p, f32x4.add(f32x4.mul(vb, v128.load(p, 16)), hi), 16);
}
