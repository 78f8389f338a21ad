import { range } from "../channels.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { ValueError } from "../../base/errors.ts";
import { requireInteger, requireNumberList, requireProbability } from "../validate.ts";

/** Options of {@link Bandit}. */
export interface BanditParams extends BaseParams {
  /** Number of arms. */
  readonly n: number;
  /** Probability that each arm pays out (length `n`). */
  readonly p: readonly number[];
  /** Payout of each arm when it pays (length `n`; NeuroGym's `rewards`, default 1 for every arm). */
  readonly armRewards: readonly number[] | null;
}

/** Conditions: each arm's payout probability and payout this trial. */
export type BanditConditions = { readonly p: readonly number[]; readonly armRewards: readonly number[] };

/**
 * Multi-armed bandit: every step is a trial; pulling arm `a` pays `armRewards[a]` with probability
 * `p[a]` (drawn from the environment's rule stream). RL only: the single input is always 0 and there
 * is no ground truth; NeuroGym never scores performance (it stays 0), so compare policies by reward.
 *
 * Obs `[input]`; actions `[arm×n]` (no fixation action).
 *
 * Reference: Wang et al. (2018), "Prefrontal cortex as a meta-reinforcement learning system",
 * Nat Neurosci 21:860.
 */
export const Bandit: TaskSpec<BanditParams, BanditConditions> = {
  name: "Bandit",
  summary: "Choose among arms that pay out with fixed probabilities (meta-RL).",
  reference: {
    authors: "Wang, Kurth-Nelson, Kumaran, Tirumala, Soyer, Leibo, Hassabis & Botvinick",
    year: 2018,
    title: "Prefrontal cortex as a meta-reinforcement learning system",
    venue: "Nat Neurosci 21:860",
    link: "https://www.nature.com/articles/s41593-018-0147-8",
  },
  tags: ["n-alternative"],
  rlOnly: true,
  defaults: { dtMs: 100, timing: {}, rewards: {}, n: 2, p: [0.5, 0.5], armRewards: null },
  layout: (p) => ({ observation: { input: 0 }, actions: { arm: range(0, p.n) } }),
  validate(p) {
    requireInteger(this.name, "n", p.n, 1);
    requireNumberList(this.name, "p", p.p);
    p.p.forEach((v, i) => requireProbability(this.name, `p[${i}]`, v));
    if (p.p.length !== p.n) {
      throw new ValueError(
        `${this.name}: p must have one probability per arm (n = ${p.n}), got ${p.p.length}`,
      );
    }
    if (p.armRewards !== null) {
      requireNumberList(this.name, "armRewards", p.armRewards);
      if (p.armRewards.length !== p.n) {
        throw new ValueError(
          `${this.name}: armRewards must have one payout per arm (n = ${p.n}), got ${p.armRewards.length}`,
        );
      }
    }
  },
  responsePeriods: () => [],
  draw: (_rng, p) => ({
    p: [...p.p],
    armRewards: p.armRewards === null ? Array(p.n).fill(1) : [...p.armRewards],
  }),
  build(b, c, p) {
    b.addPeriod("trial", { durationMs: p.dtMs });
    b.setOb(0, "trial");
    return c;
  },
  rl: {
    step(ctx) {
      const { p, armRewards } = ctx.trial.info.conditions;
      const paid = ctx.rng.uniform() < (p[ctx.action] ?? 0);
      return { reward: paid ? (armRewards[ctx.action] ?? 0) : 0, newTrial: true };
    },
  },
};
