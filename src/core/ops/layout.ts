/**
 * Layout primitives: reshape, transpose, broadcast, slice/pad along an axis, concat, unstack,
 * gather/scatter-add along an axis, and dtype casts. Their derivatives are each other.
 */
import { apply, apply1 } from "../autodiff.ts";
import { broadcastOffsets, stridedOffsets } from "../elementwise.ts";
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { NO_VALUES, type Rule, readingOnly, rule1 } from "../rule.ts";
import {
  type Shape,
  broadcastShapes,
  normalizeAxes,
  sameShape,
  sizeOf,
  stridesOf,
} from "../../base/shape.ts";
import { type Data, type DType, Tensor, allocate, allocateToOverwrite } from "../tensor.ts";
import { sumTo } from "./elementwise.ts";

/** Splits a shape around `axis` into (outer, dim, inner) block sizes. */
function blocks(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis] as number, sizeOf(shape.slice(axis + 1))];
}

/**
 * Blocks at least this long are copied with `set` (a view each); shorter ones by a loop. A gate's
 * 128 columns of a `[16, 384]` row: 1.3 us a slice by views, 4.3 us by the loop; the two meet
 * at about 32 elements. (A loop for float32 arrays alone, without the view objects, was slower
 * in a user's cell by 4-8% of its training step: `set` copies a row as one block.)
 */
const COPY_BY_SET = 64;

/**
 * `sum[o·stride + at + j] += g[o·block + j]` for float32 arrays: a loop of its own, which the
 * engine compiles for that one array type (the loop below serves both dtypes).
 */
function addBlocks32(
  g: Float32Array,
  sum: Float32Array,
  outer: number,
  stride: number,
  at: number,
  block: number,
): void {
  for (let o = 0; o < outer; o++) {
    const src = o * block;
    const dst = o * stride + at;
    for (let i = 0; i < block; i++) sum[dst + i] = (sum[dst + i] as number) + (g[src + i] as number);
  }
}

function sliceAxisForward(x: Tensor, axis: number, start: number, end: number): Tensor {
  const [outer, dim, inner] = blocks(x.shape, axis);
  const len = end - start;
  const out = allocateToOverwrite(x.dtype, outer * len * inner);
  const src = x.data;
  const block = len * inner;
  if (block >= COPY_BY_SET) {
    for (let o = 0; o < outer; o++)
      out.set(src.subarray((o * dim + start) * inner, (o * dim + end) * inner), o * block);
  } else {
    // Short blocks (a gate's columns of a [B, 3H] row): a loop, not a typed-array view per row.
    for (let o = 0, k = 0; o < outer; o++)
      for (let j = (o * dim + start) * inner, e = j + block; j < e; j++) out[k++] = src[j] as number;
  }
  const shape = [...x.shape];
  shape[axis] = len;
  return new Tensor(shape, out);
}

/** `sum[..., start:start + len, ...] += g` along `axis`, `sum` of shape `shape`. */
function addBlocks(g: Tensor, shape: Shape, axis: number, start: number, sum: Data): void {
  const [outer, len, inner] = blocks(g.shape, axis);
  const size = shape[axis] as number;
  const gd = g.data;
  const n = len * inner;
  if (gd instanceof Float32Array && sum instanceof Float32Array) {
    addBlocks32(gd, sum, outer, size * inner, start * inner, n);
    return;
  }
  for (let o = 0; o < outer; o++) {
    const src = o * n;
    const dst = (o * size + start) * inner;
    for (let i = 0; i < n; i++) sum[dst + i] = (sum[dst + i] as number) + (gd[src + i] as number);
  }
}

function padAxisForward(x: Tensor, axis: number, start: number, size: number): Tensor {
  const [outer, len, inner] = blocks(x.shape, axis);
  const out = allocate(x.dtype, outer * size * inner);
  for (let o = 0; o < outer; o++) {
    out.set(x.data.subarray(o * len * inner, (o + 1) * len * inner), (o * size + start) * inner);
  }
  const shape = [...x.shape];
  shape[axis] = size;
  return new Tensor(shape, out);
}

