/**
 * Elementwise add, sub, mul and div over whole arrays in plain TypeScript, float64 arithmetic
 * rounded at the store: `KernelBackend.binaryArray` of the TypeScript backend, and the float64 and
 * short arrays' loops of the arithmetic primitives on every backend. Each operator has its own
 * loops, so the engine compiles the operator into them.
 */
import type { ArithmeticOp } from "../backend.ts";

type FloatArray = Float32Array | Float64Array;

/** One operator's loops: `same` over arrays of one length, `rows` with `b` repeating along `a`. */
export interface ArithmeticLoops {
  readonly same: (a: FloatArray, b: FloatArray, out: FloatArray) => void;
  readonly rows: (a: FloatArray, b: FloatArray, out: FloatArray) => void;
}

export const ARITHMETIC_LOOPS: Readonly<Record<ArithmeticOp, ArithmeticLoops>> = {
  add: {
    same: (a, b, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) + (b[i] as number);
    },
    rows: (a, b, o) => {
      for (let r = 0; r < o.length; r += b.length)
        for (let j = 0; j < b.length; j++) o[r + j] = (a[r + j] as number) + (b[j] as number);
    },
  },
  sub: {
    same: (a, b, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) - (b[i] as number);
    },
    rows: (a, b, o) => {
      for (let r = 0; r < o.length; r += b.length)
        for (let j = 0; j < b.length; j++) o[r + j] = (a[r + j] as number) - (b[j] as number);
    },
  },
  mul: {
    same: (a, b, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) * (b[i] as number);
    },
    rows: (a, b, o) => {
      for (let r = 0; r < o.length; r += b.length)
        for (let j = 0; j < b.length; j++) o[r + j] = (a[r + j] as number) * (b[j] as number);
    },
  },
  div: {
    same: (a, b, o) => {
      for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) / (b[i] as number);
    },
    rows: (a, b, o) => {
      for (let r = 0; r < o.length; r += b.length)
        for (let j = 0; j < b.length; j++) o[r + j] = (a[r + j] as number) / (b[j] as number);
    },
  },
};

/** `out ← a op b` with `b` repeating along `a` (its length divides a's). */
export function binaryArrayRef(op: ArithmeticOp, a: FloatArray, b: FloatArray, out: FloatArray): void {
  const loops = ARITHMETIC_LOOPS[op];
  (b.length === a.length ? loops.same : loops.rows)(a, b, out);
}
