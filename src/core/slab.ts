/**
 * Slabs for the many small arrays a `scan` step makes: while a scan runs its steps, a new buffer of
 * at most {@link MAX_PIECE_BYTES} is a view cut from a shared {@link SLAB_BYTES} `ArrayBuffer`
 * instead of an `ArrayBuffer` of its own. A user's cell makes a few thousand such arrays per
 * sequence (gate pre-activations, sigmoids, products); each fresh typed array costs microseconds
 * (its backing store is allocated, zeroed and tracked apart from the engine's heap), a view of a
 * slab a fraction of that, and the collector frees a slab at once when its last view dies.
 *
 * The price: a slab lives as long as any of its views, so a step's array kept after the scan keeps
 * up to {@link SLAB_BYTES} alive. Scan copies an untraced final carry out (see {@link inSlab}); a
 * traced one holds its graph, and with it every step's arrays, anyway; what a step stores aside
 * keeps its slab. Pieces are
 * never reused and never pooled (pool.ts takes whole buffers only), so no two live tensors share
 * memory: a slab only holds them side by side.
 */
import type { Data, DType } from "./tensor.ts";

/** Bytes per slab. */
const SLAB_BYTES = 1 << 18;
/**
 * Larger arrays get a buffer of their own. A slab lives while any of its pieces does, and the
 * graph keeps only the arrays its derivatives read (see `Rule.readsInputs`): a cell's larger
 * arrays that only the forward reads (gate pre-activations, their slices and sums) then die young
 * with buffers of their own, instead of keeping their slab, and its share of the young
 * generation's external bytes, alive until the reverse pass (whose count sets off collections).
 */
const MAX_PIECE_BYTES = 4096;

let depth = 0;
let slab = new ArrayBuffer(0);
let top = 0;
/** Every slab, to tell a piece from a view of a user's own buffer. */
const slabs = new WeakSet<ArrayBuffer>();

/**
 * Runs `fn` with new small buffers cut from slabs (nested calls share them). For the forward steps
 * of a scan; a reverse pass suspends it (see {@link suspendSlabs}).
 */
export function withSlabs<R>(fn: () => R): R {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/**
 * Stops cutting slabs until the returned function is called: the reverse pass keys the buffers it
 * recycles by their `ArrayBuffer`, so the buffers it makes must each have their own.
 */
export function suspendSlabs(): () => void {
  const saved = depth;
  depth = 0;
  return () => {
    depth = saved;
  };
}

/** A zero-filled view of `n` elements cut from the current slab, or undefined outside {@link withSlabs} or when too large. */
export function takeSlab(dtype: DType, n: number): Data | undefined {
  if (depth === 0) return undefined;
  const width = dtype === "float64" ? 8 : 4;
  const bytes = n * width;
  if (bytes > MAX_PIECE_BYTES || bytes === 0) return undefined;
  // Every piece starts on a multiple of 8 bytes, as a Float64Array view requires.
  if (top + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabs.add(slab);
    top = 0;
  }
  const data = dtype === "float64" ? new Float64Array(slab, top, n) : new Float32Array(slab, top, n);
  top += (bytes + 7) & ~7;
  return data;
}

/** Whether `data` is a piece of a slab. */
export function inSlab(data: Data): boolean {
  return slabs.has(data.buffer as ArrayBuffer);
}
