/**
 * Elementwise primitives with NumPy broadcasting. Each rule states its forward map and its
 * derivative together; the public functions below are thin wrappers.
 */
import { apply1 } from "../autodiff.ts";
import { type BinaryLoops, type UnaryLoop, mapBinary, mapUnary, mapWhere } from "../elementwise.ts";
import { sigmoidGrad, tanhGrad } from "../gradLoops.ts";
import { NO_VALUES, type Rule, readingOnly, rule1 } from "../rule.ts";
import { type Shape, reducedAxes, sameShape } from "../../base/shape.ts";
import { type Data, Tensor, type TensorLike, full } from "../tensor.ts";
import type { Accumulate } from "../node.ts";
import { reshape } from "./layout.ts";
import { getBackend } from "../../kernels/index.ts";
import type { ArithmeticOp, ArrayActivation } from "../../kernels/backend.ts";
import { ARITHMETIC_LOOPS, type ArithmeticLoops } from "../../kernels/js/binary.ts";
import { sigmoidArray, stableSigmoid, tanhArray } from "../../kernels/js/unary.ts";
import { sum } from "./reduce.ts";

/** Sums a broadcast cotangent back to the shape of the input it came from. */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  return reshape(sum(g, reducedAxes(shape, g.shape)), shape);
}

type NoAttrs = Record<string, never>;
/** The attributes of every elementwise application: one object, not one per node. */
const NONE: NoAttrs = Object.freeze({});

function unary(
  name: string,
  f: (x: number) => number,
  d: (g: Tensor, x: Tensor, y: Tensor) => Tensor,
  loop?: UnaryLoop,
): Rule<NoAttrs> {
  return rule1<NoAttrs>(
    name,
    ([x]) => mapUnary(x as Tensor, f, loop),
    (g, [x], y) => [d(g, x as Tensor, y)],
  );
}

type Partial2 = ((g: Tensor, a: Tensor, b: Tensor, y: Tensor) => Tensor) | null;

/** The partial derivative `g ↦ g` (of a sum in either operand, of a difference in the first). */
const passThrough: Partial2 = (g) => g;

/** Per-column float64 sums of {@link addRowSums}, kept between calls. */
let columnSums = new Float64Array(0);

/** True when `shape` (leading 1s aside) is the trailing axes of `g`'s, which repeats it as rows. */
function repeatsRow(g: Tensor, shape: Shape): boolean {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  return lead === shape.length || sameShape(g.shape.slice(g.rank - (shape.length - lead)), shape.slice(lead));
}

/**
 * @internal Adds the rows of `g` (each `acc.length` long, `g`'s dtype) into `acc`, as `sumTo` then
 * adding would, bit for bit: each column summed in float64 in row order, rounded to the dtype, then
 * added (a bias's gradient, added into zeros).
 */
export function addRowSums(g: Tensor, acc: Data): void {
  const m = acc.length;
  if (columnSums.length < m) columnSums = new Float64Array(m);
  const sums = columnSums;
  sums.fill(0, 0, m);
  const src = g.data;
  const end = src.length;
  let r = 0;
  // Four rows a pass: s + a + b + c + d adds left to right, each sum rounded to float64 as one
  // row at a time would, with a quarter of the loads and stores of the sums.
  for (; r + 4 * m <= end; r += 4 * m) {
    for (let j = 0; j < m; j++) {
      const k = r + j;
      sums[j] =
        (sums[j] as number) +
        (src[k] as number) +
        (src[k + m] as number) +
        (src[k + 2 * m] as number) +
        (src[k + 3 * m] as number);
    }
  }
  for (; r < end; r += m) for (let j = 0; j < m; j++) sums[j] = (sums[j] as number) + (src[r + j] as number);
  if (acc instanceof Float32Array)
    for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + Math.fround(sums[j] as number);
  else for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + (sums[j] as number);
}

