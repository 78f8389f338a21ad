/**
 * `scan`: a differentiable loop over time. The step function sees the carry and one time slice of
 * the inputs and returns the next carry and an output; outputs are stacked along a new leading axis.
 * With `checkpoint`, only the carries at segment boundaries are kept and each segment is recomputed
 * during the reverse pass, so memory grows with T / checkpoint instead of T.
 */
import { backpropagate, detach, leaf, observeInputs, record } from "./autodiff.ts";
import { ValueError } from "../base/errors.ts";
import { peekNodeId } from "./node.ts";
import { inSlab, withSlabs } from "./slab.ts";
import { keepingOperands } from "../kernels/index.ts";
import { stack, unstack } from "./ops/layout.ts";
import { Tensor } from "./tensor.ts";
import { type Tree, treeLeaves, treeMap } from "./tree.ts";

export interface ScanOptions {
  /** Number of steps; required when `xs` is null, otherwise read from the leading axis of `xs`. */
  readonly length?: number;
  /** Segment length for checkpointed (rematerialised) BPTT; omit to keep the whole graph. */
  readonly checkpoint?: number;
}

/** A step function: `(carry, x_t) => [nextCarry, y_t]`. */
export type ScanStep<C extends Tree, X extends Tree | null, Y extends Tree> = (
  carry: C,
  x: X,
) => readonly [C, Y];

/** Rebuilds a tree from a flat list of leaves in {@link treeLeaves} order. */
function unflatten<T extends Tree>(like: T, leaves: readonly Tensor[]): T {
  let i = 0;
  const order = new Map(treeLeaves(like).map(({ path }) => [path, i++]));
  return treeMap(like, (_l, path) => leaves[order.get(path) as number] as Tensor);
}

function sliceInputs<X extends Tree | null>(xs: X, length: number): X[] {
  if (xs === null) return Array.from({ length }, () => null as X);
  const leaves = treeLeaves(xs);
  const perLeaf = leaves.map(({ path, leaf: l }) => {
    if (l.shape[0] !== length) {
      throw new ValueError(
        `scan: every input leaf must have ${length} steps on axis 0, got shape [${l.shape.join(", ")}] at '${path}'`,
      );
    }
    return unstack(l, 0);
  });
  return Array.from({ length }, (_, t) =>
    unflatten(
      xs,
      perLeaf.map((steps) => steps[t] as Tensor),
    ),
  );
}

function stackOutputs<Y extends Tree>(ys: readonly Y[]): Y {
  const first = ys[0] as Y;
  const columns = ys.map((y) => treeLeaves(y).map((l) => l.leaf));
  return unflatten(
    first,
    columns[0]!.map((_, j) => stack(columns.map((c) => c[j] as Tensor))),
  );
}

/**
 * Runs `step` over the leading (time) axis of `xs`.
 * @param step `(carry, x_t) => [carry, y_t]`, a pure function of tensors
 * @param init the initial carry (a tensor tree)
 * @param xs a tensor tree whose leaves are `[T, ...]`, or null with `options.length`
 * @returns `[finalCarry, ys]` with every leaf of ys stacked to `[T, ...]`
 * @example
 * const [hT, hs] = scan((h, x) => { const h2 = tanh(add(matmul(h, w), x)); return [h2, h2]; }, h0, drive);
 */
