import { productionRule } from "../rules.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { sampleDuration, uniform } from "../timing.ts";
import { requireNonNegative, requirePositive } from "../validate.ts";
import { merged } from "../merge.ts";

/** Options of {@link ReadySetGo}. */
export interface ReadySetGoParams extends BaseParams {
  /** Produced interval = gain × measured interval. */
  readonly gain: number;
  /** Reward window half-width as a fraction of the interval (plus 25 ms). */
  readonly prodMargin: number;
}

/** Conditions: the measured interval (ms, floored to dt), the gain and `production = measure × gain` (follows from them). */
export type ReadySetGoConditions = {
  readonly measure: number;
  readonly gain: number;
  readonly production?: number;
};

/**
 * A single-step target `[T]` that is 1 at step `floor(intervalMs / dt)` of a `2·intervalMs` period.
 */
export function productionTarget(intervalMs: number, steps: number, dtMs: number): Float32Array {
  const gt = new Float32Array(steps);
  const k = Math.floor(intervalMs / dtMs + 1e-9);
  if (k < steps) gt[k] = 1;
  return gt;
}

/**
 * Interval reproduction: ready and set cues bound a measured interval; respond (go) one
 * interval (× gain) after set. The `measure` period overlaps `ready`. The 83 ms cues last 1 step
 * at the default `dtMs` 80 and 0 steps (never shown) at `dtMs` >= 100, as in NeuroGym (see
 * `shortPeriods`).
 *
 * Obs `[fixation, ready, set]`; actions `[fixation, go]`; gt is 1 at the single target step.
 *
 * Reference: Remington, Narain, Hosseini & Jazayeri (2018), "Flexible sensorimotor computations
 * through rapid reconfiguration of cortical dynamics", Neuron 98:1005.
 */
export const ReadySetGo: TaskSpec<ReadySetGoParams, ReadySetGoConditions> = {
  name: "ReadySetGo",
  summary: "Measure the interval between ready and set, then reproduce it after set.",
  reference: {
    authors: "Remington, Narain, Hosseini & Jazayeri",
    year: 2018,
    title: "Flexible sensorimotor computations through rapid reconfiguration of cortical dynamics",
    venue: "Neuron 98:1005",
    link: "https://www.sciencedirect.com/science/article/pii/S0896627318304185",
  },
  tags: ["timing", "go-no-go", "supervised"],
  defaults: {
    dtMs: 80,
    timing: { fixation: 100, ready: 83, measure: uniform(800, 1500), set: 83 },
    rewards: { abort: -0.1, correct: 1, fail: 0 },
    gain: 1,
    prodMargin: 0.2,
  },
  layout: () => ({
    observation: { fixation: 0, ready: 1, set: 2 },
    actions: { fixation: 0, go: 1 },
  }),
  validate(p) {
    requirePositive(this.name, "gain", p.gain);
    requireNonNegative(this.name, "prodMargin", p.prodMargin);
  },
  responsePeriods: () => ["production"],
  draw: (rng, p) => ({
    measure: sampleDuration(p.timing["measure"] ?? 0, rng, p.dtMs, 0, "measure"),
    gain: p.gain,
  }),
  build(b, c) {
    const production = c.measure * c.gain;
    b.addPeriods(["fixation", "ready"]);
    b.addPeriod("measure", { durationMs: c.measure, after: "fixation" });
    b.addPeriod("set", { after: "measure" });
    b.addPeriod("production", { durationMs: 2 * production, after: "set" });
    b.addOb(1, undefined, "fixation");
    b.setOb(0, "production", "fixation");
    b.addOb(1, "ready", "ready");
    b.addOb(1, "set", "set");
    const prod = b.period("production");
    b.setGroundTruthSeries(productionTarget(production, prod.end - prod.start, b.dtMs), "production");
    return merged(c, { production });
  },
  rl: productionRule("measure", (c) => c.production ?? c.measure * c.gain),
};