/** A broadcasting binary primitive with one derivative per operand (null: not differentiable). */
function binary(
  name: string,
  f: (a: number, b: number) => number,
  da: Partial2,
  db: Partial2,
  loops?: BinaryLoops,
): Rule<NoAttrs> {
  /** Operand `i`'s cotangent, or null when it went straight into its sum (a broadcast bias). */
  const partial = (
    d: Partial2,
    i: number,
    g: Tensor,
    at: Tensor,
    bt: Tensor,
    y: Tensor,
    into: Accumulate,
  ) => {
    const x = i === 0 ? at : bt;
    if (d === passThrough && g.dtype === x.dtype && !sameShape(g.shape, x.shape) && repeatsRow(g, x.shape)) {
      addRowSums(g, into(i));
      return null;
    }
    return sumTo((d as NonNullable<Partial2>)(g, at, bt, y), x.shape);
  };
  return rule1<NoAttrs>(
    name,
    ([a, b]) => mapBinary(name, a as Tensor, b as Tensor, f, loops),
    (g, [a, b], y, _attrs, needs, into) => {
      const at = a as Tensor;
      const bt = b as Tensor;
      return [
        da && needs[0] ? partial(da, 0, g, at, bt, y, into) : null,
        db && needs[1] ? partial(db, 1, g, at, bt, y, into) : null,
      ];
    },
  );
}

/**
 * Float32 arrays at least this long go to the kernel backend's `binaryArray` (WebAssembly SIMD where
 * available, the same bits as the loops): below it the call costs more than the loop saves.
 */
const ON_BACKEND_FROM = 512;

/** `loop`, or the backend's `binaryArray` for long float32 arrays. */
function viaBackend(op: ArithmeticOp, loop: ArithmeticLoops["same"]): ArithmeticLoops["same"] {
  return (a, b, o) => {
    if (
      o.length >= ON_BACKEND_FROM &&
      a instanceof Float32Array &&
      b instanceof Float32Array &&
      o instanceof Float32Array
    )
      getBackend().binaryArray(op, a, b, o);
    else loop(a, b, o);
  };
}

/** The arithmetic operators' own loops (see {@link BinaryLoops}): the hot elementwise ops. */
const ARITHMETIC: Record<ArithmeticOp, BinaryLoops> = {
  add: {
    same: viaBackend("add", ARITHMETIC_LOOPS.add.same),
    scalar: (a, y, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) + y;
    },
    // x + b and b + x are the same IEEE sum.
    scalarLeft: (x, b, o) => ARITHMETIC.add.scalar(b, x, o),
    rows: viaBackend("add", ARITHMETIC_LOOPS.add.rows),
  },
  sub: {
    same: viaBackend("sub", ARITHMETIC_LOOPS.sub.same),
    scalar: (a, y, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) - y;
    },
    scalarLeft: (x, b, o) => {
      for (let i = 0; i < o.length; i++) o[i] = x - (b[i] as number);
    },
    rows: viaBackend("sub", ARITHMETIC_LOOPS.sub.rows),
  },
  mul: {
    same: viaBackend("mul", ARITHMETIC_LOOPS.mul.same),
    scalar: (a, y, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) * y;
    },
    // x · b and b · x are the same IEEE product.
    scalarLeft: (x, b, o) => ARITHMETIC.mul.scalar(b, x, o),
    rows: viaBackend("mul", ARITHMETIC_LOOPS.mul.rows),
  },
  div: {
    same: viaBackend("div", ARITHMETIC_LOOPS.div.same),
    scalar: (a, y, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) / y;
    },
    scalarLeft: (x, b, o) => {
      for (let i = 0; i < o.length; i++) o[i] = x / (b[i] as number);
    },
    rows: viaBackend("div", ARITHMETIC_LOOPS.div.rows),
  },
};

const compare = (name: string, f: (a: number, b: number) => boolean) =>
  binary(name, (a, b) => (f(a, b) ? 1 : 0), null, null);
const stableSoftplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/**
 * A float32 array through the kernel backend's `activateArray` (WebAssembly SIMD where available:
 * tanh and sigmoid are most of a user's gated cell's pointwise time), float64 through `float64`.
 */
