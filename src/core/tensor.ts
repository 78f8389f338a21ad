/**
 * The tensor value: a shape, a dtype and a flat row-major buffer. Tensors are immutable by
 * contract: no operation writes into an existing tensor's buffer, and callers must not either.
 */
import { ShapeError, ValueError, fmtShape } from "../base/errors.ts";
import { type Shape, assertValidShape, sizeOf } from "../base/shape.ts";
import type { Rng } from "../base/random.ts";
import type { Node } from "./node.ts";
import { noteBirth, takePooled } from "./pool.ts";
import { takeSlab } from "./slab.ts";

/** Element types: float32 for models, float64 where numerics demand it (ridge, PCA, fixed points). */
export type DType = "float32" | "float64";

/** The buffer type of a dtype. */
export type DataOf<D extends DType> = D extends "float64" ? Float64Array : Float32Array;
export type Data = Float32Array | Float64Array;

/** Nested arrays of numbers, as accepted by {@link tensor}. */
export type NestedArray = number | readonly NestedArray[];

/** An immutable n-dimensional array. Build one with {@link tensor}, {@link zeros}, ... */
export class Tensor {
  /** @internal the autodiff node that produced this tensor, when it depends on a traced input. */
  node: Node | undefined = undefined;
  /** @internal which output of `node` this tensor is. */
  outputIndex = 0;

  /** @internal use the factory functions; they validate the shape. The size is checked here. */
  constructor(
    readonly shape: Shape,
    readonly data: Data,
  ) {
    if (sizeOf(shape) !== data.length) {
      throw new ShapeError(
        `Tensor: shape ${fmtShape(shape)} needs ${sizeOf(shape)} elements, got a buffer of ${data.length}`,
      );
    }
  }

