/**
 * Tapes a fused layer's forward leaves in the arena for its backward: the forward writes what BPTT
 * reads (inputs with their ones column, states, gates) into a kept block (see `Arena.keep`) and
 * records where, under an array it returned; the backward, handed that very array back with the
 * very arrays the block was filled from, reads the block instead of copying the same floats in
 * again. Anything else (the block given up to a later forward, other arrays, other sizes, arrays
 * whose floats changed since, see {@link forgetResident}) finds nothing, and the backward copies
 * its inputs in as usual.
 */
import type { Residency } from "../backend.ts";
import type { Machine } from "./machine.ts";

/** Block alignment in bytes: the arena's cache-line alignment, so no two arrays share a line. */
const ALIGN = 64;

/**
 * Reserves one kept block for `owner` holding an array of each of `floats` floats, and returns
 * their byte offsets (0 for a count of 0, an array a call does not have). It forgets every other
 * allocation of the arena, as `Arena.keep` does; `onGiveUp` runs before the block is given up
 * (see `Arena.keep`).
 */
export function keepArrays(
  m: Machine,
  owner: object,
  floats: readonly number[],
  onGiveUp?: () => void,
): number[] {
  const sizes = floats.map((n) => Math.ceil((4 * n) / ALIGN) * ALIGN);
  let at = m.arena.keep(
    sizes.reduce((s, n) => s + n, 0),
    owner,
    onGiveUp,
  );
  return sizes.map((size) => {
    const here = size === 0 ? 0 : at;
    at += size;
    return here;
  });
}

/**
 * How often each array a tape was found by or filled from had its floats replaced since (see
 * {@link forgetResident}); an array no tape ever named is not counted.
 */
const changes = new WeakMap<Float32Array, number>();

/** `array`'s count of changes, from now on counted. */
function changesOf(array: Float32Array): number {
  const n = changes.get(array);
  if (n === undefined) changes.set(array, 0);
  return n ?? 0;
}

interface Entry<K> {
  readonly owner: object;
  readonly sources: readonly (Float32Array | null)[];
  readonly sizes: readonly number[];
  /** The changes of the key and of each source when recorded. */
  readonly stamps: readonly number[];
  readonly at: K;
}

/** Where forwards left their tapes, `K` being a layer's offsets, by the array each returned. */
export class Residents<K> {
  private readonly entries = new WeakMap<Float32Array, Entry<K>>();

  /**
   * Records that the forward which kept `owner`'s block returned `key`, filled the block from
   * `sources` (its inputs and its other outputs) with sizes `sizes` (T, B, …), at offsets `at`.
   */
  record(
    key: Float32Array,
    owner: object,
    sources: readonly (Float32Array | null)[],
    sizes: readonly number[],
    at: K,
  ): void {
    const stamps = [changesOf(key), ...sources.map((s) => (s ? changesOf(s) : 0))];
    this.entries.set(key, { owner, sources, sizes, stamps, at });
  }

  /**
   * The offsets a forward recorded under `key`, when its block is still kept and the backward
   * holds the same `sources` (the same arrays, not equal ones) and `sizes`, none of whose floats
   * were replaced since; else undefined, the block's deferred outputs then written out.
   */
  find(
    m: Machine,
    key: Float32Array,
    sources: readonly (Float32Array | null)[],
    sizes: readonly number[],
  ): K | undefined {
    const e = this.entries.get(key);
    if (!e || m.arena.kept(e.owner) === undefined) return undefined;
    const same =
      e.sources.length === sources.length &&
      e.sizes.length === sizes.length &&
      e.sources.every((s, i) => s === sources[i]) &&
      e.sizes.every((n, i) => n === sizes[i]);
    const unchanged =
      same &&
      changes.get(key) === e.stamps[0] &&
      sources.every((s, i) => !s || changes.get(s) === e.stamps[i + 1]);
    if (unchanged) return e.at;
    // Handed other arrays, or arrays whose floats changed since, the backward copies in what it
    // holds: the forward's outputs it left only in the block (see `Arena.keep`) are written out first.
    m.arena.settle(e.owner);
    return undefined;
  }
}

