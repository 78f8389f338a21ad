/**
 * Reverse-mode automatic differentiation, functional as in JAX: `valueAndGrad(f)(params, ...args)`
 * returns f's value and its gradient with respect to every leaf of the parameter tree.
 */
import { BraintsError, ShapeError, fmtShape } from "../base/errors.ts";
import { MaxHeap } from "./heap.ts";
import { type Accumulate, type DeferredTerm, type Node, type VjpFn, newNodeId, peekNodeId } from "./node.ts";
import { type Shape, sameShape } from "../base/shape.ts";
import { type Data, type DType, Tensor, allocate } from "./tensor.ts";
import { givePooled, recordBirths } from "./pool.ts";
import { suspendSlabs } from "./slab.ts";
import { getBackend, keepingOperands } from "../kernels/index.ts";
import { type Tree, treeLeaves, treeMap } from "./tree.ts";
import type { Rule } from "./rule.ts";

/** Observers of primitive applications (used by checkpointed scan to find closed-over inputs). */
const observers: ((inputs: readonly Tensor[]) => void)[] = [];

/** @internal runs `fn` while `observe` sees the inputs of every traced primitive application. */
export function observeInputs<R>(observe: (inputs: readonly Tensor[]) => void, fn: () => R): R {
  observers.push(observe);
  try {
    return fn();
  } finally {
    observers.pop();
  }
}

/** A tensor sharing `t`'s buffer with no autodiff history. */
export function detach(t: Tensor): Tensor {
  if (t instanceof Hollow) return t.node ? hollow(t) : t;
  return t.node ? new Tensor(t.shape, t.data) : t;
}

/**
 * A tensor's place in the graph without its values: what a node keeps of an input or output
 * whose values its derivative never reads ({@link Rule.readsInputs}), so that the graph does not
 * keep the buffer alive until the reverse pass (a user's cell under scan makes a dozen such
 * arrays a step: the gate pre-activations and their slices, sums and products). Reading `data`
 * throws: a rule that says it reads no values and reads them fails loudly.
 */
class Hollow {
  node: Node | undefined = undefined;
  outputIndex = 0;

  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly size: number,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  get data(): never {
    throw new BraintsError(
      "internal: a derivative read the values of a tensor its rule says it does not read",
    );
  }
}
// A tensor to every check (instanceof Tensor), with Tensor's methods, all of which read `data`.
Object.setPrototypeOf(Hollow.prototype, Tensor.prototype);

/** `t`'s shape, dtype and place in the graph, without its buffer (see {@link Hollow}). */
function hollow(t: Tensor | Hollow): Tensor {
  const h = new Hollow(t.shape, t.dtype, t.size);
  h.node = t.node;
  h.outputIndex = t.outputIndex;
  return h as unknown as Tensor;
}

/**
 * A primitive application's node: its derivative is its rule's, run on what the node holds. The
 * node keeps only what it must, with no closure of its own: the graph lives until the reverse
 * pass, and each young-generation collection meanwhile copies every object it holds. The
 * untraced twins of its inputs and outputs, and which inputs are traced (derivatives for the
 * others are never computed), are made when the derivative runs.
 */
class RuleNode<A> implements Node {
  readonly id = newNodeId();
  /** The traced outputs, set once they are made. */
  outputs: readonly Tensor[] = [];

  constructor(
    private readonly rule: Rule<A>,
    readonly inputs: readonly Tensor[],
    private readonly attrs: A,
  ) {}

  get prim(): string {
    return this.rule.name;
  }

  get recycles(): boolean {
    return this.rule.runsUserCode !== true;
  }