/** Copies each input's blocks once into the output (linear in the output size). */
function concatForward(xs: readonly Tensor[], axis: number): Tensor {
  const first = xs[0] as Tensor;
  const [outer, , inner] = blocks(first.shape, axis);
  const total = xs.reduce((n, t) => n + (t.shape[axis] as number), 0);
  const out = allocate(first.dtype, outer * total * inner);
  let start = 0;
  for (const t of xs) {
    const len = t.shape[axis] as number;
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * len * inner, (o + 1) * len * inner), (o * total + start) * inner);
    }
    start += len;
  }
  const shape = [...first.shape];
  shape[axis] = total;
  return new Tensor(shape, out);
}

function gatherForward(x: Tensor, indices: Int32Array, axis: number): Tensor {
  const [outer, dim, inner] = blocks(x.shape, axis);
  const n = indices.length;
  const out = allocate(x.dtype, outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const src = (o * dim + (indices[k] as number)) * inner;
      out.set(x.data.subarray(src, src + inner), (o * n + k) * inner);
    }
  }
  const shape = [...x.shape];
  shape[axis] = n;
  return new Tensor(shape, out);
}

function scatterAddForward(g: Tensor, indices: Int32Array, axis: number, size: number): Tensor {
  const [outer, n, inner] = blocks(g.shape, axis);
  const out = allocate(g.dtype, outer * size * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const dst = (o * size + (indices[k] as number)) * inner;
      const src = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = (out[dst + i] as number) + (g.data[src + i] as number);
    }
  }
  const shape = [...g.shape];
  shape[axis] = size;
  return new Tensor(shape, out);
}

function transposeForward(x: Tensor, perm: readonly number[]): Tensor {
  const inStrides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p] as number);
  const offsets = stridedOffsets(
    shape,
    perm.map((p) => inStrides[p] as number),
  );
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[offsets[i] as number] as number;
  return new Tensor(shape, out);
}

type AxisAttrs = { readonly axis: number };