const onBackend =
  (kind: ArrayActivation, float64: UnaryLoop): UnaryLoop =>
  (x, o) => {
    if (x instanceof Float32Array && o instanceof Float32Array) getBackend().activateArray(kind, x, o);
    else float64(x, o);
  };

export const elementwiseRules = {
  neg: unary(
    "neg",
    (x) => -x,
    (g) => neg(g),
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = -(x[i] as number);
    },
  ),
  exp: unary(
    "exp",
    Math.exp,
    (g, _x, y) => mul(g, y),
    (x, o) => {
      for (let i = 0; i < o.length; i++) o[i] = Math.exp(x[i] as number);
    },
  ),
  log: unary("log", Math.log, (g, x) => div(g, x)),
  // g (1 − y²) and g y (1 − y), each intermediate rounded as the composed ops round it.
  // Derivatives from the output alone.
  tanh: readingOnly(
    unary("tanh", Math.tanh, (g, _x, y) => tanhGrad(g, y), onBackend("tanh", tanhArray)),
    { inputs: false, outputs: true },
  ),
  sigmoid: readingOnly(
    unary("sigmoid", stableSigmoid, (g, _x, y) => sigmoidGrad(g, y), onBackend("sigmoid", sigmoidArray)),
    { inputs: false, outputs: true },
  ),
  relu: unary(
    "relu",
    (x) => (x > 0 ? x : 0),
    (g, x) => mul(g, greater(x, 0)),
    (x, o) => {
      for (let i = 0; i < o.length; i++) {
        const v = x[i] as number;
        o[i] = v > 0 ? v : 0;
      }
    },
  ),
  softplus: unary("softplus", stableSoftplus, (g, x) => mul(g, sigmoid(x))),
  abs: unary("abs", Math.abs, (g, x) => mul(g, sub(greater(x, 0), less(x, 0)))),
  sqrt: unary("sqrt", Math.sqrt, (g, _x, y) => div(mul(g, 0.5), y)),
  sin: unary("sin", Math.sin, (g, x) => mul(g, cos(x))),
  cos: unary("cos", Math.cos, (g, x) => neg(mul(g, sin(x)))),
  // Sums and differences: derivatives from the shapes alone; products: from the operands.
  add: readingOnly(
    binary("add", (a, b) => a + b, passThrough, passThrough, ARITHMETIC.add),
    NO_VALUES,
  ),
  sub: readingOnly(
    binary(
      "sub",
      (a, b) => a - b,
      passThrough,
      (g) => neg(g),
      ARITHMETIC.sub,
    ),
    NO_VALUES,
  ),
  mul: readingOnly(
    binary(
      "mul",
      (a, b) => a * b,
      (g, _a, b) => mul(g, b),
      (g, a) => mul(g, a),
      ARITHMETIC.mul,
    ),
    { inputs: true, outputs: false },
  ),
  div: binary(
    "div",
    (a, b) => a / b,
    (g, _a, b) => div(g, b),
    (g, a, b) => neg(div(mul(g, a), mul(b, b))),
    ARITHMETIC.div,
  ),
  pow: binary(
    "pow",
    Math.pow,
    (g, a, b) => mul(g, mul(b, pow(a, sub(b, 1)))),
    (g, a, _b, y) => mul(g, mul(y, where(greater(a, 0), log(a), 0))),
  ),
  maximum: binary(
    "maximum",
    Math.max,
    (g, a, b) => mul(g, greaterEqual(a, b)),
    (g, a, b) => mul(g, less(a, b)),
  ),
  minimum: binary(
    "minimum",
    Math.min,
    (g, a, b) => mul(g, lessEqual(a, b)),
    (g, a, b) => mul(g, greater(a, b)),
  ),
  greater: compare("greater", (a, b) => a > b),
  greaterEqual: compare("greaterEqual", (a, b) => a >= b),
  less: compare("less", (a, b) => a < b),
  lessEqual: compare("lessEqual", (a, b) => a <= b),
  equal: compare("equal", (a, b) => a === b),
  where: rule1<NoAttrs>(
    "where",
    ([c, a, b]) => mapWhere(c as Tensor, a as Tensor, b as Tensor),
    (g, [c, a, b], _y, _attrs, needs) => {
      // The forward selects by `cond != 0`, so the derivative routes by that mask, never by the
      // condition's value (a refractory countdown of 2 selects `a` exactly as 1 does).
      const selected = mapUnary(c as Tensor, (v) => (v !== 0 ? 1 : 0));
      return [
        null,
        needs[1] ? sumTo(mul(g, selected), (a as Tensor).shape) : null,
        needs[2] ? sumTo(mul(g, sub(1, selected)), (b as Tensor).shape) : null,
      ];
    },
  ),
};

