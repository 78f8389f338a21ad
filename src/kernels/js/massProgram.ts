/**
 * Straight-line programs over lanes: the form in which the fused neural-mass kernel runs a model's
 * step. A program is a list of elementwise operations on value slots, each slot a vector of
 * `lanes` numbers (one per node and batch row); {@link ProgramRunner} evaluates it forward and
 * propagates adjoints backward through it. Programs are recorded by tracing model code (see
 * `models/mass/trace.ts`); nothing here knows about models.
 */

/** The operations, in the order their codes number them. */
export const PROGRAM_OPS = [
  "add",
  "sub",
  "mul",
  "div",
  "neg",
  "exp",
  "log",
  "tanh",
  "sigmoid",
  "sin",
  "cos",
  "sqrt",
  "relu",
] as const;

export type ProgramOp = (typeof PROGRAM_OPS)[number];

/** Which operations take two operands. */
export const BINARY_OPS: ReadonlySet<ProgramOp> = new Set(["add", "sub", "mul", "div"]);

/**
 * A straight-line program. Slots `0 .. nInputs-1` hold the inputs in order; constants and
 * operation results follow. Every operation writes a slot of its own (single assignment).
 */
export interface Program {
  readonly nSlots: number;
  readonly nInputs: number;
  /** Constant slots and their values. */
  readonly constantSlots: Int32Array;
  readonly constantValues: Float64Array;
  /** Four integers per operation: code (index in `PROGRAM_OPS`), operand a, operand b (−1 when unary), result. */
  readonly code: Int32Array;
  /** The slots read as outputs, in order (an output may be an input or a constant slot). */
  readonly outputs: Int32Array;
}

const [ADD, SUB, MUL, DIV, NEG, EXP, LOG, TANH, SIGMOID, SIN, COS, SQRT, RELU] = PROGRAM_OPS.map((_, i) => i);

/**
 * Evaluates a program over `lanes` lanes, keeping every slot's values so that a backward pass can
 * follow. Inputs are written through {@link ProgramRunner.inputs}; results read through
 * {@link ProgramRunner.outputs}.
 */
export class ProgramRunner {
  /** Slot-major values: slot s, lane l at `s * lanes + l`. */
  readonly values: Float64Array;
  /** Adjoints, same layout; all zero between backward passes except where the caller seeds. */
  readonly adjoint: Float64Array;
  /** Views of the input slots (write before {@link forward}). */
  readonly inputs: readonly Float64Array[];
  /** Views of the output slots (read after {@link forward}). */
  readonly outputs: readonly Float64Array[];
  /** Views of the input adjoints (read after {@link backward}). */
  readonly inputAdjoints: readonly Float64Array[];

  private readonly compiled: CompiledProgram | null;

  /**
   * @param options.compile run the program as generated JavaScript (default true; falls back to
   *   the interpreter where code generation is not allowed, e.g. under a strict CSP)
   */
  constructor(
    readonly program: Program,
    readonly lanes: number,
    options: { readonly compile?: boolean } = {},
  ) {
    this.compiled = options.compile === false ? null : compileProgram(program);
    this.values = new Float64Array(program.nSlots * lanes);
    this.adjoint = new Float64Array(program.nSlots * lanes);
    const view = (a: Float64Array, s: number) => a.subarray(s * lanes, (s + 1) * lanes);
    const ins = Array.from({ length: program.nInputs }, (_, s) => s);
    this.inputs = ins.map((s) => view(this.values, s));
    this.inputAdjoints = ins.map((s) => view(this.adjoint, s));
    this.outputs = Array.from(program.outputs, (s) => view(this.values, s));
    const { constantSlots, constantValues } = program;
    for (let c = 0; c < constantSlots.length; c++) {
      const s = constantSlots[c] as number;
      this.values.fill(constantValues[c] as number, s * lanes, (s + 1) * lanes);
    }
  }

  /** Adds `g` (or `scale · g`) to the adjoint of output k. */
  seed(k: number, g: ArrayLike<number>, offset = 0, scale = 1): void {
    const base = (this.program.outputs[k] as number) * this.lanes;
    const adj = this.adjoint;
    for (let l = 0; l < this.lanes; l++)
      adj[base + l] = (adj[base + l] as number) + scale * (g[offset + l] as number);
  }

