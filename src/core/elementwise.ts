/** Elementwise loops with broadcasting, shared by the arithmetic primitives. */
import { type Shape, broadcastShapes, broadcastStrides, sameShape, sizeOf } from "../base/shape.ts";
import { type DType, Tensor, allocateToOverwrite } from "./tensor.ts";

export function resultDtype(a: Tensor, b: Tensor): DType {
  return a.dtype === "float64" || b.dtype === "float64" ? "float64" : "float32";
}

export type FloatArray = Float32Array | Float64Array;

/**
 * One unary operator's loop over a whole array. Each hot operator has its own (see
 * {@link BinaryLoops}): a loop shared by every operator calls `f` without inlining it.
 */
export type UnaryLoop = (x: FloatArray, out: FloatArray) => void;

/** Applies `f` to every element of `x`, through the operator's own `loop` when it has one. */
export function mapUnary(x: Tensor, f: (v: number) => number, loop?: UnaryLoop): Tensor {
  const src = x.data;
  const out = allocateToOverwrite(x.dtype, src.length);
  if (loop) loop(src, out);
  else for (let i = 0; i < src.length; i++) out[i] = f(src[i] as number);
  return new Tensor(x.shape, out);
}

/**
 * One operator's loops over whole arrays: `same` pairs two arrays of the output's length, `scalar`
 * takes a constant right operand and `scalarLeft` a constant left one, `rows` repeats the right
 * operand along the left one (`[N, H] + [H]`, the bias pattern). Each operator has its own
 * functions, so the engine compiles the operator into the loop; a loop shared by many operators
 * calls `f` without inlining it.
 */
export interface BinaryLoops {
  readonly same: (a: FloatArray, b: FloatArray, out: FloatArray) => void;
  readonly scalar: (a: FloatArray, y: number, out: FloatArray) => void;
  readonly scalarLeft: (x: number, b: FloatArray, out: FloatArray) => void;
  readonly rows: (a: FloatArray, b: FloatArray, out: FloatArray) => void;
}

/**
 * Applies `f` pairwise over the broadcast of `a` and `b`, with fast paths for equal shapes, a
 * scalar side, and a trailing-row side (e.g. `[N, H] + [H]`, the bias pattern); `loops`, when
 * given, run them.
 */
export function mapBinary(
  where: string,
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
  loops?: BinaryLoops,
): Tensor {
  const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(where, a.shape, b.shape);
  const n = sizeOf(shape);
  const out = allocateToOverwrite(resultDtype(a, b), n);
  const ad = a.data;
  const bd = b.data;
  if (ad.length === n && bd.length === n) {
    if (loops) loops.same(ad, bd, out);
    else for (let i = 0; i < n; i++) out[i] = f(ad[i] as number, bd[i] as number);
  } else if (bd.length === 1 && loops) {
    loops.scalar(ad, bd[0] as number, out);
  } else if (bd.length === 1) {
    const y = bd[0] as number;
    for (let i = 0; i < ad.length; i++) out[i] = f(ad[i] as number, y);
  } else if (ad.length === 1 && loops) {
    loops.scalarLeft(ad[0] as number, bd, out);
  } else if (ad.length === 1) {
    const x = ad[0] as number;
    for (let i = 0; i < bd.length; i++) out[i] = f(x, bd[i] as number);
  } else if (ad.length === n && isTrailing(b.shape, shape)) {
    const m = bd.length;
    if (loops) loops.rows(ad, bd, out);
    else for (let i = 0; i < n; i++) out[i] = f(ad[i] as number, bd[i % m] as number);
  } else if (bd.length === n && isTrailing(a.shape, shape)) {
    const m = ad.length;
    for (let i = 0; i < n; i++) out[i] = f(ad[i % m] as number, bd[i] as number);
  } else {
    stridedBinary(shape, a, b, out, f);
  }
  return new Tensor(shape, out);
}

/** True when `small` equals the last axes of `full` (after dropping leading 1s). */
function isTrailing(small: Shape, full: Shape): boolean {
  let k = 0;
  while (k < small.length && small[k] === 1) k++;
  const tail = small.slice(k);
  return tail.length <= full.length && tail.every((d, i) => d === full[full.length - tail.length + i]);
}

function stridedBinary(
  shape: Shape,
  a: Tensor,
  b: Tensor,
  out: Float32Array | Float64Array,
  f: (x: number, y: number) => number,
): void {
  const oa = broadcastOffsets(a.shape, shape);
  const ob = broadcastOffsets(b.shape, shape);
  for (let i = 0; i < out.length; i++)
    out[i] = f(a.data[oa[i] as number] as number, b.data[ob[i] as number] as number);
}

/** For every element of the broadcast shape `to`, the offset of its source element in `from`. */
export function broadcastOffsets(from: Shape, to: Shape): Int32Array {
  return stridedOffsets(to, broadcastStrides(from, to));
}

/** For every element of `shape` in row-major order, the offset `Σ index[ax] * strides[ax]`. */
export function stridedOffsets(shape: Shape, strides: readonly number[]): Int32Array {
  const offsets = new Int32Array(sizeOf(shape));
  let span = 1;
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const dim = shape[ax] as number;
    const stride = strides[ax] as number;
    for (let k = 1; k < dim; k++) {
      for (let j = 0; j < span; j++) offsets[k * span + j] = (offsets[j] as number) + k * stride;
    }
    span *= dim;
  }
  return offsets;
}

/** Three-way elementwise select with broadcasting: `cond != 0 ? a : b`. */
export function mapWhere(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, a.shape), b.shape);
  const out = allocateToOverwrite(resultDtype(a, b), sizeOf(shape));
  const [oc, oa, ob] = [cond, a, b].map((t) => broadcastOffsets(t.shape, shape)) as [
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  for (let i = 0; i < out.length; i++) {
    out[i] =
      (cond.data[oc[i] as number] as number) !== 0
        ? (a.data[oa[i] as number] as number)
        : (b.data[ob[i] as number] as number);
  }
  return new Tensor(shape, out);
}