  vjp(cotangents: readonly (Tensor | null)[], into: Accumulate): readonly (Tensor | null)[] {
    const { inputs, rule } = this;
    const needs = inputs.map((t) => t.node !== undefined);
    if (rule.runsUserCode === true || cotangents.some((c) => c !== null && c.node !== undefined)) {
      const saved = untracedDepth;
      untracedDepth = 0;
      try {
        return rule.vjp(cotangents, inputs.map(detach), this.outputs.map(detach), this.attrs, needs, into);
      } finally {
        untracedDepth = saved;
      }
    }
    // A library derivative of untraced cotangents reads the values alone: it sees the node's
    // tensors themselves, with the primitives it applies recording nothing, as if they were
    // detached (without a detached twin of every input and output per node).
    let cts: (Tensor | null)[];
    untracedDepth++;
    try {
      cts = rule.vjp(cotangents, inputs, this.outputs, this.attrs, needs, into);
    } finally {
      untracedDepth--;
    }
    for (let i = 0; i < cts.length; i++) {
      const ct = cts[i];
      // One of the node's own tensors handed back as a cotangent, as its detached twin was.
      if (ct && ct.node !== undefined) cts[i] = detach(ct);
    }
    return cts;
  }
}

/**
 * How many library forwards and derivatives (of untraced cotangents) are running: while one
 * does, a primitive applied records no node, as if the traced tensors it sees were detached.
 * User code (a custom primitive's forward and derivative) runs at depth 0 on detached tensors,
 * since it may differentiate inside.
 */
let untracedDepth = 0;

/** Whether any of `inputs` is traced, outside library forwards and derivatives. */
function tracing(inputs: readonly Tensor[]): boolean {
  if (untracedDepth > 0) return false;
  for (let i = 0; i < inputs.length; i++) if ((inputs[i] as Tensor).node !== undefined) return true;
  return false;
}

/**
 * Applies a primitive: computes its forward value and, when any input is traced, records a node
 * whose vector-Jacobian product is the rule's derivative.
 */
export function apply<A>(rule: Rule<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  // Untraced (every op inside a derivative, and untraced user code): the value alone, with no
  // copies of the inputs or node made for a node that is never recorded.
  const user = rule.runsUserCode === true;
  if (!tracing(inputs)) return user ? userForward(rule, inputs, attrs) : rule.forward(inputs, attrs);
  let outputs: Tensor[];
  if (user) outputs = userForward(rule, inputs, attrs);
  else {
    untracedDepth++;
    try {
      outputs = rule.forward(inputs, attrs);
    } finally {
      untracedDepth--;
    }
  }
  const node = new RuleNode(rule, rule.readsInputs === false ? inputs.map(hollow) : inputs, attrs);
  // The observers see the inputs themselves (a checkpointed scan collects them by identity).
  const result = traced(node, outputs, inputs);
  node.outputs = rule.readsOutputs === false ? result.map(hollow) : [...result];
  return result;
}

/**
 * Attaches a graph node to freshly computed `outputs` when any input is traced; returns them
 * untouched otherwise. `vjp` maps output cotangents to input cotangents; `recycles` says it is a
 * library derivative whose buffers the reverse pass may recycle (see {@link Node.recycles}).
 */
export function record(
  prim: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  vjp: VjpFn,
  recycles = false,
): Tensor[] {
  if (!tracing(inputs)) return [...outputs];
  return traced({ id: newNodeId(), prim, inputs, outputs, vjp, recycles }, outputs);
}

/** `outputs` as tensors produced by `node`, after the observers have seen its inputs. */
function traced(node: Node, outputs: readonly Tensor[], inputs = node.inputs): Tensor[] {
  for (const observe of observers) observe(inputs);
  return outputs.map((o, i) => {
    const t = new Tensor(o.shape, o.data);
    t.node = node;
    t.outputIndex = i;
    return t;
  });
}

/** A forward that runs user code: at depth 0 (see {@link untracedDepth}) on detached inputs. */
function userForward<A>(rule: Rule<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const saved = untracedDepth;
  untracedDepth = 0;
  try {
    return rule.forward(inputs.map(detach), attrs);
  } finally {
    untracedDepth = saved;
  }
}

