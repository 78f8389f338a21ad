/**
 * Matrix product with batch broadcasting and transpose flags, so derivatives never materialise a
 * transpose. float32 goes to the active kernel backend (WASM SIMD when available); float64 runs a
 * plain loop (used for ridge, PCA and gradient checks).
 */
import { apply1 } from "../autodiff.ts";
import type { Accumulate } from "../node.ts";
import { broadcastOffsets } from "../elementwise.ts";
import { ShapeError, fmtShape } from "../../base/errors.ts";
import { type Rule, readingOnly, rule1 } from "../rule.ts";
import { broadcastShapes, sizeOf } from "../../base/shape.ts";
import { type Data, Tensor, allocate, allocateToOverwrite } from "../tensor.ts";
import { getBackend } from "../../kernels/index.ts";
import { givePooled, takeScratch } from "../pool.ts";
import { sumTo } from "./elementwise.ts";
import { reshape } from "./layout.ts";

export interface MatmulOptions {
  /** Use the last two axes of `a` transposed. */
  readonly transA?: boolean;
  /** Use the last two axes of `b` transposed. */
  readonly transB?: boolean;
}
export interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

/** `C[M,N] = op(A) op(B)` for row-major buffers at the given offsets, any float dtype. */
function gemmPlain(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  A: Data,
  B: Data,
  C: Data,
): void {
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const a = (transA ? A[k * M + i] : A[i * K + k]) as number;
      if (a === 0) continue;
      if (transB)
        for (let j = 0; j < N; j++) C[i * N + j] = (C[i * N + j] as number) + a * (B[j * K + k] as number);
      else for (let j = 0; j < N; j++) C[i * N + j] = (C[i * N + j] as number) + a * (B[k * N + j] as number);
    }
  }
}

/** Fewest rows of A for {@link gemmSwapped}: below the kernels' tile width, Cᵀ takes their slower thin path. */
const MIN_ROWS_SWAPPED = 8;

/**
 * `C = A Bᵀ` (A `[m, k]`, B `[n, k]`, n ≥ 2m) as `Cᵀ = B Aᵀ` transposed back: the kernels pack a
 * transposed right operand about twice as slowly as a left one, and here the large operand is B
 * (the derivative of `h W` for h, at every step of a scan, is `g Wᵀ`). Each element is the same
 * dot product summed in the same order.
 */
function gemmSwapped(
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
): void {
  const ct = takeScratch(m * n);
  getBackend().gemm(false, true, n, m, k, 1, B, A, 0, ct);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[i * n + j] = ct[j * m + i] as number;
  givePooled(ct);
}

function matmulForward(a: Tensor, b: Tensor, t: MatmulAttrs): Tensor {
  // [..., M, K] x [K, N]: the leading axes of a are just more rows; one product instead of many.
  if (b.rank === 2 && a.rank > 2 && !t.transA) {
    const K = a.shape.at(-1) as number;
    const rows = matmulForward(new Tensor([a.size / K, K], a.data), b, t);
    return new Tensor([...a.shape.slice(0, -1), rows.shape[1] as number], rows.data);
  }
  const [M, Ka] = t.transA ? [a.shape.at(-1), a.shape.at(-2)] : [a.shape.at(-2), a.shape.at(-1)];
  const [Kb, N] = t.transB ? [b.shape.at(-1), b.shape.at(-2)] : [b.shape.at(-2), b.shape.at(-1)];
  if (a.rank < 2 || b.rank < 2 || Ka !== Kb) {
    const show = (s: readonly number[], tr: boolean) => `${fmtShape(s)}${tr ? "ᵀ" : ""}`;
    throw new ShapeError(
      `matmul: inner dimensions must match (both operands of rank >= 2), got ${show(a.shape, t.transA)} x ${show(b.shape, t.transB)}`,
    );
  }
  const m = M as number;
  const n = N as number;
  const k = Ka as number;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes("matmul", batchA, batchB);
  const count = sizeOf(batch);
  const dtype = a.dtype === "float64" || b.dtype === "float64" ? "float64" : "float32";
  // The float32 kernels overwrite C (beta = 0); the float64 loop adds into zeros.
  const out =
    dtype === "float32" ? allocateToOverwrite(dtype, count * m * n) : allocate(dtype, count * m * n);
  if (count === 1) {
    // The arrays themselves, not views of them: the kernels know a weight they keep by its array.
    productInto(t.transA, t.transB, m, n, k, a.data, b.data, out);
    return new Tensor([...batch, m, n], out);
  }
  const offA = broadcastOffsets(batchA, batch);
  const offB = broadcastOffsets(batchB, batch);
  for (let i = 0; i < count; i++) {
    const A = a.data.subarray((offA[i] as number) * m * k, ((offA[i] as number) + 1) * m * k);
    const B = b.data.subarray((offB[i] as number) * k * n, ((offB[i] as number) + 1) * k * n);
    productInto(t.transA, t.transB, m, n, k, A, B, out.subarray(i * m * n, (i + 1) * m * n));
  }
  return new Tensor([...batch, m, n], out);
}

/**
 * @internal `C` `[m, n]` ← op(A) op(B), the way {@link matmul} computes each of its products (so a
 * fused primitive computing the same product gets the same bits): float32 on the kernel backend
 * (overwriting C), else float64 loops adding into C, which must then hold zeros.
 */
