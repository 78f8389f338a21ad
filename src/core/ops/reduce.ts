/** Reductions: sum and max primitives; mean, logsumexp, softmax and logSoftmax composed from them. */
import { apply1, stopGradient } from "../autodiff.ts";
import { broadcastOffsets } from "../elementwise.ts";
import { type Rule, rule1 } from "../rule.ts";
import { normalizeAxes, sizeOf } from "../../base/shape.ts";
import { Tensor, allocate } from "../tensor.ts";
import { div, equal, exp, log, mul, sub, add } from "./elementwise.ts";
import { broadcastTo, reshape } from "./layout.ts";

export interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

type Combine = "sum" | "max";

/**
 * Reduces `x` over `attrs.axes`. Contiguous axis ranges (the common case: a trailing class axis,
 * a leading batch axis) run as an (outer, reduced, inner) block loop; others go through offsets.
 */
function reduce(x: Tensor, attrs: ReduceAttrs, kind: Combine): Tensor {
  const kept = keptShape(x.shape, attrs.axes);
  const acc = new Float64Array(sizeOf(kept)).fill(kind === "sum" ? 0 : -Infinity);
  const src = x.data;
  const max = (a: number, v: number) => (v > a || Number.isNaN(v) ? v : a);
  const blocks = blocksAround(x.shape, attrs.axes);
  if (blocks) {
    const [outer, red, inner] = blocks;
    if (inner === 1) {
      // Contiguous runs (a full reduction, or the last axis): one scalar accumulator per run.
      for (let o = 0, base = 0; o < outer; o++) {
        let a = acc[o] as number;
        if (kind === "sum") for (let end = base + red; base < end; base++) a += src[base] as number;
        else for (let end = base + red; base < end; base++) a = max(a, src[base] as number);
        acc[o] = a;
      }
    } else {
      for (let o = 0; o < outer; o++) {
        for (let r = 0; r < red; r++) {
          const base = (o * red + r) * inner;
          const dst = o * inner;
          if (kind === "sum")
            for (let i = 0; i < inner; i++)
              acc[dst + i] = (acc[dst + i] as number) + (src[base + i] as number);
          else
            for (let i = 0; i < inner; i++)
              acc[dst + i] = max(acc[dst + i] as number, src[base + i] as number);
        }
      }
    }
  } else {
    const target = broadcastOffsets(kept, x.shape);
    for (let i = 0; i < src.length; i++) {
      const j = target[i] as number;
      acc[j] =
        kind === "sum" ? (acc[j] as number) + (src[i] as number) : max(acc[j] as number, src[i] as number);
    }
  }
  const out = allocate(x.dtype, acc.length);
  out.set(acc);
  const shape = attrs.keepDims ? kept : x.shape.filter((_, i) => !attrs.axes.includes(i));
  return new Tensor(shape, out);
}

/** Broadcasts a reduced cotangent back over the reduced axes. */
function expand(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return broadcastTo(reshape(g, keptShape(x.shape, axes)), x.shape);
}

/** Splits a shape around a contiguous run of axes into (outer, reduced, inner) block sizes, or null. */
function blocksAround(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  const first = axes[0] ?? 0;
  if (!axes.every((ax, i) => ax === first + i)) return null;
  return [
    sizeOf(shape.slice(0, first)),
    sizeOf(shape.slice(first, first + axes.length)),
    sizeOf(shape.slice(first + axes.length)),
  ];
}

/** The cotangent of a max: `g / (number of maxima)` at every position holding its slice's maximum. */
function maxCotangent(x: Tensor, y: Tensor, g: Tensor, axes: readonly number[]): Tensor {
  const b = blocksAround(x.shape, axes);
  if (!b) {
    const mask = equal(x, expand(y, x, axes));
    const count = reduce(mask, { axes, keepDims: true }, "sum");
    return div(mul(expand(g, x, axes), mask), broadcastTo(count, x.shape));
  }
  const [outer, red, inner] = b;
  const xd = x.data;
  const yd = y.data;
  const gd = g.data;
  const counts = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < red; r++) {
      const base = (o * red + r) * inner;
      for (let i = 0; i < inner; i++) if (xd[base + i] === yd[o * inner + i]) counts[o * inner + i]! += 1;
    }
  }
  const out = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < red; r++) {
      const base = (o * red + r) * inner;
      for (let i = 0; i < inner; i++) {
        const j = o * inner + i;
        if (xd[base + i] === yd[j]) out[base + i] = (gd[j] as number) / (counts[j] as number);
      }
    }
  }
  return new Tensor(x.shape, out);
}

export const reduceRules = {
  sum: rule1<ReduceAttrs>(
    "sum",
    ([x], a) => reduce(x as Tensor, a, "sum"),
    (g, [x], _y, a) => [expand(g, x as Tensor, a.axes)],
  ),
  max: rule1<ReduceAttrs>(
    "max",
    ([x], a) => reduce(x as Tensor, a, "max"),
    // Ties share the gradient equally, as in NumPy's amax and JAX.
    (g, [x], y, a) => [maxCotangent(x as Tensor, y, g, a.axes)],
  ),
} satisfies Record<string, Rule<ReduceAttrs>>;

/** The axes a reduction runs over: one, several, or all (`undefined`); negative counts from the end. */
export type Axes = number | readonly number[] | undefined;

/** Sum over `axes` (all axes if omitted). */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return apply1(reduceRules.sum, [x], { axes: normalizeAxes("sum", axes, x.rank), keepDims });
}

/** Maximum over `axes` (all axes if omitted); ties share the gradient. */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return apply1(reduceRules.max, [x], { axes: normalizeAxes("max", axes, x.rank), keepDims });
}

/** Mean over `axes` (all axes if omitted). */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = normalizeAxes("mean", axes, x.rank);
  const count = ax.reduce((n, a) => n * (x.shape[a] as number), 1);
  return div(sum(x, ax, keepDims), count);
}

/** `log Σ exp(x)` over `axes`, shifted by the maximum so it never overflows. */
export function logsumexp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = normalizeAxes("logsumexp", axes, x.rank);
  const m = stopGradient(max(x, ax, true));
  const out = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepDims
    ? out
    : reshape(
        out,
        x.shape.filter((_, i) => !ax.includes(i)),
      );
}

/** `x - logsumexp(x)` along `axis` (default the last). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return sub(x, logsumexp(x, axis, true));
}

/** `exp(x) / Σ exp(x)` along `axis` (default the last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