export const layoutRules = {
  reshape: rule1<{ readonly shape: Shape }>(
    "reshape",
    ([x], a) => new Tensor(a.shape, (x as Tensor).data),
    (g, [x]) => [reshape(g, (x as Tensor).shape)],
  ),
  transpose: rule1<{ readonly perm: readonly number[] }>(
    "transpose",
    ([x], a) => transposeForward(x as Tensor, a.perm),
    (g, _x, _y, a) => {
      const inverse = new Array<number>(a.perm.length);
      a.perm.forEach((p, i) => (inverse[p] = i));
      return [transpose(g, inverse)];
    },
  ),
  broadcastTo: rule1<{ readonly shape: Shape }>(
    "broadcastTo",
    ([x], a) => {
      const xt = x as Tensor;
      // One element (a mean's or sum's cotangent, a scalar operand): a fill, no offset table.
      if (xt.size === 1)
        return new Tensor(a.shape, allocateToOverwrite(xt.dtype, sizeOf(a.shape)).fill(xt.data[0]!));
      const offsets = broadcastOffsets(xt.shape, a.shape);
      const out = allocate(xt.dtype, offsets.length);
      for (let i = 0; i < out.length; i++) out[i] = xt.data[offsets[i] as number] as number;
      return new Tensor(a.shape, out);
    },
    (g, [x]) => [sumTo(g, (x as Tensor).shape)],
  ),
  sliceAxis: readingOnly(
    rule1<AxisAttrs & { readonly start: number; readonly end: number }>(
      "sliceAxis",
      ([x], a) => sliceAxisForward(x as Tensor, a.axis, a.start, a.end),
      // Added into the input's cotangent sum in place: slices of one tensor (gate blocks) then
      // share one buffer instead of a zero-padded copy each.
      (g, [x], _y, a, _needs, into) => {
        addBlocks(g, (x as Tensor).shape, a.axis, a.start, into(0));
        return [null];
      },
    ),
    NO_VALUES,
  ),
  padAxis: rule1<AxisAttrs & { readonly start: number; readonly size: number }>(
    "padAxis",
    ([x], a) => padAxisForward(x as Tensor, a.axis, a.start, a.size),
    (g, [x], _y, a) => [sliceAxis(g, a.axis, a.start, a.start + ((x as Tensor).shape[a.axis] as number))],
  ),
  concat: rule1<AxisAttrs>(
    "concat",
    (xs, a) => concatForward(xs, a.axis),
    (g, xs, _y, a) => {
      let start = 0;
      return xs.map((t) => {
        const len = t.shape[a.axis] as number;
        start += len;
        return sliceAxis(g, a.axis, start - len, start);
      });
    },
  ),
  unstack: {
    name: "unstack",
    forward: ([x], a: AxisAttrs) => {
      const xt = x as Tensor;
      const shape = xt.shape.filter((_, i) => i !== a.axis);
      return Array.from({ length: xt.shape[a.axis] as number }, (_, k) => {
        const s = sliceAxisForward(xt, a.axis, k, k + 1);
        return new Tensor(shape, s.data);
      });
    },
    vjp: (cts, [x], outputs, a: AxisAttrs) => {
      const zero = (o: Tensor) => new Tensor(o.shape, allocate((x as Tensor).dtype, o.size));
      return [
        stack(
          cts.map((c, k) => c ?? zero(outputs[k] as Tensor)),
          a.axis,
        ),
      ];
    },
  } satisfies Rule<AxisAttrs>,
  gather: rule1<AxisAttrs & { readonly indices: Int32Array }>(
    "gather",
    ([x], a) => gatherForward(x as Tensor, a.indices, a.axis),
    (g, [x], _y, a) => [scatterAdd(g, a.indices, a.axis, (x as Tensor).shape[a.axis] as number)],
  ),
  scatterAdd: rule1<AxisAttrs & { readonly indices: Int32Array; readonly size: number }>(
    "scatterAdd",
    ([g], a) => scatterAddForward(g as Tensor, a.indices, a.axis, a.size),
    (g, _x, _y, a) => [gather(g, a.indices, a.axis)],
  ),
  cast: rule1<{ readonly dtype: DType }>(
    "cast",
    ([x], a) => {
      const out = allocate(a.dtype, (x as Tensor).size);
      out.set((x as Tensor).data);
      return new Tensor((x as Tensor).shape, out);
    },
    (g, [x]) => [cast(g, (x as Tensor).dtype)],
  ),
};

function axisOf(where: string, axis: number, rank: number): number {
  return normalizeAxes(where, axis, rank)[0] as number;
}

/** The same values in a new shape of equal size; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const known = shape.filter((d) => d !== -1);
  const inferred = shape.length - known.length;
  const rest = sizeOf(known);
  const target = inferred === 1 && rest > 0 ? shape.map((d) => (d === -1 ? x.size / rest : d)) : [...shape];
  if (inferred > 1 || sizeOf(target) !== x.size || target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(
      `reshape: new shape must have ${x.size} elements like ${fmtShape(x.shape)}, got ${fmtShape(shape)}`,
    );
  }
  if (sameShape(target, x.shape)) return x;
  return apply1(layoutRules.reshape, [x], { shape: target });
}

/** Permutes axes (reverses them if `perm` is omitted). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new ValueError(`transpose: perm must be a permutation of 0..${x.rank - 1}, got [${p.join(", ")}]`);
  }
  if (p.every((v, i) => v === i)) return x;
  return apply1(layoutRules.transpose, [x], { perm: p });
}

/** Broadcasts to `shape` (NumPy rules). */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const result = broadcastShapes("broadcastTo", x.shape, shape);
  if (!sameShape(result, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  if (sameShape(x.shape, shape)) return x;
  return apply1(layoutRules.broadcastTo, [x], { shape: [...shape] });
}

/** Elements `start..end-1` along `axis` (negative indices count from the end). */
export function sliceAxis(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const ax = axisOf("sliceAxis", axis, x.rank);
  const dim = x.shape[ax] as number;
  const s = start < 0 ? start + dim : start;
  const e = end === undefined ? dim : end < 0 ? end + dim : end;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > dim || s > e) {
    throw new ValueError(
      `sliceAxis: need 0 <= start <= end <= ${dim} on axis ${ax}, got start=${start}, end=${end}`,
    );
  }
  if (s === 0 && e === dim) return x;
  return apply1(layoutRules.sliceAxis, [x], { axis: ax, start: s, end: e });
}