/** Applies a single-output primitive. */
export function apply1<A>(rule: Rule<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return apply(rule, inputs, attrs)[0] as Tensor;
}

/** Makes `t` a traced leaf: gradients flowing into it are collected under its node. */
export function leaf(t: Tensor): Tensor {
  const out = new Tensor(t.shape, t.data);
  out.node = {
    id: newNodeId(),
    prim: "leaf",
    inputs: [],
    outputs: [{ shape: t.shape, dtype: t.dtype }],
    vjp: undefined,
    recycles: false,
  };
  return out;
}

/** Blocks gradients: the value passes, the derivative is zero. */
export function stopGradient(t: Tensor): Tensor {
  return detach(t);
}

/**
 * `a += b` elementwise (same length and dtype): long float32 arrays on the kernel backend (the
 * same float32 sums; a cell's state gets several cotangents each step).
 */
function addInPlace(a: Data, b: Data): void {
  if (a.length >= ADD_ON_BACKEND_FROM && a instanceof Float32Array && b instanceof Float32Array) {
    getBackend().binaryArray("add", a, b, a);
    return;
  }
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
}

/** The length from which {@link addInPlace} calls the backend (as the elementwise `add` does). */
const ADD_ON_BACKEND_FROM = 512;

/**
 * Propagates cotangents from `outputs` back through the graph, visiting nodes newest first, and
 * returns the cotangent reaching each node in `stopAt`'s keys: the leaves of this differentiation.
 * Nodes with id below `floorId` are not expanded (their cotangents are returned as they arrive).
 *
 * Buffers the pass proves dead go back to the pool (pool.ts), for the next allocations to reuse.
 * A buffer is the pass's to recycle when a library derivative it ran allocated it (such a
 * derivative keeps no reference once it returns: {@link Node.recycles}) or it is a cotangent sum
 * the pass made. The pass counts the cotangent slots referring to each such buffer (by its
 * `ArrayBuffer`, so views and reshapes count too); the buffer is dead when no slot refers to it
 * and the node that saw it last is done: then only the pass's own finished locals could read it.
 * A buffer allocated by a derivative but not returned by it is dead as soon as it returns.
 * Anything a user's derivative saw, cotangents that carry a graph node, the seeds, and what the
 * pass returns are never recycled. No buffer it makes is cut from a slab (slab.ts): each has an
 * `ArrayBuffer` of its own.
 */
export function backpropagate(
  seeds: readonly { tensor: Tensor; cotangent: Tensor }[],
  floorId = 0,
): Map<Node, (Tensor | null)[]> {
  // Only this pass's own derivatives record what they allocate; an enclosing pass sees nothing.
  const outer = recordBirths(null);
  const resumeSlabs = suspendSlabs();
  try {
    // The weights its derivatives' products read stay in the kernels' memory (see `keepingOperands`).
    return keepingOperands(() => reversePass(seeds, floorId));
  } finally {
    resumeSlabs();
    recordBirths(outer);
  }
}

