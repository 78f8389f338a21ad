/**
 * Broadcasting, property-based: for random shapes that broadcast (NumPy's rules), every binary
 * elementwise op equals a plain reference computed index by index, the gradient of each operand is
 * the output cotangent summed over the axes it was broadcast along, and shapes that do not
 * broadcast are refused with a ShapeError.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ShapeError,
  type Tensor,
  add,
  maximum,
  minimum,
  mul,
  sub,
  sum,
  tensor,
  valueAndGrad,
} from "../../src/index.ts";

// A fixed seed: the same cases on every run, so a failure reproduces (change it to explore others).
fc.configureGlobal({ seed: 20261203 });

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/** The reference: NumPy's broadcast shape, or `undefined` when the shapes do not broadcast. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(Math.max(da, db));
  }
  return out;
}

/** The flat index into an operand of `shape` that output index `flat` of `out` reads. */
function sourceIndex(flat: number, out: readonly number[], shape: readonly number[]): number {
  let index = 0;
  let stride = 1;
  let rest = flat;
  for (let i = out.length - 1; i >= 0; i--) {
    const coordinate = rest % (out[i] as number);
    rest = Math.floor(rest / (out[i] as number));
    const j = i - (out.length - shape.length);
    if (j >= 0) {
      const d = shape[j] as number;
      index += (d === 1 ? 0 : coordinate) * stride;
      stride *= d;
    }
  }
  return index;
}

/** A shape that broadcasts to `out`: leading axes dropped, others possibly set to 1. */
const operandOf = (out: readonly number[]) =>
  fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i] ? 1 : d)));

/** Two operand shapes that broadcast together (to a shape of rank 0 to 4, axes of 1 to 4). */
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((out) => fc.tuple(operandOf(out), operandOf(out)));

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed + 1.7 * i) * 3);

const OPS: readonly [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ["add", add, (x, y) => x + y],
  ["sub", sub, (x, y) => x - y],
  ["mul", mul, (x, y) => x * y],
  ["maximum", maximum, (x, y) => Math.max(x, y)],
  ["minimum", minimum, (x, y) => Math.min(x, y)],
];

describe("broadcasting against a reference", () => {
  it.each(OPS)("%s gives the reference's shape and values", (_, op, ref) => {
    fc.assert(
      fc.property(broadcastPair, fc.integer({ min: 0, max: 1000 }), ([sa, sb], seed) => {
        const a = tensor(values(size(sa), seed), sa, "float64");
        const b = tensor(values(size(sb), seed + 7), sb, "float64");
        const y = op(a, b);
        expect(y.shape).toEqual(broadcastShape(sa, sb));
        const expected = Array.from({ length: size(y.shape) }, (_, k) =>
          ref(a.data[sourceIndex(k, y.shape, sa)] as number, b.data[sourceIndex(k, y.shape, sb)] as number),
        );
        expect(Array.from(y.data)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("sums each operand's gradient over the axes it was broadcast along", () => {
    fc.assert(
      fc.property(broadcastPair, fc.integer({ min: 0, max: 1000 }), ([sa, sb], seed) => {
        const a = tensor(values(size(sa), seed), sa, "float64");
        const b = tensor(values(size(sb), seed + 7), sb, "float64");
        const shape = broadcastShape(sa, sb) as number[];
        const w = tensor(values(size(shape), seed + 13), shape, "float64");
        // d/da sum(w · (a · b)) at a's element i: the sum of w · b over the outputs that read a[i].
        const { grads } = valueAndGrad((p: { a: Tensor; b: Tensor }) => sum(mul(w, mul(p.a, p.b))))({ a, b });
        const expectA = new Array<number>(size(sa)).fill(0);
        const expectB = new Array<number>(size(sb)).fill(0);
        for (let k = 0; k < size(shape); k++) {
          const i = sourceIndex(k, shape, sa);
          const j = sourceIndex(k, shape, sb);
          expectA[i] = (expectA[i] as number) + (w.data[k] as number) * (b.data[j] as number);
          expectB[j] = (expectB[j] as number) + (w.data[k] as number) * (a.data[i] as number);
        }
        expect(grads.a.shape).toEqual(sa);
        expect(grads.b.shape).toEqual(sb);
        Array.from(grads.a.data).forEach((g, i) => expect(g).toBeCloseTo(expectA[i] as number, 9));
        Array.from(grads.b.data).forEach((g, j) => expect(g).toBeCloseTo(expectB[j] as number, 9));
      }),
      { numRuns: 100 },
    );
  });

  it("refuses shapes that do not broadcast with a ShapeError naming both", () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(shapes, shapes, (sa, sb) => {
        fc.pre(broadcastShape(sa, sb) === undefined);
        const a = tensor(new Array(size(sa)).fill(1), sa);
        const b = tensor(new Array(size(sb)).fill(1), sb);
        for (const [, op] of OPS) {
          expect(() => op(a, b)).toThrow(ShapeError);
          expect(() => op(a, b)).toThrow(`[${sa.join(", ")}]`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
