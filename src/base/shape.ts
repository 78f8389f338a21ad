/** Shape arithmetic: sizes, strides, broadcasting and axis normalisation. */
import { ShapeError, ValueError, fmtShape } from "./errors.ts";

/** A tensor shape, outermost axis first (row-major). */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks that every dimension is a non-negative integer. */
export function assertValidShape(where: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${where}: dimensions must be non-negative integers, got ${fmtShape(shape)}`);
    }
  }
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming `where` if they are incompatible. */
export function broadcastShapes(where: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${where}: shapes must broadcast, got ${fmtShape(a)} and ${fmtShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides for reading an array of shape `from` as if broadcast to `to` (0 on broadcast axes). */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const base = stridesOf(from);
  const offset = to.length - from.length;
  return to.map((_, i) => {
    const j = i - offset;
    return j < 0 || from[j] === 1 ? 0 : (base[j] as number);
  });
}

/** Normalises possibly negative axes against a rank; `undefined` means all axes. */
export function normalizeAxes(
  where: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : [...axes];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ValueError(`${where}: axis must be an integer in [${-rank}, ${rank - 1}], got ${a}`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length)
    throw new ValueError(`${where}: axes must be distinct, got [${list.join(", ")}]`);
  return out.sort((x, y) => x - y);
}

/** The axes of `shape` that were broadcast to reach `target` (for summing gradients back). */
export function reducedAxes(shape: Shape, target: Shape): number[] {
  const offset = target.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < target.length; i++) {
    const j = i - offset;
    if (j < 0 || (shape[j] === 1 && target[i] !== 1)) axes.push(i);
  }
  return axes;
}