function reversePass(
  seeds: readonly { tensor: Tensor; cotangent: Tensor }[],
  floorId: number,
): Map<Node, (Tensor | null)[]> {
  const pending = new Map<Node, (Tensor | null)[]>();
  // Sums this pass made and no vjp has seen yet: only these may be added to in place. A cotangent a
  // vjp returned may be shared (add's rule hands the same g to both operands), so it is copied once.
  const owned = new Set<Tensor>();
  // The buffers this pass may recycle (keyed by their ArrayBuffer), and how many slots refer to each.
  const ours = new Map<ArrayBufferLike, Data>();
  const refs = new Map<ArrayBufferLike, number>();
  // Buffers that lost a reference while the current node ran: checked once it is done.
  const released: Data[] = [];
  const hold = (data: Data) => {
    const key = data.buffer;
    if (ours.has(key)) refs.set(key, (refs.get(key) ?? 0) + 1);
  };
  const release = (data: Data) => {
    const key = data.buffer;
    if (ours.has(key)) refs.set(key, (refs.get(key) as number) - 1);
    released.push(data);
  };
  const escape = (t: Tensor | null) => {
    if (t) ours.delete(t.data.buffer);
  };
  const queue = new MaxHeap<Node>((n) => n.id);
  const slotsOf = (node: Node) => {
    let slots = pending.get(node);
    if (!slots) {
      slots = node.outputs.map(() => null);
      pending.set(node, slots);
      queue.push(node);
    }
    return slots;
  };
  /** The owned buffer of `t`'s cotangent sum: a copy of a shared one, or zeros if there is none yet. */
  const ownedSum = (t: Tensor, node: Node): Tensor => {
    const slots = slotsOf(node);
    const prev = slots[t.outputIndex] ?? null;
    if (prev !== null && owned.has(prev)) return prev;
    // The sum is the pass's, not the allocation of a derivative that may be running.
    const births = recordBirths(null);
    const data = allocate(t.dtype, t.size);
    recordBirths(births);
    if (prev) data.set(prev.data);
    const sum = new Tensor(t.shape, data);
    ours.set(data.buffer, data);
    owned.add(sum);
    slots[t.outputIndex] = sum;
    hold(data);
    if (prev) release(prev.data);
    return sum;
  };
  // Terms added later (Accumulate.later), per node, in the order they came.
  type Flush = (sum: Data, terms: readonly DeferredTerm[]) => void;
  type Later = { readonly t: Tensor; readonly term: DeferredTerm; readonly flush: Flush };
  const later = new Map<Node, Later[]>();
  /** Adds the node's later terms into its sums: each output's terms of one flush together, in order. */
  const flushLater = (node: Node) => {
    let entries = later.get(node);
    if (!entries) return;
    later.delete(node);
    while (entries.length > 0) {
      const { t, flush } = entries[0] as Later;
      const same = (e: Later) => e.flush === flush && e.t.outputIndex === t.outputIndex;
      const group = entries.filter(same);
      entries = entries.filter((e) => !same(e));
      flush(
        ownedSum(t, node).data,
        group.map((e) => e.term),
      );
      for (const e of group) for (const data of e.term.reads) release(data);
    }
  };
  const push = (t: Tensor, cotangent: Tensor) => {
    const node = t.node;
    if (!node) {
      released.push(cotangent.data);
      return;
    }
    if (!sameShape(cotangent.shape, t.shape)) {
      throw new ShapeError(
        `backprop: cotangent shape ${fmtShape(cotangent.shape)} does not match ${fmtShape(t.shape)} (${node.prim})`,
      );
    }
    // A cotangent has its primal's dtype: a float32 tensor used in float64 arithmetic gets a
    // float32 gradient.
    const ct = cotangent.dtype === t.dtype ? cotangent : new Tensor(t.shape, castData(cotangent, t.dtype));
    if (ct !== cotangent) released.push(cotangent.data);
    const slots = slotsOf(node);
    if (slots[t.outputIndex] == null) {
      slots[t.outputIndex] = ct;
      hold(ct.data);
    } else {
      addInPlace(ownedSum(t, node).data, ct.data);
      released.push(ct.data);
    }
  };
  /** Recycles the released buffers no slot refers to any more. */
  const recycle = () => {
    for (const data of released) {
      const key = data.buffer;
      const whole = ours.get(key);
      if (whole !== undefined && (refs.get(key) ?? 0) === 0) {
        ours.delete(key);
        refs.delete(key);
        givePooled(whole);
      }
    }
    released.length = 0;
  };
  for (const s of seeds) push(s.tensor, s.cotangent);
  released.length = 0;
  const done = new Map<Node, (Tensor | null)[]>();
  // The one accumulator handed to every derivative of the pass, about the node being processed.
  let inputs: readonly Tensor[] = [];
  let prim = "";
  const handed: Tensor[] = [];
  // What the running library derivative allocated (see recordBirths).
  const born: Data[] = [];
  const tracedInput = (i: number): Tensor => {
    const input = inputs[i] as Tensor;
    if (!input.node) throw new BraintsError(`backprop: ${prim} accumulated into untraced input ${i}`);
    return input;
  };
  const into: Accumulate = Object.assign(
    (i: number) => {
      const input = tracedInput(i);
      const sum = ownedSum(input, input.node as Node);
      handed.push(sum);
      return sum.data;
    },
    {
      later<T extends DeferredTerm>(i: number, term: T, flush: (sum: Data, terms: readonly T[]) => void) {
        const input = tracedInput(i);
        const node = input.node as Node;
        slotsOf(node);
        for (const data of term.reads) hold(data);
        const entry: Later = { t: input, term, flush: flush as Flush };
        const list = later.get(node);
        if (list) list.push(entry);
        else later.set(node, [entry]);
      },
    },
  );
  for (let node = queue.pop(); node; node = queue.pop()) {
    flushLater(node);
    recycle();
    const cts = pending.get(node) as (Tensor | null)[];

    pending.delete(node);
    for (const ct of cts) if (ct) owned.delete(ct);
    // Slots of returned nodes keep their references: what the pass returns is never recycled.
    if (!node.vjp || node.id < floorId) {
      done.set(node, cts);
      continue;
    }
    for (const ct of cts) if (ct) release(ct.data);
    inputs = node.inputs;
    prim = node.prim;
    // One array each for the whole pass, emptied per node (the recorder is restored below).
    handed.length = 0;
    born.length = 0;
    const outer = recordBirths(node.recycles ? born : null);
    let inputCts: readonly (Tensor | null)[];
    try {
      inputCts = node.vjp(cts, into);
    } finally {
      recordBirths(outer);
    }
    if (!node.recycles || anyTraced(cts) || anyTraced(inputCts)) {
      // User code (or a derivative with a graph of its own) may keep what it saw.
      for (const ct of cts) escape(ct);
      for (const sum of handed) escape(sum);
    } else {
      // What the derivative allocated and does not return is dead now; what it returns, the
      // slots will count.
      for (const data of born) {
        if (returns(inputCts, data)) ours.set(data.buffer, data);
        else givePooled(data);
      }
    }
    const ins = node.inputs;
    for (let i = 0; i < ins.length; i++) {
      const ct = inputCts[i];
      if (ct) push(ins[i] as Tensor, ct);
    }
    recycle();
  }
  return done;
}

