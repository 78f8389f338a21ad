import type { BaseParams, TaskSpec } from "../spec.ts";

/** Options of {@link Null}. */
export type NullParams = BaseParams;

/** Conditions: none. */
export type NullConditions = Readonly<Record<string, never>>;

/**
 * The empty task: one input that stays 0, one action, no reward. Each trial is one step (NeuroGym's
 * `Null` adds no period, so every step starts a new trial), which makes it a baseline environment
 * for wrappers and schedules.
 *
 * Obs `[input]`; actions `[fixation]`.
 */
export const Null: TaskSpec<NullParams, NullConditions> = {
  name: "Null",
  summary: "The empty task: a constant zero input, one action and no reward.",
  reference: null,
  tags: [],
  defaults: { dtMs: 100, timing: {}, rewards: {} },
  layout: () => ({ observation: { input: 0 }, actions: { fixation: 0 } }),
  responsePeriods: () => [],
  draw: () => ({}),
  build(b, c, p) {
    b.addPeriod("trial", { durationMs: p.dtMs });
    b.setOb(0, "trial");
    return c;
  },
  rl: { step: () => ({ reward: 0, newTrial: false }) },
};
