// GEMMs with fewer than NR columns or MR rows in C (readouts, their gradients, input weight
// gradients): memory-bound products where packing into tiles would mostly copy and multiply zeros.
// Both are direct SIMD loops, dot products or row updates, whichever reads the operands in order.
import { copyBytes, zeroBytes } from "./bulk";

/** Σ_k x[k] y[k] over kc contiguous floats. */
export function dot(x: usize, y: usize, kc: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  const end = (<usize>kc) << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  const s = f32x4.add(s0, s1);
  let r =
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; o < end; o += 4) r += load<f32>(x + o) * load<f32>(y + o);
  return r;
}

/** y[0:n] += s x[0:n], contiguous floats. */
export function axpy(s: f32, x: usize, y: usize, n: i32): void {
  const vs = f32x4.splat(s);
  const end = (<usize>n) << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16)
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(vs, v128.load(x + o))));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o));
}

/**
 * y[0:n] += x[0] w_0[0:n] + … + x[count-1] w_{count-1}[0:n] for count ≤ 4, row w_i at w + i·ld
 * bytes: the same sums, rounded in the same order, as `count` axpy calls in turn, in one pass
 * over y instead of `count`.
 */
export function axpyUpTo4(x: usize, count: i32, w: usize, ld: usize, y: usize, n: i32): void {
  // Rows past count alias row 0 and are never added: no address past the last row is formed.
  const w1 = count > 1 ? w + ld : w;
  const w2 = count > 2 ? w + 2 * ld : w;
  const w3 = count > 3 ? w + 3 * ld : w;
  const x0 = load<f32>(x);
  const x1 = count > 1 ? load<f32>(x, 4) : 0;
  const x2 = count > 2 ? load<f32>(x, 8) : 0;
  const x3 = count > 3 ? load<f32>(x, 12) : 0;
  const s0 = f32x4.splat(x0);
  const s1 = f32x4.splat(x1);
  const s2 = f32x4.splat(x2);
  const s3 = f32x4.splat(x3);
  const end = (<usize>n) << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    let acc = f32x4.add(v128.load(y + o), f32x4.mul(s0, v128.load(w + o)));
    if (count > 1) acc = f32x4.add(acc, f32x4.mul(s1, v128.load(w1 + o)));
    if (count > 2) acc = f32x4.add(acc, f32x4.mul(s2, v128.load(w2 + o)));
    if (count > 3) acc = f32x4.add(acc, f32x4.mul(s3, v128.load(w3 + o)));
    v128.store(y + o, acc);
  }
  for (; o < end; o += 4) {
    let acc = load<f32>(y + o) + x0 * load<f32>(w + o);
    if (count > 1) acc += x1 * load<f32>(w1 + o);
    if (count > 2) acc += x2 * load<f32>(w2 + o);
    if (count > 3) acc += x3 * load<f32>(w3 + o);
    store<f32>(y + o, acc);
  }
}

/** dst[j*K + k] = src(k, j): the [rows, K] transpose-free copy of an operand's `rows` K-vectors. */
function gather(src: usize, byRow: bool, ld: i32, rows: i32, r0: i32, K: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    const d = dst + ((<usize>(r * K)) << 2);
    if (byRow) {
      copyBytes(d, src + ((<usize>((r0 + r) * ld)) << 2), (<usize>K) << 2);
    } else {
      for (let k = 0; k < K; k++)
        store<f32>(d + ((<usize>k) << 2), load<f32>(src + ((<usize>(k * ld + r0 + r)) << 2)));
    }
  }
}

/** c[i] ← beta c[i] + alpha acc[i] (beta = 0: c not read), for n floats; c has stride `cs` floats. */
function finish(c: usize, cs: i32, acc: usize, n: i32, alpha: f32, beta: f32): void {
  for (let i = 0; i < n; i++) {
    const p = c + ((<usize>(i * cs)) << 2);
    const v = alpha * load<f32>(acc + ((<usize>i) << 2));
    store<f32>(p, beta == 0 ? v : beta * load<f32>(p) + v);
  }
}

/** Floats of scratch `gemmThin` needs: the thin operand's K-vectors and one accumulator row per. */
export function gemmThinScratchFloats(thin: i32, K: i32, other: i32): i32 {
  return thin * K + thin * other;
}

/**
 * Rows [r0, r1) of C ← alpha op(A) op(B) + beta C when N (the thin side) is small, or, with
 * `thinRows`, columns [r0, r1) when M is small: the same routine on Cᵀ = op(B)ᵀ op(A)ᵀ. Shapes
 * and transposes as in `gemm`. `scratch` holds gemmThinScratchFloats(thin, K, r1 - r0) floats.
 */
export function gemmThin(
  thinRows: bool,
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
  r0: i32,
  r1: i32,
  scratch: usize,
): void {
  // Name the operands by role: `wide` has the long side we split, `thin` the few vectors.
  // Not thinRows: C[i, j] = Σ_k wide(i, k) thin(k, j), wide = op(A), thin = op(B).
  // thinRows: Cᵀ[j, i] = Σ_k op(B)ᵀ(j, k) op(A)ᵀ(k, i), wide = op(B)ᵀ, thin = op(A)ᵀ.
  const thin = thinRows ? M : N;
  const wideRowMajor = thinRows ? transB : !transA; // wide(i, k) contiguous in k
  const wideLd = thinRows ? (transB ? K : N) : transA ? M : K;
  const wideSrc = thinRows ? b : a;
  // thin(k, j) with j fixed contiguous in k: op(B) columns = B rows when transB; op(A)ᵀ
  // columns = op(A) rows = A rows when not transA.
  const thinByRow = thinRows ? !transA : transB;
  const thinLd = thinRows ? (transA ? M : K) : transB ? K : N;
  // C(i, j) address: i along the wide side, j along the thin side.
  const cWide = thinRows ? 1 : N;
  const cThin = thinRows ? N : 1;
  const n = r1 - r0;
  const tv = scratch;
  const acc = tv + ((<usize>(thin * K)) << 2);
  gather(thinRows ? a : b, thinByRow, thinLd, thin, 0, K, tv);
  if (wideRowMajor) {
    for (let i = r0; i < r1; i++) {
      const row = wideSrc + ((<usize>(i * wideLd)) << 2);
      for (let j = 0; j < thin; j++) {
        store<f32>(acc + ((<usize>(j * n + i - r0)) << 2), dot(row, tv + ((<usize>(j * K)) << 2), K));
      }
    }
  } else {
    // wide(i, k) = src[k * wideLd + i]: walk k, updating every wide row at once.
    zeroBytes(acc, (<usize>(thin * n)) << 2);
    for (let k = 0; k < K; k++) {
      const col = wideSrc + ((<usize>(k * wideLd + r0)) << 2);
      for (let j = 0; j < thin; j++) {
        axpy(load<f32>(tv + ((<usize>(j * K + k)) << 2)), col, acc + ((<usize>(j * n)) << 2), n);
      }
    }
  }
  for (let j = 0; j < thin; j++) {
    finish(
      c + ((<usize>(r0 * cWide + j * cThin)) << 2),
      cWide,
      acc + ((<usize>(j * n)) << 2),
      n,
      alpha,
      beta,
    );
  }
}