/** Whether any of the cotangents carries a graph node. */
function anyTraced(cts: readonly (Tensor | null)[]): boolean {
  for (let i = 0; i < cts.length; i++) if (cts[i]?.node) return true;
  return false;
}

/** Whether one of the cotangents is (a view of) `data`'s buffer. */
function returns(cts: readonly (Tensor | null)[], data: Data): boolean {
  for (let i = 0; i < cts.length; i++) if (cts[i]?.data.buffer === data.buffer) return true;
  return false;
}

/** Options of {@link valueAndGrad}. */
export interface GradOptions {
  /** f returns `[loss, aux]`; aux is returned untouched beside the value. */
  readonly hasAux?: boolean;
}

/** A scalar-valued function of a parameter tree (and other arguments, not differentiated). */
export type ValueFn<P extends Tree, Args extends unknown[]> = (params: P, ...args: Args) => Tensor;
/** A {@link ValueFn} that also returns auxiliary data, `[loss, aux]` (with `hasAux`). */
export type AuxFn<P extends Tree, Args extends unknown[], X> = (
  params: P,
  ...args: Args
) => readonly [Tensor, X];

/**
 * Transforms a scalar-valued function of a parameter tree into one returning the value and the
 * gradient with respect to every leaf (same tree structure). Only the first argument is
 * differentiated; the others are passed through.
 *
 * @example
 * const { value, grads } = valueAndGrad((p: { w: Tensor }) => sum(mul(p.w, p.w)))({ w });
 */