  /** Zeroes the input and constant adjoints, ready for the next backward pass. */
  clearInputAdjoints(): void {
    const L = this.lanes;
    this.adjoint.fill(0, 0, this.program.nInputs * L);
    for (const s of this.program.constantSlots) this.adjoint.fill(0, s * L, (s + 1) * L);
  }

  /** Evaluates the program (inputs must be written). */
  forward(): void {
    if (this.compiled) this.compiled.forward(this.values, this.lanes);
    else interpretForward(this.program, this.values, this.lanes);
  }

  /**
   * Evaluates the program and propagates the seeded output adjoints back to the inputs (read them
   * in {@link inputAdjoints}). Intermediate adjoints are consumed (zeroed) on the way, so only
   * inputs and constants need clearing afterwards ({@link clearInputAdjoints}).
   */
  backward(): void {
    if (this.compiled) {
      this.compiled.backward(this.values, this.adjoint, this.lanes);
    } else {
      interpretForward(this.program, this.values, this.lanes);
      interpretBackward(this.program, this.values, this.adjoint, this.lanes);
    }
  }
}

/** Runs every operation in order over `L` lanes. */
function interpretForward(program: Program, v: Float64Array, L: number): void {
  const { code } = program;
  for (let k = 0; k < code.length; k += 4) {
    const a = (code[k + 1] as number) * L;
    const b = (code[k + 2] as number) * L;
    const o = (code[k + 3] as number) * L;
    switch (code[k]) {
      case ADD:
        for (let i = 0; i < L; i++) v[o + i] = (v[a + i] as number) + (v[b + i] as number);
        break;
      case SUB:
        for (let i = 0; i < L; i++) v[o + i] = (v[a + i] as number) - (v[b + i] as number);
        break;
      case MUL:
        for (let i = 0; i < L; i++) v[o + i] = (v[a + i] as number) * (v[b + i] as number);
        break;
      case DIV:
        for (let i = 0; i < L; i++) v[o + i] = (v[a + i] as number) / (v[b + i] as number);
        break;
      case NEG:
        for (let i = 0; i < L; i++) v[o + i] = -(v[a + i] as number);
        break;
      case EXP:
        for (let i = 0; i < L; i++) v[o + i] = Math.exp(v[a + i] as number);
        break;
      case LOG:
        for (let i = 0; i < L; i++) v[o + i] = Math.log(v[a + i] as number);
        break;
      case TANH:
        for (let i = 0; i < L; i++) v[o + i] = Math.tanh(v[a + i] as number);
        break;
      case SIGMOID:
        for (let i = 0; i < L; i++) {
          const x = v[a + i] as number;
          v[o + i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }
        break;
      case SIN:
        for (let i = 0; i < L; i++) v[o + i] = Math.sin(v[a + i] as number);
        break;
      case COS:
        for (let i = 0; i < L; i++) v[o + i] = Math.cos(v[a + i] as number);
        break;
      case SQRT:
        for (let i = 0; i < L; i++) v[o + i] = Math.sqrt(v[a + i] as number);
        break;
      case RELU:
        for (let i = 0; i < L; i++) v[o + i] = Math.max(v[a + i] as number, 0);
        break;
    }
  }
}

/**
 * The reverse sweep: propagates the adjoints in `d` from the outputs back to the inputs, using the
 * values of the last forward pass; intermediate adjoints are consumed (zeroed) on the way.
 */
function interpretBackward(program: Program, v: Float64Array, d: Float64Array, L: number): void {
  const { code } = program;
  for (let k = code.length - 4; k >= 0; k -= 4) {
    const a = (code[k + 1] as number) * L;
    const b = (code[k + 2] as number) * L;
    const o = (code[k + 3] as number) * L;
    switch (code[k]) {
      case ADD:
        for (let i = 0; i < L; i++) {
          const g = d[o + i] as number;
          d[o + i] = 0;
          d[a + i] = (d[a + i] as number) + g;
          d[b + i] = (d[b + i] as number) + g;
        }
        break;
      case SUB:
        for (let i = 0; i < L; i++) {
          const g = d[o + i] as number;
          d[o + i] = 0;
          d[a + i] = (d[a + i] as number) + g;
          d[b + i] = (d[b + i] as number) - g;
        }
        break;
      case MUL:
        for (let i = 0; i < L; i++) {
          const g = d[o + i] as number;
          d[o + i] = 0;
          d[a + i] = (d[a + i] as number) + g * (v[b + i] as number);
          d[b + i] = (d[b + i] as number) + g * (v[a + i] as number);
        }
        break;
      case DIV:
        for (let i = 0; i < L; i++) {
          const g = d[o + i] as number;
          d[o + i] = 0;
          const q = g / (v[b + i] as number);
          d[a + i] = (d[a + i] as number) + q;
          d[b + i] = (d[b + i] as number) - q * (v[o + i] as number);
        }
        break;
      case NEG:
        for (let i = 0; i < L; i++) {
          d[a + i] = (d[a + i] as number) - (d[o + i] as number);
          d[o + i] = 0;
        }
        break;
      case EXP:
        for (let i = 0; i < L; i++) {
          d[a + i] = (d[a + i] as number) + (d[o + i] as number) * (v[o + i] as number);
          d[o + i] = 0;
        }
        break;
      case LOG:
        for (let i = 0; i < L; i++) {
          d[a + i] = (d[a + i] as number) + (d[o + i] as number) / (v[a + i] as number);
          d[o + i] = 0;
        }
        break;
      case TANH:
        for (let i = 0; i < L; i++) {
          const y = v[o + i] as number;
          d[a + i] = (d[a + i] as number) + (d[o + i] as number) * (1 - y * y);
          d[o + i] = 0;
        }
        break;
      case SIGMOID:
        for (let i = 0; i < L; i++) {
          const y = v[o + i] as number;
          d[a + i] = (d[a + i] as number) + (d[o + i] as number) * y * (1 - y);
          d[o + i] = 0;
        }
        break;
      case SIN:
        for (let i = 0; i < L; i++) {
          d[a + i] = (d[a + i] as number) + (d[o + i] as number) * Math.cos(v[a + i] as number);
          d[o + i] = 0;
        }
        break;
      case COS:
        for (let i = 0; i < L; i++) {
          d[a + i] = (d[a + i] as number) - (d[o + i] as number) * Math.sin(v[a + i] as number);
          d[o + i] = 0;
        }
        break;
      case SQRT:
        for (let i = 0; i < L; i++) {
          d[a + i] = (d[a + i] as number) + (0.5 * (d[o + i] as number)) / (v[o + i] as number);
          d[o + i] = 0;
        }
        break;
      case RELU:
        for (let i = 0; i < L; i++) {
          if ((v[a + i] as number) > 0) d[a + i] = (d[a + i] as number) + (d[o + i] as number);
          d[o + i] = 0;
        }
        break;
    }
  }
}

/** A program as generated functions over lanes (see {@link compileProgram}). */
export interface CompiledProgram {
  readonly forward: (v: Float64Array, L: number) => void;
  /** Recomputes the values per lane, then propagates the adjoints (same contract as the interpreter). */
  readonly backward: (v: Float64Array, d: Float64Array, L: number) => void;
}

const literal = (x: number) =>
  Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : x === -Infinity ? "-Infinity" : `(${x})`;

/** Forward expressions of each operation, given its operand expressions. */
const EXPRESSIONS: Record<ProgramOp, (a: string, b: string) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  neg: (a) => `-${a}`,
  exp: (a) => `Math.exp(${a})`,
  log: (a) => `Math.log(${a})`,
  tanh: (a) => `Math.tanh(${a})`,
  sigmoid: (a) => `(${a} >= 0 ? 1 / (1 + Math.exp(-${a})) : Math.exp(${a}) / (1 + Math.exp(${a})))`,
  sin: (a) => `Math.sin(${a})`,
  cos: (a) => `Math.cos(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
  relu: (a) => `(${a} > 0 ? ${a} : 0)`,
};

/** Adjoint updates `[into a, into b]` of each operation, given g (the result's adjoint), a, b and the result y. */
const ADJOINTS: Record<ProgramOp, (g: string, a: string, b: string, y: string) => [string, string?]> = {
  add: (g) => [g, g],
  sub: (g) => [g, `-${g}`],
  mul: (g, a, b) => [`${g} * ${b}`, `${g} * ${a}`],
  div: (g, _a, b, y) => [`${g} / ${b}`, `-${g} * ${y} / ${b}`],
  neg: (g) => [`-${g}`],
  exp: (g, _a, _b, y) => [`${g} * ${y}`],
  log: (g, a) => [`${g} / ${a}`],
  tanh: (g, _a, _b, y) => [`${g} * (1 - ${y} * ${y})`],
  sigmoid: (g, _a, _b, y) => [`${g} * ${y} * (1 - ${y})`],
  sin: (g, a) => [`${g} * Math.cos(${a})`],
  cos: (g, a) => [`-${g} * Math.sin(${a})`],
  sqrt: (g, _a, _b, y) => [`0.5 * ${g} / ${y}`],
  relu: (g, a) => [`(${a} > 0 ? ${g} : 0)`],
};

/**
 * Generates JavaScript for a program: one loop over lanes that keeps every intermediate in a local,
 * forward, and one that recomputes them and runs the adjoints in reverse. Returns null where code
 * generation is unavailable.
 */
export function compileProgram(program: Program): CompiledProgram | null {
  if (compiledPrograms.has(program)) return compiledPrograms.get(program) as CompiledProgram | null;
  const compiled = generate(program);
  compiledPrograms.set(program, compiled);
  return compiled;
}

/** Compiled programs, kept so the engine's optimised code for them survives between runs. */
const compiledPrograms = new WeakMap<Program, CompiledProgram | null>();

function generate(program: Program): CompiledProgram | null {
  const { code, nInputs, outputs } = program;
  const constants = new Map<number, number>();
  program.constantSlots.forEach((slot, c) => constants.set(slot, program.constantValues[c] as number));
  const isOp = new Set<number>();
  for (let k = 0; k < code.length; k += 4) isOp.add(code[k + 3] as number);
  const ref = (slot: number) => (constants.has(slot) ? literal(constants.get(slot) as number) : `s${slot}`);
  const usedInputs = new Set<number>();
  for (let k = 0; k < code.length; k += 4) {
    for (const x of [code[k + 1] as number, code[k + 2] as number])
      if (x >= 0 && x < nInputs) usedInputs.add(x);
  }
  outputs.forEach((s) => s < nInputs && usedInputs.add(s));
  const loads = [...usedInputs].map((s) => `const s${s} = v[${s} * L + i];`);
  const ops: string[] = [];
  for (let k = 0; k < code.length; k += 4) {
    const name = PROGRAM_OPS[code[k] as number] as ProgramOp;
    ops.push(
      `const s${code[k + 3]} = ${EXPRESSIONS[name](ref(code[k + 1] as number), ref(code[k + 2] as number))};`,
    );
  }
  const stores = [...new Set(outputs)].filter((s) => isOp.has(s)).map((s) => `v[${s} * L + i] = s${s};`);
  const forward = [`for (let i = 0; i < L; i++) {`, ...loads, ...ops, ...stores, `}`].join("\n");
  // Backward: adjoint locals for inputs and operation results; constants need none.
  const seeded = new Set([...outputs].filter((s) => !constants.has(s)));
  const adjInit = [
    ...[...usedInputs].map((s) => `let g${s} = d[${s} * L + i];`),
    ...[...isOp].map((s) =>
      seeded.has(s) ? `let g${s} = d[${s} * L + i]; d[${s} * L + i] = 0;` : `let g${s} = 0;`,
    ),
  ];
  const reverse: string[] = [];
  for (let k = code.length - 4; k >= 0; k -= 4) {
    const name = PROGRAM_OPS[code[k] as number] as ProgramOp;
    const [a, b, y] = [code[k + 1] as number, code[k + 2] as number, code[k + 3] as number];
    const [da, db] = ADJOINTS[name](`g${y}`, ref(a), ref(b), `s${y}`);
    if (!constants.has(a)) reverse.push(`g${a} += ${da};`);
    if (b >= 0 && db !== undefined && !constants.has(b)) reverse.push(`g${b} += ${db};`);
  }
  const adjStores = [...usedInputs].map((s) => `d[${s} * L + i] = g${s};`);
  const backward = [
    `for (let i = 0; i < L; i++) {`,
    ...loads,
    ...ops,
    ...adjInit,
    ...reverse,
    ...adjStores,
    `}`,
  ].join("\n");
  try {
    return {
      forward: new Function("v", "L", forward) as CompiledProgram["forward"],
      backward: new Function("v", "d", "L", backward) as CompiledProgram["backward"],
    };
  } catch {
    return null;
  }
}
