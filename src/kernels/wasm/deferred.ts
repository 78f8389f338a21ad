/**
 * Outputs a forward leaves only in its kept block (see `Arena.keep`) until its backward has read
 * them there, shared by the fused layers' host code.
 */
import type { Arena } from "./arena.ts";
import { copyOut } from "./layerHost.ts";

/** An output a forward may leave only in its kept block. */
export interface Deferrable {
  /** Its length in floats. */
  readonly n: number;
  /** Whether only the backward reads it, so it stays in the block until that is given up. */
  readonly defer: boolean;
  /** The array the caller asked it to be written into (else a new one). */
  readonly into?: Float32Array | undefined;
}

/**
 * A forward's outputs, of which those only its backward reads stay in its kept block: each of
 * these is handed out at once as its array (the caller's `into`, else a new one) and filled only
 * if the block is given up before the backward read it there (which then calls `Arena.release`).
 * The others are copied out once the kernel has run.
 */
export class DeferredOutputs {
  /** Each output's array when deferred. */
  private readonly later: (Float32Array | undefined)[];
  /** The outputs' byte offsets in the block, once the kernel has written them. */
  private at: readonly number[] = [];
  /** What to hand `Arena.keep` as its `onGiveUp`: undefined when nothing is deferred. */
  readonly onGiveUp: (() => void) | undefined;

  constructor(
    private readonly arena: Arena,
    private readonly outputs: readonly Deferrable[],
  ) {
    this.later = outputs.map((o) => (o.defer ? (o.into ?? new Float32Array(o.n)) : undefined));
    this.onGiveUp = this.later.some((l) => l) ? () => this.fill() : undefined;
  }

  /** Copies the deferred outputs out of the block, still intact. */
  private fill(): void {
    this.later.forEach((l, i) => l?.set(this.arena.view(this.at[i]!, this.outputs[i]!.n)));
  }

  /**
   * The outputs, the kernel having written them at byte offsets `at` (0 for an output the call
   * does not have: null): the deferred ones as handed out, the others copied out now.
   */
  take(at: readonly number[]): (Float32Array | null)[] {
    this.at = at;
    return this.outputs.map((o, i) => {
      const later = this.later[i];
      if (later) return later;
      return at[i] ? copyOut(this.arena.view(at[i], o.n), o.into) : null;
    });
  }
}