/** Converts a number to a scalar tensor of `like`'s dtype. */
export function asTensor(x: TensorLike, like?: Tensor): Tensor {
  return x instanceof Tensor ? x : full([], x, like?.dtype ?? "float32");
}

const u =
  (r: Rule<NoAttrs>) =>
  (x: Tensor): Tensor =>
    apply1(r, [x], NONE);
const b =
  (r: Rule<NoAttrs>) =>
  (x: TensorLike, y: TensorLike): Tensor => {
    const like = x instanceof Tensor ? x : y instanceof Tensor ? y : undefined;
    return apply1(r, [asTensor(x, like), asTensor(y, like)], NONE);
  };

/** `-x` */
export const neg = u(elementwiseRules.neg);
/** `e^x` */
export const exp = u(elementwiseRules.exp);
/** Natural logarithm. */
export const log = u(elementwiseRules.log);
/** Hyperbolic tangent. */
export const tanh = u(elementwiseRules.tanh);
/** Logistic sigmoid `1 / (1 + e^-x)`, computed without overflow. */
export const sigmoid = u(elementwiseRules.sigmoid);
/** `max(x, 0)`; derivative 0 at x = 0. */
export const relu = u(elementwiseRules.relu);
/** `log(1 + e^x)`, computed without overflow. */
export const softplus = u(elementwiseRules.softplus);
/** `|x|`; derivative 0 at x = 0. */
export const abs = u(elementwiseRules.abs);
/** Square root. */
export const sqrt = u(elementwiseRules.sqrt);
/** Sine (radians). */
export const sin = u(elementwiseRules.sin);
/** Cosine (radians). */
export const cos = u(elementwiseRules.cos);
/** `a + b` with broadcasting. */
export const add = b(elementwiseRules.add);
/** `a - b` with broadcasting. */
export const sub = b(elementwiseRules.sub);
/** `a * b` with broadcasting. */
export const mul = b(elementwiseRules.mul);
/** `a / b` with broadcasting. */
export const div = b(elementwiseRules.div);
/** `a ^ b` with broadcasting; the derivative in b uses log(a) and is taken as 0 where a <= 0. */
export const pow = b(elementwiseRules.pow);
/** Elementwise maximum; ties send the gradient to `a`. */
export const maximum = b(elementwiseRules.maximum);
/** Elementwise minimum; ties send the gradient to `a`. */
export const minimum = b(elementwiseRules.minimum);
/** `a > b` as 0/1 (no gradient). */
export const greater = b(elementwiseRules.greater);
/** `a >= b` as 0/1 (no gradient). */
export const greaterEqual = b(elementwiseRules.greaterEqual);
/** `a < b` as 0/1 (no gradient). */
export const less = b(elementwiseRules.less);
/** `a <= b` as 0/1 (no gradient). */
export const lessEqual = b(elementwiseRules.lessEqual);
/** `a == b` as 0/1 (no gradient). */
export const equal = b(elementwiseRules.equal);

/** `cond != 0 ? a : b` elementwise, with broadcasting; no gradient flows to `cond`. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : cond;
  return apply1(elementwiseRules.where, [cond, asTensor(a, like), asTensor(b, like)], NONE);
}

/** `x * x` */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}

/** Clamps to [lo, hi]. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  return minimum(maximum(x, lo), hi);
}
