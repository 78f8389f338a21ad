/**
 * A pool of dead buffers, so that the reverse pass's temporaries are reused instead of allocated
 * afresh: a new typed array of a few kilobytes costs microseconds (a backing store, its
 * bookkeeping and the garbage collector's work on it), a pooled one a fraction of that.
 *
 * Only the reverse pass ({@link backpropagate}) gives buffers back, and only ones it can prove dead:
 * buffers allocated while a library derivative ran (which keeps no reference after it returns),
 * once no cotangent slot of the pass and no value the derivative returned refers to them. Every
 * other buffer (forward values, parameters, gradients handed to the caller, anything user code
 * touched) is left to the garbage collector. See `autodiff.ts` for the ownership rules.
 */
import { forgetResident } from "../kernels/index.ts";
import type { Data, DType } from "./tensor.ts";

/** Buffers shorter than this are not pooled: the engine keeps them on its heap, where they are cheap. */
const MIN_LENGTH = 64;
/** At most this many bytes wait in the pool; beyond it, given buffers are left to the collector. */
const MAX_POOLED_BYTES = 64 * 2 ** 20;

const free32 = new Map<number, Float32Array[]>();
const free64 = new Map<number, Float64Array[]>();
/** The buffers in the pool, so that giving one twice (two owners later) is a no-op. */
const pooled = new WeakSet<Data>();
let pooledBytes = 0;
let poison = false;
let enabled = true;

/** Where buffers allocated now are recorded (while a library derivative runs), or null. */
let births: Data[] | null = null;

/**
 * @internal A buffer of `n` elements from the pool, zero-filled unless `zero` is false (its
 * contents are then arbitrary), or undefined when there is none of that length.
 */
export function takePooled(dtype: DType, n: number, zero = true): Data | undefined {
  if (n < MIN_LENGTH) return undefined;
  const list = dtype === "float64" ? free64.get(n) : free32.get(n);
  const data = list?.pop();
  if (data === undefined) return undefined;
  pooled.delete(data);
  pooledBytes -= data.byteLength;
  if (zero) data.fill(0);
  return data;
}

/**
 * @internal A float32 buffer of `n` elements for scratch work, from the pool when there is one
 * (its contents arbitrary), never recorded as a derivative's allocation: the caller gives it back
 * with {@link givePooled} once done with it.
 */
export function takeScratch(n: number): Float32Array {
  const data = free32.get(n)?.pop();
  if (data === undefined) return new Float32Array(n);
  pooled.delete(data);
  pooledBytes -= data.byteLength;
  return data;
}

/** @internal Records a freshly allocated buffer, if births are being recorded. */
export function noteBirth(data: Data): void {
  if (births !== null) births.push(data);
}

/**
 * @internal Records the buffers allocated from now on into `into` (null: records none); returns
 * the previous recorder, to be restored with another call.
 */
export function recordBirths(into: Data[] | null): Data[] | null {
  const previous = births;
  births = into;
  return previous;
}

/**
 * @internal Returns a dead buffer to the pool. The caller guarantees that nothing reads or writes
 * it any more (see the module comment); views of it must be dead too. A kernel that kept a copy of
 * its floats (a forward's tape in WASM memory, found by the array) forgets it: the buffer comes
 * back as another array with other floats.
 */
export function givePooled(data: Data): void {
  const n = data.length;
  if (
    !enabled ||
    n < MIN_LENGTH ||
    data.byteOffset !== 0 ||
    data.byteLength !== data.buffer.byteLength ||
    pooledBytes + data.byteLength > MAX_POOLED_BYTES ||
    pooled.has(data)
  ) {
    return;
  }
  if (data instanceof Float32Array) forgetResident(data);
  if (poison) data.fill(NaN);
  pooled.add(data);
  pooledBytes += data.byteLength;
  if (data instanceof Float64Array) {
    const list = free64.get(n);
    if (list) list.push(data);
    else free64.set(n, [data]);
  } else {
    const list = free32.get(n);
    if (list) list.push(data);
    else free32.set(n, [data]);
  }
}

/** @internal For tests: how many buffers wait in the pool. */
export function pooledBuffers(): number {
  let n = 0;
  for (const list of free32.values()) n += list.length;
  for (const list of free64.values()) n += list.length;
  return n;
}

/**
 * @internal For tests: with `poisoned`, every buffer given back is filled with NaN first, so a
 * tensor that still read a recycled buffer would show it; with `on` false the pool keeps nothing.
 * Either empties the pool.
 */
export function configurePool(options: { readonly poisoned?: boolean; readonly on?: boolean }): void {
  poison = options.poisoned ?? poison;
  enabled = options.on ?? enabled;
  free32.clear();
  free64.clear();
  pooledBytes = 0;
}