export function valueAndGrad<P extends Tree, Args extends unknown[]>(
  f: ValueFn<P, Args>,
): (params: P, ...args: Args) => { value: number; grads: P };
export function valueAndGrad<P extends Tree, Args extends unknown[], X>(
  f: AuxFn<P, Args, X>,
  options: { hasAux: true },
): (params: P, ...args: Args) => { value: number; grads: P; aux: X };
export function valueAndGrad<P extends Tree, Args extends unknown[]>(
  f: (params: P, ...args: Args) => Tensor | readonly [Tensor, unknown],
  options: GradOptions = {},
): (params: P, ...args: Args) => { value: number; grads: P; aux?: unknown } {
  return (params, ...args) => {
    const nested = treeLeaves(params).find(({ leaf: l }) => l.node);
    if (nested) throw nestedError(`the parameter '${nested.path}' is traced`);
    const floor = peekNodeId();
    const traced = treeMap(params, (t) => leaf(t)) as P;
    const result = f(traced, ...args);
    const [out, aux] = options.hasAux
      ? (result as readonly [Tensor, unknown])
      : [result as Tensor, undefined];
    if (!(out instanceof Tensor) || out.size !== 1) {
      throw new BraintsError(
        `valueAndGrad: the function must return a one-element tensor${options.hasAux ? " as the first of [loss, aux]" : ""}, got ${out instanceof Tensor ? `shape ${fmtShape(out.shape)}` : typeof out}`,
      );
    }
    const seed = new Tensor(
      out.shape,
      out.dtype === "float64" ? new Float64Array([1]) : new Float32Array([1]),
    );
    // Nodes older than this call's leaves are not expanded: reaching one means f closed over a
    // tensor traced by an enclosing differentiation, whose derivative this pass cannot carry.
    const reached = backpropagate([{ tensor: out, cotangent: seed }], floor);
    for (const node of reached.keys()) {
      if (node.id < floor) throw nestedError("the function closes over a tensor traced outside it");
    }
    const tracedLeaves = new Map(treeLeaves(traced).map(({ path, leaf: l }) => [path, l]));
    const grads = treeMap(params, (p, path) => {
      const node = tracedLeaves.get(path)?.node;
      const ct = node ? reached.get(node)?.[0] : undefined;
      return ct ?? new Tensor(p.shape, allocate(p.dtype, p.size));
    }) as P;
    return options.hasAux ? { value: out.item(), grads, aux: detachAll(aux) } : { value: out.item(), grads };
  };
}

function nestedError(why: string): BraintsError {
  return new BraintsError(
    `valueAndGrad: nested differentiation (grad of grad, Hessian-vector products) is not supported, ` +
      `got ${why}. Differentiate once, or use finite differences of the gradient`,
  );
}

/** `data` converted to `dtype` (a copy). */
function castData(t: Tensor, dtype: DType): Data {
  return dtype === "float64" ? Float64Array.from(t.data) : Float32Array.from(t.data);
}

/**
 * `aux` with every tensor inside (through arrays and plain objects) detached, so that what
 * valueAndGrad returns never holds the traced graph alive.
 */
function detachAll(aux: unknown): unknown {
  if (aux instanceof Tensor) return detach(aux);
  if (Array.isArray(aux)) return aux.map(detachAll);
  if (typeof aux === "object" && aux !== null && Object.getPrototypeOf(aux) === Object.prototype) {
    return Object.fromEntries(Object.entries(aux).map(([k, v]) => [k, detachAll(v)]));
  }
  return aux;
}

/** Like {@link valueAndGrad} but returns only the gradient tree. */
export function grad<P extends Tree, Args extends unknown[]>(
  f: ValueFn<P, Args>,
): (params: P, ...args: Args) => P {
  const vg = valueAndGrad(f);
  return (params, ...args) => vg(params, ...args).grads;
}
