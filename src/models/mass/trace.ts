/**
 * Tracing: runs code written against {@link Algebra} on symbols instead of tensors and records the
 * operations as a {@link Program}, which the fused kernel evaluates over all nodes at once.
 * Constants fold, identities (x + 0, x · 1, x · 0) simplify, repeated subexpressions are shared
 * and operations no output needs are dropped.
 */
import { BINARY_OPS, PROGRAM_OPS, type Program, type ProgramOp } from "../../kernels/js/massProgram.ts";
import { type Algebra, type Value, numberAlgebra } from "./algebra.ts";

/** A traced value: the slot that will hold it. */
export class Sym {
  constructor(readonly slot: number) {}
}

/** Constant folding evaluates an operation on numbers. */
const FOLD: Record<ProgramOp, (a: number, b: number) => number> = numberAlgebra;

class Recorder {
  private next: number;
  readonly constants = new Map<number, number>(); // value → slot
  readonly ops: [number, number, number, number][] = [];
  private readonly seen = new Map<string, number>(); // "code,a,b" → result slot
  private readonly constantOf = new Map<number, number>(); // slot → value

  constructor(readonly nInputs: number) {
    this.next = nInputs;
  }

  constant(value: number): Sym {
    const key = Object.is(value, -0) ? 0 : value;
    let slot = this.constants.get(key);
    if (slot === undefined) {
      slot = this.next++;
      this.constants.set(key, slot);
      this.constantOf.set(slot, key);
    }
    return new Sym(slot);
  }

  /** The constant a value stands for, if it is one. */
  known(x: Value<Sym>): number | undefined {
    return typeof x === "number" ? x : this.constantOf.get(x.slot);
  }

  sym(x: Value<Sym>): Sym {
    return typeof x === "number" ? this.constant(x) : x;
  }

  op(name: ProgramOp, a: Value<Sym>, b?: Value<Sym>): Sym {
    const ka = this.known(a);
    const kb = b === undefined ? 0 : this.known(b);
    if (ka !== undefined && kb !== undefined) return this.constant(FOLD[name](ka, kb));
    const simple = b === undefined ? undefined : simplify(name, a, b, ka, kb);
    if (simple !== undefined) return this.sym(simple);
    const code = PROGRAM_OPS.indexOf(name);
    const sa = this.sym(a).slot;
    let sb = b === undefined ? -1 : this.sym(b).slot;
    // Commutative operations share one form, so a·b and b·a are one subexpression.
    const swap = (name === "add" || name === "mul") && sb < sa;
    const [x, y] = swap ? [sb, sa] : [sa, sb];
    sb = y;
    const key = `${code},${x},${sb}`;
    const found = this.seen.get(key);
    if (found !== undefined) return new Sym(found);
    const out = this.next++;
    this.ops.push([code, x, sb, out]);
    this.seen.set(key, out);
    return new Sym(out);
  }

  /** The program computing `outputs`, without operations none of them needs. */
  finish(outputs: readonly Value<Sym>[]): Program {
    const outSlots = outputs.map((o) => this.sym(o).slot);
    const needed = new Set(outSlots);
    const kept: [number, number, number, number][] = [];
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i] as [number, number, number, number];
      if (!needed.has(op[3])) continue;
      kept.push(op);
      needed.add(op[1]);
      if (op[2] >= 0) needed.add(op[2]);
    }
    kept.reverse();
    const constants = [...this.constants.entries()];
    return {
      nSlots: this.next,
      nInputs: this.nInputs,
      constantSlots: Int32Array.from(constants, ([, slot]) => slot),
      constantValues: Float64Array.from(constants, ([value]) => value),
      code: Int32Array.from(kept.flat()),
      outputs: Int32Array.from(outSlots),
    };
  }
}

/** x + 0, 0 + x, x − 0, x · 1, 1 · x, x · 0, 0 · x, x / 1: the identities model code produces. */
function simplify(
  name: ProgramOp,
  a: Value<Sym>,
  b: Value<Sym>,
  ka: number | undefined,
  kb: number | undefined,
): Value<Sym> | undefined {
  if (name === "add") return ka === 0 ? b : kb === 0 ? a : undefined;
  if (name === "sub") return kb === 0 ? a : undefined;
  if (name === "mul") return ka === 1 ? b : kb === 1 ? a : ka === 0 || kb === 0 ? 0 : undefined;
  if (name === "div") return kb === 1 ? a : undefined;
  return undefined;
}

/**
 * Records `build` as a program with `nInputs` inputs.
 * @param build code over the algebra, given the input symbols, returning the outputs
 * @example
 * const p = trace(2, (o, [x, y]) => [o.mul(x!, o.sin(y!))]); // one output: x · sin(y)
 */
export function trace(
  nInputs: number,
  build: (o: Algebra<Sym>, inputs: readonly Sym[]) => readonly Value<Sym>[],
): Program {
  const r = new Recorder(nInputs);
  const unary = (name: ProgramOp) => (a: Sym) => r.op(name, a);
  const binary = (name: ProgramOp) => (a: Value<Sym>, b: Value<Sym>) => r.op(name, a, b);
  const algebra = Object.fromEntries(
    PROGRAM_OPS.map((name) => [name, BINARY_OPS.has(name) ? binary(name) : unary(name)]),
  ) as unknown as Algebra<Sym>;
  const inputs = Array.from({ length: nInputs }, (_, i) => new Sym(i));
  return r.finish(build(algebra, inputs));
}
