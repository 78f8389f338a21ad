/**
 * A bump allocator over a WebAssembly memory: each kernel call resets it, copies its inputs in,
 * and reads its outputs back, so nothing is ever freed one by one.
 */

import { ValueError } from "../../base/errors.ts";

const PAGE_BYTES = 65536;
/** Cache-line alignment, so SIMD loads never split lines and threads never share a line. */
const ALIGN = 64;

/** The arenas with an `onGiveUp` pending (see {@link Arena.keep}), held weakly. */
const unsettled = new Set<WeakRef<Arena>>();

export class Arena {
  private top: number;
  /** Where each call's allocations start: above the kept block, if any. */
  private base: number;
  /** The block kept across resets (see {@link Arena.keep}) and whom it belongs to. */
  private keeper: object | null = null;
  private keptAt = 0;
  /** What the keeper asked to run before its block is given up (see {@link Arena.keep}). */
  private onGiveUp: (() => void) | null = null;
  private readonly ref = new WeakRef(this);
  /** Whether the kept block's reader is done with it (see {@link Arena.release}) or it is a mere copy. */
  private released = false;

  /** @param heapBase first usable byte (the module's heap base). */
  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly heapBase: number,
  ) {
    this.base = heapBase;
    this.top = heapBase;
  }

  /** Forgets every allocation but the kept block. */
  reset(): void {
    this.top = this.base;
  }

  /**
   * Reserves `bytes` that later resets leave alone, for `owner` (a call that keeps results for a
   * later call, e.g. a forward pass's states for its backward pass), and forgets every other
   * allocation. One block is kept at a time: keeping a new one gives the previous one up, which
   * its owner finds out from {@link Arena.kept}, after the previous owner's `onGiveUp` ran (on
   * the block still intact: a forward that left outputs only here copies them out then, if its
   * backward has not read them here first, see {@link Arena.release}).
   */
  keep(bytes: number, owner: object, onGiveUp?: () => void): number {
    const giveUp = this.onGiveUp;
    this.pend(null);
    giveUp?.();
    this.base = this.heapBase;
    this.top = this.heapBase;
    this.keptAt = this.alloc(bytes);
    this.keeper = owner;
    this.pend(onGiveUp ?? null);
    this.released = false;
    this.base = this.top;
    return this.keptAt;
  }

  /** Drops `owner`'s `onGiveUp` (see {@link Arena.keep}): the block's one reader is done with it. */
  release(owner: object): void {
    if (this.keeper === owner) {
      this.pend(null);
      this.released = true;
    }
  }

  /**
   * Whether no call waits for the kept block: there is none, its reader released it, or it is a
   * copy kept only to be read again (see `keepOperand` in resident.ts). Keeping a block then
   * costs no one a copy they would not have made anyway.
   */
  vacant(): boolean {
    return this.keeper === null || this.released;
  }

  /**
   * Runs and drops `owner`'s `onGiveUp` now, its block staying kept: a call that will not read the
   * block (a backward handed other arrays than its forward's) finds the forward's outputs filled.
   */
  settle(owner: object): void {
    if (this.keeper !== owner) return;
    const giveUp = this.onGiveUp;
    this.pend(null);
    giveUp?.();
  }

  /**
   * Settles every arena's kept block (see {@link Arena.settle}): the calls that follow may go to
   * another backend, whose backward reads a forward's outputs from their arrays, not from this
   * arena, so the outputs a forward left only in its block are written out now.
   */
  static settleAll(): void {
    for (const ref of unsettled) {
      const arena = ref.deref();
      if (arena?.keeper) arena.settle(arena.keeper);
    }
    unsettled.clear();
  }

  /** Sets the keeper's `onGiveUp`, noting whether one is pending (see {@link Arena.settleAll}). */
  private pend(onGiveUp: (() => void) | null): void {
    this.onGiveUp = onGiveUp;
    if (onGiveUp) unsettled.add(this.ref);
    else unsettled.delete(this.ref);
  }

  /** The offset of `owner`'s kept block, or undefined when it was given up since. */
  kept(owner: object): number | undefined {
    return this.keeper === owner ? this.keptAt : undefined;
  }

  /** Reserves `bytes` (aligned) and returns the byte offset, growing the memory when needed. */
  alloc(bytes: number): number {
    const ptr = Math.ceil(this.top / ALIGN) * ALIGN;
    this.top = ptr + bytes;
    const missing = this.top - this.memory.buffer.byteLength;
    if (missing > 0) {
      try {
        this.memory.grow(Math.ceil(missing / PAGE_BYTES));
      } catch (cause) {
        const mb = Math.ceil(this.top / 2 ** 20);
        throw new ValueError(
          `kernels: this call needs ${mb} MiB of WebAssembly memory, more than the engine allows. ` +
            "Use a smaller batch or shorter sequences (or truncated BPTT)",
          { cause },
        );
      }
    }
    return ptr;
  }

  /** Reserves room for `n` floats. */
  floats(n: number): number {
    return this.alloc(n * 4);
  }

  /** Copies `src` in and returns its offset. */
  put(src: Float32Array): number {
    const ptr = this.floats(src.length);
    this.view(ptr, src.length).set(src);
    return ptr;
  }

  /** A view of `n` floats at `ptr`; valid until the memory next grows. */
  view(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }
}
