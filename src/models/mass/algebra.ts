/**
 * The arithmetic a neural-mass model is written in. A model's right-hand side, its couplings and
 * the integrators are written once against {@link Algebra}; running them on tensors gives the
 * differentiable step-by-step path, tracing them gives the program the fused simulation kernel
 * runs over all nodes (see `trace.ts`).
 */
import {
  type Tensor,
  add,
  cos,
  div,
  exp,
  log,
  mul,
  neg,
  relu,
  sigmoid,
  sin,
  sqrt,
  sub,
  tanh,
} from "../../core/index.ts";

/** A value of the algebra, or a plain number (a constant). */
export type Value<T> = T | number;

/**
 * Elementwise operations over values of type T. Every operation is a plain function (no `this`),
 * so a model may destructure what it uses: `const { add, mul, exp } = o`.
 */
export interface Algebra<T> {
  add(a: Value<T>, b: Value<T>): T;
  sub(a: Value<T>, b: Value<T>): T;
  mul(a: Value<T>, b: Value<T>): T;
  div(a: Value<T>, b: Value<T>): T;
  neg(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  tanh(a: T): T;
  /** Logistic `1 / (1 + e^-a)`. */
  sigmoid(a: T): T;
  sin(a: T): T;
  cos(a: T): T;
  sqrt(a: T): T;
  /** `max(a, 0)`. */
  relu(a: T): T;
}

/** The algebra of tensors: every operation is a core primitive, so autodiff sees through it. */
export const tensorAlgebra: Algebra<Tensor> = {
  add: (a, b) => add(a, b),
  sub: (a, b) => sub(a, b),
  mul: (a, b) => mul(a, b),
  div: (a, b) => div(a, b),
  neg,
  exp,
  log,
  tanh,
  sigmoid,
  sin,
  cos,
  sqrt,
  relu,
};

/** The algebra of plain numbers: right-hand sides evaluated pointwise (phase planes, hand checks). */
export const numberAlgebra: Algebra<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  sin: Math.sin,
  cos: Math.cos,
  sqrt: Math.sqrt,
  relu: (a) => Math.max(a, 0),
};