  get dtype(): DType {
    return this.data instanceof Float64Array ? "float64" : "float32";
  }
  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.data.length;
  }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (this.data.length !== 1) {
      throw new ShapeError(
        `Tensor.item: tensor must have exactly one element, got shape ${fmtShape(this.shape)}`,
      );
    }
    return this.data[0] as number;
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.data[offset] as number;
      const n = this.shape[axis] as number;
      const inner = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: n }, (_, i) => build(axis + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${fmtShape(this.shape)})`;
  }
}

/**
 * A zero-filled buffer of `n` elements: a dead one from the pool when there is one (see pool.ts),
 * else a view of a slab inside a scan's steps (see slab.ts), else a new one.
 */
export function allocate(dtype: DType, n: number): Data {
  return allocateFrom(takePooled(dtype, n), dtype, n);
}

/**
 * @internal {@link allocate} for a caller that writes every element before anything reads the
 * buffer: a pooled one is not zero-filled first.
 */
export function allocateToOverwrite(dtype: DType, n: number): Data {
  return allocateFrom(takePooled(dtype, n, false), dtype, n);
}

function allocateFrom(pooled: Data | undefined, dtype: DType, n: number): Data {
  const data =
    pooled ?? takeSlab(dtype, n) ?? (dtype === "float64" ? new Float64Array(n) : new Float32Array(n));
  noteBirth(data);
  return data;
}

/** Wraps an existing buffer without copying; the caller hands ownership over. */
export function fromData(data: Data, shape: Shape): Tensor {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    const got = (data as object | null)?.constructor?.name ?? typeof data;
    throw new ValueError(
      `fromData: data must be a Float32Array or Float64Array, got ${got}. Convert with Float32Array.from(...)`,
    );
  }
  assertValidShape("fromData", shape);
  if (sizeOf(shape) !== data.length) {
    throw new ShapeError(
      `fromData: shape ${fmtShape(shape)} needs ${sizeOf(shape)} elements, got a buffer of ${data.length}`,
    );
  }
  return new Tensor([...shape], data);
}

/** The shape of nested arrays, read along the first entries, then checked everywhere. */
function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedArray[])[0] ?? 0;
  }
  checkRectangular(values, shape, 0, "");
  return shape;
}

/** Throws unless every array at depth d has `shape[d]` entries and only the innermost hold numbers. */
function checkRectangular(v: NestedArray, shape: readonly number[], depth: number, at: string): void {
  const isArray = Array.isArray(v);
  const ragged = (what: string) =>
    new ShapeError(
      `tensor: nested arrays must be rectangular (shape ${fmtShape(shape)} from the first entries), got ${what} at values${at}`,
    );
  if (depth === shape.length) {
    if (isArray) throw ragged("an array where a number belongs");
    return;
  }
  if (!isArray) throw ragged(`a number where an array of ${shape[depth]} entries belongs`);
  const items = v as readonly NestedArray[];
  if (items.length !== shape[depth]) {
    throw ragged(`an array of ${items.length} where ${shape[depth]} entries belong`);
  }
  items.forEach((item, i) => checkRectangular(item, shape, depth + 1, `${at}[${i}]`));
}

/**
 * A tensor from numbers, nested arrays or a typed array.
 * @param values a number, nested arrays (shape inferred) or a flat array/typed array (then `shape` is required)
 * @param shape the shape; required for flat input
 * @param dtype float32 (default) or float64
 * @example tensor([[1, 2], [3, 4]]) // shape [2, 2]
 */
export function tensor(
  values: NestedArray | ArrayLike<number>,
  shape?: Shape,
  dtype: DType = "float32",
): Tensor {
  const isFlat = typeof values !== "number" && !Array.isArray(values);
  const inferred = isFlat ? [(values as ArrayLike<number>).length] : inferShape(values as NestedArray);
  const target = shape ?? inferred;
  assertValidShape("tensor", target);
  const flat: number[] | ArrayLike<number> = isFlat
    ? (values as ArrayLike<number>)
    : typeof values === "number"
      ? [values]
      : (values as unknown as number[]).flat(Infinity as 1);
  if (flat.length !== sizeOf(target)) {
    throw new ShapeError(
      `tensor: shape ${fmtShape(target)} needs ${sizeOf(target)} values, got ${flat.length}`,
    );
  }
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i] as number;
    if (typeof x !== "number")
      throw new ValueError(`tensor: values must be numbers, got ${String(x)} at ${i}`);
    data[i] = x;
  }
  return new Tensor([...target], data);
}

/** A scalar tensor. */
export function scalar(value: number, dtype: DType = "float32"): Tensor {
  return tensor(value, [], dtype);
}

/** A tensor filled with `value`. */
export function full(shape: Shape, value: number, dtype: DType = "float32"): Tensor {
  assertValidShape("full", shape);
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor([...shape], data);
}

export function zeros(shape: Shape, dtype: DType = "float32"): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = "float32"): Tensor {
  return full(shape, 1, dtype);
}

/** `[start, start + step, ...)` below `stop`. */
export function arange(start: number, stop: number, step = 1, dtype: DType = "float32"): Tensor {
  if (!(step !== 0 && Number.isFinite(step)))
    throw new ValueError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor([n], data);
}

/** The n x n identity matrix. */
export function eye(n: number, dtype: DType = "float32"): Tensor {
  const t = zeros([n, n], dtype);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}

/** I.i.d. normal entries with the given mean and standard deviation. */
export function randomNormal(rng: Rng, shape: Shape, std = 1, mean = 0, dtype: DType = "float32"): Tensor {
  assertValidShape("randomNormal", shape);
  return new Tensor([...shape], rng.fillNormal(allocate(dtype, sizeOf(shape)), mean, std));
}

/** I.i.d. uniform entries on [lo, hi). */
export function randomUniform(rng: Rng, shape: Shape, lo = 0, hi = 1, dtype: DType = "float32"): Tensor {
  assertValidShape("randomUniform", shape);
  return new Tensor([...shape], rng.fillUniform(allocate(dtype, sizeOf(shape)), lo, hi));
}

/** I.i.d. Bernoulli(p) entries as 0/1. */
export function randomBernoulli(rng: Rng, shape: Shape, p: number, dtype: DType = "float32"): Tensor {
  if (!(p >= 0 && p <= 1)) throw new ValueError(`randomBernoulli: p must be in [0, 1], got ${p}`);
  const t = zeros(shape, dtype);
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform() < p ? 1 : 0;
  return t;
}

/** A scalar number or a tensor, as accepted by the arithmetic ops. */
export type TensorLike = Tensor | number;