export function scan<C extends Tree, X extends Tree | null, Y extends Tree>(
  step: ScanStep<C, X, Y>,
  init: C,
  xs: X,
  options: ScanOptions = {},
): [C, Y] {
  const length = xs === null ? options.length : (treeLeaves(xs)[0]?.leaf.shape[0] ?? options.length);
  if (length === undefined || !Number.isInteger(length) || length < 1) {
    throw new ValueError(`scan: need at least one step (from xs or options.length), got ${String(length)}`);
  }
  const segment = options.checkpoint ?? length;
  if (!Number.isInteger(segment) || segment < 1) {
    throw new ValueError(`scan: checkpoint must be a positive integer segment length, got ${segment}`);
  }
  const inputs = sliceInputs(xs, length);
  let carry = init;
  const ys: Y[] = [];
  for (let start = 0; start < length; start += segment) {
    const part = inputs.slice(start, start + segment);
    if (segment >= length) {
      // The step's many small arrays are cut from slabs (see slab.ts), and the weights its
      // products read stay in the kernels' memory from one step to the next (see `keepingOperands`).
      carry = keepingOperands(() =>
        withSlabs(() => {
          let c = carry;
          for (const x of part) {
            const [next, y] = step(c, x);
            c = next;
            ys.push(y);
          }
          return c;
        }),
      );
    } else {
      const [next, segYs] = checkpointedSegment(step, carry, part);
      carry = next;
      ys.push(...segYs);
    }
  }
  return [treeMap(carry, ownBuffer), stackOutputs(ys)];
}

/**
 * `t`, or an untraced copy with a buffer of its own when it is an untraced piece of a slab: a final
 * carry kept, e.g. one per trial of an analysis, would keep a whole slab alive each.
 */
function ownBuffer(t: Tensor): Tensor {
  return t.node === undefined && inSlab(t.data) ? new Tensor(t.shape, t.data.slice()) : t;
}

/**
 * Runs a segment keeping only its boundary values; the reverse pass recomputes it. Tensors from
 * before the segment that the step touches (closed-over parameters, input slices) become inputs
 * of the segment's node, so their gradients flow on.
 */
function checkpointedSegment<C extends Tree, X extends Tree | null, Y extends Tree>(
  step: ScanStep<C, X, Y>,
  carry: C,
  part: readonly X[],
): [C, Y[]] {
  const run = (c: C) => {
    const ys: Y[] = [];
    for (const x of part) {
      const [next, y] = step(c, x);
      c = next;
      ys.push(y);
    }
    return { carry: c, ys };
  };
  const carryIn = treeLeaves(carry).map((l) => l.leaf);
  const floor = peekNodeId();
  const externals = new Set<Tensor>();
  const values = observeInputs(
    (ins) => ins.forEach((t) => t.node && t.node.id < floor && externals.add(t)),
    () => run(treeMap(carry, detach)),
  );
  const produced = [
    ...treeLeaves(values.carry).map((l) => l.leaf),
    ...values.ys.flatMap((y) => treeLeaves(y).map((l) => l.leaf)),
  ];
  // A step may return a tensor from before the segment as it is, through no op the observer sees.
  for (const t of produced) if (t.node && t.node.id < floor) externals.add(t);
  const outLeaves = produced.map(detach);
  const ext = [...externals];
  const recorded = record("scanSegment", [...carryIn, ...ext], outLeaves, (cts) => {
    const start = peekNodeId();
    const carryLeaves = carryIn.map((t) => leaf(detach(t)));
    const again = run(unflatten(carry, carryLeaves));
    const outs = [...treeLeaves(again.carry), ...again.ys.flatMap((y) => treeLeaves(y))].map((l) => l.leaf);
    const seeds = outs.flatMap((t, i) => {
      const ct = cts[i];
      return ct ? [{ tensor: t, cotangent: ct }] : [];
    });
    const reached = backpropagate(seeds, start);
    const at = (t: Tensor) => (t.node ? (reached.get(t.node)?.[t.outputIndex] ?? null) : null);
    return [...carryLeaves.map(at), ...ext.map(at)];
  });
  const nCarry = treeLeaves(values.carry).length;
  const carryOut = unflatten(values.carry, recorded.slice(0, nCarry));
  let k = nCarry;
  const ys = values.ys.map((y) => {
    const n = treeLeaves(y).length;
    const leaves = recorded.slice(k, k + n);
    k += n;
    return unflatten(y, leaves);
  });
  return [carryOut, ys];
}