export function productInto(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  A: Data,
  B: Data,
  C: Data,
): void {
  if (C instanceof Float32Array && A instanceof Float32Array && B instanceof Float32Array) {
    if (transB && !transA && m >= MIN_ROWS_SWAPPED && n >= 2 * m) gemmSwapped(m, n, k, A, B, C);
    else getBackend().gemm(transA, transB, m, n, k, 1, A, B, 0, C);
  } else {
    const toF64 = (x: Data) => (x instanceof Float64Array ? x : Float64Array.from(x));
    gemmPlain(transA, transB, m, n, k, toF64(A), toF64(B), C);
  }
}

/** A weight gradient's term `aᵀ g` (a `[rows, K]`, g `[rows, N]`), added later by {@link addStacked}. */
interface WeightTerm {
  readonly reads: readonly [Float32Array, Float32Array];
  readonly K: number;
  readonly N: number;
}

/**
 * `C += Σ aᵢᵀ gᵢ` as one product of the stacked rows, `[a₁; a₂; …]ᵀ [g₁; g₂; …]`: a weight used at
 * every step of a scan gets its gradient from one long product instead of one small product per
 * step, each of which would copy the whole `[K, N]` sum in and out of the kernels' memory.
 */
function addStacked(C: Data, terms: readonly WeightTerm[]): void {
  const { K, N } = terms[0] as WeightTerm;
  const rows = terms.reduce((n, t) => n + t.reads[0].length / K, 0);
  if (terms.length === 1) {
    const [A, G] = (terms[0] as WeightTerm).reads;
    getBackend().gemm(true, false, K, N, rows, 1, A, G, 1, C as Float32Array);
    return;
  }
  const A = takeScratch(rows * K);
  const G = takeScratch(rows * N);
  let r = 0;
  for (const { reads } of terms) {
    A.set(reads[0], r * K);
    G.set(reads[1], r * N);
    r += reads[0].length / K;
  }
  getBackend().gemm(true, false, K, N, rows, 1, A, G, 1, C as Float32Array);
  // Read by the product alone, which keeps no reference: dead now.
  givePooled(A);
  givePooled(G);
}

/**
 * Adds a float32 matrix weight's gradient into its cotangent sum without a `[K, N]` buffer per
 * use of the weight: `aᵀ g` (or `gᵀ a` for a transposed weight) is a term added later, with every
 * other use's, by one product ({@link addStacked}); a transposed `a` is added now
 * (`C ← op(A) op(B) + C` on the backend). The sum's rounding differs from adding the products one
 * by one (the kernels sum the long product block by block). False (nothing done) when the
 * operands are not this case.
 */
function weightGradInto(g: Tensor, a: Tensor, b: Tensor, t: MatmulAttrs, into: Accumulate): boolean {
  if (b.rank !== 2 || g.dtype !== "float32" || a.dtype !== "float32" || b.dtype !== "float32") return false;
  if (a.rank !== 2 && t.transA) return false;
  // a's leading axes are rows: [..., M, K] is [rows, K].
  const K = a.shape.at(t.transA ? -2 : -1) as number;
  const rows = a.size / K;
  const N = g.shape.at(-1) as number;
  const [A, G] = [a.data, g.data] as [Float32Array, Float32Array];
  if (!t.transA) {
    const term: WeightTerm = t.transB ? { reads: [G, A], K: N, N: K } : { reads: [A, G], K, N };
    into.later(1, term, addStacked);
    return true;
  }
  const C = into(1) as Float32Array;
  const backend = getBackend();
  if (t.transB) backend.gemm(true, t.transA, N, K, rows, 1, G, A, 1, C);
  else backend.gemm(!t.transA, false, K, N, rows, 1, A, G, 1, C);
  return true;
}

export const matmulRules = {
  // The derivative reads the operands, never the product.
  matmul: readingOnly(
    rule1<MatmulAttrs>(
      "matmul",
      ([a, b], t) => matmulForward(a as Tensor, b as Tensor, t),
      (g, [a, b], _y, t, needs, into) => {
        const at = a as Tensor;
        const bt = b as Tensor;
        const dA = () =>
          t.transA
            ? matmul(bt, g, { transA: t.transB, transB: true })
            : matmul(g, bt, { transA: false, transB: !t.transB });
        const dB = () => {
          if (bt.rank === 2 && at.rank > 2 && !t.transA) {
            // Fold a's leading axes into rows so the weight gradient is one product, not a stack.
            const a2 = reshape(at, [-1, at.shape.at(-1) as number]);
            const g2 = reshape(g, [-1, g.shape.at(-1) as number]);
            return t.transB ? matmul(g2, a2, { transA: true }) : matmul(a2, g2, { transA: true });
          }
          return t.transB
            ? matmul(g, at, { transA: true, transB: t.transA })
            : matmul(at, g, { transA: !t.transA, transB: false });
        };
        const dBNeeded = needs[1] && !weightGradInto(g, at, bt, t, into);
        return [needs[0] ? sumTo(dA(), at.shape) : null, dBNeeded ? sumTo(dB(), bt.shape) : null];
      },
    ),
    { inputs: true, outputs: false },
  ),
} satisfies Record<string, Rule<MatmulAttrs>>;

/** The four attribute objects, shared by every node (by `2 transA + transB`). */
const MATMUL_ATTRS: readonly MatmulAttrs[] = [false, true].flatMap((transA) =>
  [false, true].map((transB) => Object.freeze({ transA, transB })),
);

/**
 * Matrix product over the last two axes, broadcasting leading (batch) axes:
 * `[..., M, K] x [..., K, N] -> [..., M, N]`, with optional transposes of either operand.
 * @example matmul(h, wRec) // [B, H] x [H, H] -> [B, H]
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  return apply1(matmulRules.matmul, [a, b], MATMUL_ATTRS[(transA ? 2 : 0) + (transB ? 1 : 0)] as MatmulAttrs);
}
