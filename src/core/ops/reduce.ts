/** Reductions: sum and max primitives; mean, logsumexp, softmax and logSoftmax composed from them. */
import { apply1, stopGradient } from "../autodiff.ts";
import { broadcastOffsets } from "../elementwise.ts";
import { type Rule, rule1 } from "../rule.ts";
import { normalizeAxes, sizeOf } from "../shape.ts";
import { Tensor, allocate } from "../tensor.ts";
import { div, equal, exp, log, mul, sub, add } from "./elementwise.ts";
import { broadcastTo, reshape } from "./layout.ts";

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reduce(
  x: Tensor,
  attrs: ReduceAttrs,
  init: number,
  combine: (acc: number, v: number) => number,
): Tensor {
  const kept = keptShape(x.shape, attrs.axes);
  const acc = new Float64Array(sizeOf(kept)).fill(init);
  const src = x.data;
  if (acc.length === 1) {
    let a = init;
    for (let i = 0; i < src.length; i++) a = combine(a, src[i] as number);
    acc[0] = a;
  } else {
    const target = broadcastOffsets(kept, x.shape);
    for (let i = 0; i < src.length; i++) {
      const j = target[i] as number;
      acc[j] = combine(acc[j] as number, src[i] as number);
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

export const reduceRules = {
  sum: rule1<ReduceAttrs>(
    "sum",
    ([x], a) => reduce(x as Tensor, a, 0, (acc, v) => acc + v),
    (g, [x], _y, a) => [expand(g, x as Tensor, a.axes)],
  ),
  max: rule1<ReduceAttrs>(
    "max",
    ([x], a) => reduce(x as Tensor, a, -Infinity, (acc, v) => (v > acc || Number.isNaN(v) ? v : acc)),
    (g, [x], y, a) => {
      // Ties share the gradient equally, as in NumPy's amax and JAX.
      const xt = x as Tensor;
      const mask = equal(xt, expand(y, xt, a.axes));
      const count = reduce(mask, { axes: a.axes, keepDims: true }, 0, (acc, v) => acc + v);
      return [div(mul(expand(g, xt, a.axes), mask), broadcastTo(count, xt.shape))];
    },
  ),
} satisfies Record<string, Rule<ReduceAttrs>>;

type Axes = number | readonly number[] | undefined;

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
