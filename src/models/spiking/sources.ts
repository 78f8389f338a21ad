/** Spike sources: given spike trains passed through, and Poisson (Bernoulli per step) generators. */
import { type Rng, type Tensor, randomBernoulli } from "../../core/index.ts";
import { ValueError } from "../../base/errors.ts";
import type { Shape } from "../../base/shape.ts";
import type { Cell } from "../cell.ts";
import { inRange, nonNegative, positive, positiveInt } from "../validate.ts";

/** Spike probability per step of a Poisson process at `rateHz` with steps of `dtMs`. */
function spikeProbability(where: string, rateHz: number, dtMs: number): number {
  const p = (nonNegative(where, "rateHz", rateHz) * positive(where, "dtMs", dtMs)) / 1000;
  return inRange(where, "rateHz · dtMs / 1000", p, 0, 1);
}

/**
 * Spike trains `[T, B, n]` (0/1) of independent Poisson neurons at `rateHz`, discretised as
 * Bernoulli(rate · dt) per step, as in S4c (`rand < freq · dt / 1000`).
 * @example poissonSpikeTrains(rng, [2000, 256, 100], { rateHz: 5, dtMs: 0.1 })
 */
export function poissonSpikeTrains(
  rng: Rng,
  shape: Shape,
  options: { rateHz: number; dtMs: number },
): Tensor {
  return randomBernoulli(rng, shape, spikeProbability("poissonSpikeTrains", options.rateHz, options.dtMs));
}

/** The input group: a cell that passes given spike trains through unchanged (x `[B, n]` → x). */
export function inputGroup(options: {
  n: number;
}): Cell<Record<string, never>, Record<string, never>, { n: number }> {
  const n = positiveInt("inputGroup", "n", options.n);
  return {
    name: "inputGroup",
    config: { n },
    nIn: n,
    nOut: n,
    init: () => ({}),
    initialState: () => ({}),
    step: (_p, state, x) => ({ state, output: x }),
  };
}

/**
 * A Poisson group: ignores its input and emits Bernoulli(rate · dt) spikes `[B, n]` from the step's
 * `rng` (pass `rng` to `runCell`/`apply`).
 */
export function poissonGroup(options: {
  n: number;
  rateHz: number;
  dtMs: number;
}): Cell<Record<string, never>, Record<string, never>, { n: number; rateHz: number; dtMs: number }> {
  const n = positiveInt("poissonGroup", "n", options.n);
  const p = spikeProbability("poissonGroup", options.rateHz, options.dtMs);
  return {
    name: "poissonGroup",
    config: { n, rateHz: options.rateHz, dtMs: options.dtMs },
    nIn: n,
    nOut: n,
    init: () => ({}),
    initialState: () => ({}),
    step(_p, state, x, ctx = {}) {
      if (!ctx.rng)
        throw new ValueError(
          "poissonGroup: needs an rng to draw spikes, got none. Pass { rng } to runCell or apply",
        );
      return { state, output: randomBernoulli(ctx.rng, [x.shape[0] as number, n], p) };
    },
  };
}