/** Arrays a forward copied out of its kept block, with where their floats still are. */
const copies = new WeakMap<Float32Array, { readonly owner: object; readonly at: number }>();

/**
 * Records that `array` is a copy of the floats at byte offset `at` of `owner`'s kept block (a
 * forward's output, e.g. its states), so that a later call reading it (the readout's product)
 * finds them there while the block is kept.
 */
export function recordCopy(array: Float32Array, owner: object, at: number): void {
  copies.set(array, { owner, at });
}

/**
 * The byte offset of `array`'s floats in the arena for a call that only reads them: where a
 * forward left them ({@link recordCopy}) while its block is kept, else a copy put in now.
 */
export function placed(m: Machine, array: Float32Array): number {
  const c = copies.get(array);
  return c !== undefined && m.arena.kept(c.owner) !== undefined ? c.at : m.arena.put(array);
}

/** Operands at least this many floats long stay in the arena after a GEMM reads them (see {@link keepOperand}). */
const KEEP_OPERAND_FLOATS = 16384;

/** How many {@link keepingOperands} calls are running, and the arrays kept during them. */
let keepDepth = 0;
const keptOperands: Float32Array[] = [];

/**
 * Runs `fn` with GEMM operands kept in the arena between products (see {@link keepOperand}), and
 * forgets them when the outermost call returns. For a scan's steps and a reverse pass, which read
 * one weight many times and run no code that refills an array it reads; outside them a caller may
 * refill a buffer between two products, and each product copies its operands in.
 */
export function keepingOperands<R>(fn: () => R): R {
  keepDepth++;
  try {
    return fn();
  } finally {
    if (--keepDepth === 0) {
      for (const array of keptOperands) {
        if (owners.has(copies.get(array)?.owner as object)) copies.delete(array);
      }
      keptOperands.length = 0;
    }
  }
}

/** The owners of blocks {@link keepOperand} kept. */
const owners = new WeakSet<object>();

/**
 * Inside {@link keepingOperands}, keeps a copy of a large GEMM operand (a weight, read by every
 * step of a scan, forward and backward) in the arena, where {@link placed} finds it until the
 * block is given up, the array's floats are replaced ({@link forgetResident}) or the outermost
 * keepingOperands returns: a `[128, 384]` weight is 192 KB copied in per product otherwise. Only
 * when no call waits for the kept block (`Arena.vacant`): a fused forward's tape stays until its
 * backward has read it. The block is released at once, a copy any later keeper may take over.
 * Call it first after the arena's reset: keeping forgets every other allocation.
 */
export function keepOperand(m: Machine, array: Float32Array): void {
  const { arena } = m;
  if (keepDepth === 0 || array.length < KEEP_OPERAND_FLOATS || !arena.vacant()) return;
  const c = copies.get(array);
  if (c !== undefined && arena.kept(c.owner) !== undefined) return;
  // A new owner each time: entries of an earlier copy at the same offset must find nothing.
  const owner = {};
  owners.add(owner);
  const at = arena.keep(4 * array.length, owner);
  arena.release(owner);
  arena.view(at, array.length).set(array);
  recordCopy(array, owner, at);
  keptOperands.push(array);
}

/**
 * Forgets what the arena holds of `array`'s floats, which are about to be replaced: a call is
 * about to overwrite it, or it goes back to a buffer pool, to be handed out again as a new array.
 * A later call then copies its new floats in instead of reading a forward's (and a tape filled
 * from it or found by it is not read either), whoever wrote them. Identity stands for contents only
 * with this: whatever hands an array out again for other floats calls it first.
 */
export function forgetResident(array: Float32Array): void {
  copies.delete(array);
  const n = changes.get(array);
  if (n !== undefined) changes.set(array, n + 1);
}

/** The residency every WASM backend shares (the state above is the module's, not a machine's). */
export const wasmResidency: Residency = { keeping: keepingOperands, forget: forgetResident };