/** A sub-block: `begin[i]..end[i]` on every axis (end defaults to the full extent). */
export function slice(x: Tensor, begin: readonly number[], end?: readonly number[]): Tensor {
  return begin.reduce((t, b, ax) => sliceAxis(t, ax, b, end?.[ax]), x);
}

/** Places `x` at offset `start` along `axis` inside zeros of length `size`. */
export function padAxis(x: Tensor, axis: number, start: number, size: number): Tensor {
  const ax = axisOf("padAxis", axis, x.rank);
  const len = x.shape[ax] as number;
  if (!Number.isInteger(start) || start < 0 || start + len > size) {
    throw new ValueError(
      `padAxis: need 0 <= start and start + ${len} <= size, got start=${start}, size=${size}`,
    );
  }
  return apply1(layoutRules.padAxis, [x], { axis: ax, start, size });
}

/** Joins tensors along an existing axis; other dimensions must match. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw new ValueError("concat: need at least one tensor, got []");
  const ax = axisOf("concat", axis, first.rank);
  for (const t of xs) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(
        `concat: shapes must match except on axis ${ax}, got ${fmtShape(first.shape)} and ${fmtShape(t.shape)}`,
      );
    }
  }
  if (xs.length === 1) return first;
  const dtype = xs.some((t) => t.dtype === "float64") ? "float64" : "float32";
  return apply1(
    layoutRules.concat,
    xs.map((t) => (t.dtype === dtype ? t : cast(t, dtype))),
    { axis: ax },
  );
}

/** Joins equally shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw new ValueError("stack: need at least one tensor, got []");
  const ax = axis < 0 ? axis + first.rank + 1 : axis;
  for (const t of xs) {
    if (!sameShape(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: all shapes must be equal, got ${fmtShape(first.shape)} and ${fmtShape(t.shape)}`,
      );
    }
  }
  const shape = [...first.shape.slice(0, ax), 1, ...first.shape.slice(ax)];
  return concat(
    xs.map((t) => reshape(t, shape)),
    ax,
  );
}

/** Splits along `axis` into its slices (the inverse of {@link stack}); one graph node for all. */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  return apply(layoutRules.unstack, [x], { axis: axisOf("unstack", axis, x.rank) });
}

/** Selects `indices` along `axis`: the output has `indices.length` entries on that axis. */
export function gather(x: Tensor, indices: ArrayLike<number>, axis = 0): Tensor {
  const ax = axisOf("gather", axis, x.rank);
  const dim = x.shape[ax] as number;
  const idx = Int32Array.from(indices);
  idx.forEach((v, k) => {
    if (!Number.isInteger(indices[k]) || v < 0 || v >= dim) {
      throw new ValueError(
        `gather: indices must be integers in [0, ${dim}), got ${indices[k]} at position ${k}`,
      );
    }
  });
  return apply1(layoutRules.gather, [x], { axis: ax, indices: idx });
}

/** Adds slices of `g` into zeros of length `size` along `axis` at `indices` (gather's adjoint). */
export function scatterAdd(g: Tensor, indices: Int32Array, axis: number, size: number): Tensor {
  return apply1(layoutRules.scatterAdd, [g], { axis, indices, size });
}

/** Converts to another dtype (the gradient converts back). */
export function cast(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : apply1(layoutRules.cast, [x], { dtype });
}

/** One-hot rows: `[...labels.shape, depth]` with a 1 at each label (a constant, no gradient). */
export function oneHot(
  labels: ArrayLike<number>,
  depth: number,
  shape?: Shape,
  dtype: DType = "float32",
): Tensor {
  const out = allocate(dtype, labels.length * depth);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    if (!Number.isInteger(l) || l < 0 || l >= depth) {
      throw new ValueError(`oneHot: labels must be integers in [0, ${depth}), got ${l} at position ${i}`);
    }
    out[i * depth + l] = 1;
  }
  return new Tensor([...(shape ?? [labels.length]), depth], out);
}
