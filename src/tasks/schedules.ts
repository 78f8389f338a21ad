/**
 * Trial schedules (NeuroGym's `utils.scheduler`): which of `n` tasks or settings the next trial uses.
 * A schedule keeps its position between calls; `fresh()` starts a new one at position 0.
 */
import type { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import { requireInteger } from "./validate.ts";

/** The four schedules. */
export type ScheduleKind = "random" | "sequential" | "sequential-block" | "random-block";

/**
 * A schedule over `n` indices. Each `next(rng)` is one trial:
 * - `random`: uniformly one of the *other* indices (never the same twice in a row when `n > 1`);
 * - `sequential`: `i + 1 mod n` (so the first trial gets index 1, as in NeuroGym);
 * - `sequential-block`: `blockLens[i]` trials of index `i`, then the next index (starting at 0);
 * - `random-block`: `blockLens[i]` trials of index `i`, then a random other index (starting at 0).
 */
export class TrialSchedule {
  private i = 0;
  private count = 0;

  constructor(
    readonly kind: ScheduleKind,
    readonly n: number,
    readonly blockLens: readonly number[] = [],
  ) {
    requireInteger("TrialSchedule", "n", n, 1);
    if (kind === "sequential-block" || kind === "random-block") {
      if (blockLens.length !== n) {
        throw new ValueError(
          `TrialSchedule: blockLens must have one length per index (n = ${n}), got ${blockLens.length}`,
        );
      }
      blockLens.forEach((b, k) => requireInteger("TrialSchedule", `blockLens[${k}]`, b, 1));
    } else if (!["random", "sequential"].includes(kind)) {
      throw new ValueError(
        `TrialSchedule: kind must be "random", "sequential", "sequential-block" or "random-block", got ${JSON.stringify(kind)}`,
      );
    }
  }

  /** The index of the next trial. */
  next(rng: Rng): number {
    switch (this.kind) {
      case "random":
        this.i = this.other(rng);
        break;
      case "sequential":
        this.i = (this.i + 1) % this.n;
        break;
      default:
        if (this.count < (this.blockLens[this.i] as number)) this.count++;
        else {
          this.count = 1;
          this.i = this.kind === "sequential-block" ? (this.i + 1) % this.n : this.other(rng);
        }
    }
    return this.i;
  }

  /** The same schedule from its start. */
  fresh(): TrialSchedule {
    return new TrialSchedule(this.kind, this.n, this.blockLens);
  }

  private other(rng: Rng): number {
    if (this.n === 1) return 0;
    const j = rng.integer(0, this.n - 1);
    return j >= this.i ? j + 1 : j;
  }
}

/** Uniformly another index each trial. */
export const randomSchedule = (n: number): TrialSchedule => new TrialSchedule("random", n);
/** Indices in turn. */
export const sequentialSchedule = (n: number): TrialSchedule => new TrialSchedule("sequential", n);
/** Blocks of `blockLens[i]` trials, in turn. */
export const sequentialBlockSchedule = (blockLens: readonly number[]): TrialSchedule =>
  new TrialSchedule("sequential-block", blockLens.length, blockLens);
/** Blocks of `blockLens[i]` trials, each followed by a random other block. */
export const randomBlockSchedule = (blockLens: readonly number[]): TrialSchedule =>
  new TrialSchedule("random-block", blockLens.length, blockLens);
