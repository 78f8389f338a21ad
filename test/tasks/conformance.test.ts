/**
 * The task conformance table: one row per task, the same checks for all.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { TaskEnv, runPolicy } from "../../src/tasks/env.ts";
import { createTask, taskNames, type TaskName } from "../../src/tasks/registry.ts";
import type { Task } from "../../src/tasks/task.ts";
import { durationDistribution } from "../../src/tasks/timing.ts";
import { oracles } from "./oracles.ts";

interface Row {
  readonly name: TaskName;
  readonly observation: readonly string[];
  readonly actions: readonly string[];
  /** Options for the oracle run (e.g. drop coherence 0, use a quirk fix). */
  readonly oracleOptions?: Readonly<Record<string, unknown>>;
  /**
   * Oracle bar; 0.99 unless the task's ideal observer is lower (null: no observation oracle;
   * "beatsIdle": the oracle must beat doing nothing on the same trials).
   */
  readonly oracleMin?: number | null | "beatsIdle";
  /** Expected score of the constant policy "always action 1", and tolerance. */
  readonly chance: number;
  readonly chanceTol?: number;
  /** Every trial is the same (nothing is drawn per trial). */
  readonly constantTrials?: boolean;
}

const ROWS: readonly Row[] = [
  {
    name: "PerceptualDecisionMaking",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    oracleOptions: { cohs: [6.4, 12.8, 25.6, 51.2] },
    chance: 0.5,
  },
  {
    name: "DelayComparison",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    chance: 0.5,
  },
  {
    name: "DelayMatchSample",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "match", "non-match"],
    chance: 0.5,
  },
  {
    name: "DelayMatchCategory",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "match", "non-match"],
    // With the default 2-unit ring only cos θ is visible, so the category is not; 4 units show it.
    oracleOptions: { dimRing: 4 },
    chance: 0.5,
  },
  {
    name: "GoNogo",
    observation: ["fixation", "nogo", "go"],
    actions: ["fixation", "go"],
    oracleOptions: { scoreNoGoTrials: true },
    chance: 0.5,
  },
  {
    name: "ContextDecisionMaking",
    observation: ["fixation", "mod1", "mod2", "stim1_mod1", "stim1_mod2", "stim2_mod1", "stim2_mod2"],
    actions: ["fixation", "choice"],
    chance: 0.5,
  },
  {
    name: "ReadySetGo",
    observation: ["fixation", "ready", "set"],
    actions: ["fixation", "go"],
    chance: 0,
  },
  {
    name: "IntervalDiscrimination",
    observation: ["fixation", "stim1", "stim2"],
    actions: ["fixation", "choice1", "choice2"],
    // At dt 80 the floored durations tie 23.6% of the time and ties go to choice 2: P(choice 1) = 0.382.
    chance: 0.382,
  },
  {
    name: "AntiReach",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    chance: 1 / 32,
    chanceTol: 0.03,
  },
  {
    name: "DualDelayMatchSample",
    observation: ["fixation", "stimulus1", "stimulus2", "cue1", "cue2"],
    actions: ["fixation", "match", "non-match"],
    chance: 0.75,
  },
  {
    name: "MultiSensoryIntegration",
    observation: ["fixation", "stimulus_mod1", "stimulus_mod2"],
    actions: ["fixation", "choice"],
    chance: 0.5,
  },
  {
    name: "Reaching1D",
    observation: ["target", "self"],
    actions: ["fixation", "left", "right"],
    oracleOptions: { rewardAgainst: "target" },
    // The arm moves 0.05 rad per step, so far targets cannot be reached in 5 reach steps.
    oracleMin: "beatsIdle",
    // A regression task has no guessing level; moving one way from the start scores about 0.17.
    chance: 0.17,
    chanceTol: 0.08,
  },
  {
    name: "PostDecisionWager",
    observation: ["fixation", "stimulus", "sure"],
    actions: ["fixation", "choice", "sure"],
    oracleOptions: { choiceComparison: "action" },
    // Coherence-0 trials (1/6) are guesses or sure bets: ideal ≈ 1 − (0.5·0.3 + 0.5·0.5)/6 = 0.933.
    oracleMin: 0.9,
    chance: 0.5,
  },
  {
    name: "DawTwoStep",
    observation: ["cue", "state"],
    actions: ["fixation", "choice"],
    oracleMin: null,
    chance: 0.5,
    chanceTol: 0.3,
  },
  {
    name: "EconomicDecisionMaking",
    observation: ["fixation", "a1", "b1", "a2", "b2", "n1", "n2"],
    actions: ["fixation", "choice1", "choice2"],
    chance: 0.5,
  },
  {
    name: "PerceptualDecisionMakingDelayResponse",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    // Coherence-0 trials (1/5) are coin flips: ideal 0.9.
    oracleMin: 0.85,
    chance: 0.5,
  },
  {
    name: "PulseDecisionMaking",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    // Equal pulse counts are decided by a hidden jitter.
    oracleMin: 0.88,
    chance: 0.5,
  },
  {
    name: "DelayMatchSampleDistractor1D",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "match"],
    chance: 0,
  },
  {
    name: "DelayPairedAssociation",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "go"],
    oracleOptions: { scoreNoGoTrials: true },
    chance: 0.5,
  },
  {
    name: "MotorTiming",
    observation: ["fixation", "interval1", "interval2", "set"],
    actions: ["fixation", "go"],
    chance: 0,
  },
  {
    name: "OneTwoThreeGo",
    observation: ["fixation", "stimulus", "target"],
    actions: ["fixation", "go"],
    chance: 0,
  },
  {
    name: "ProbabilisticReasoning",
    observation: ["fixation", "loc0", "loc1", "loc2", "loc3"],
    actions: ["fixation", "choice"],
    // The answer is drawn from the evidence: the ideal observer scores E[max(p, 1 − p)] = 0.915
    // (exact over the 10^4 shape combinations).
    oracleMin: 0.88,
    chance: 0.5,
  },
  {
    name: "HierarchicalReasoning",
    observation: ["fixation", "rule", "stimulus"],
    actions: ["fixation", "rule", "choice"],
    // The rule switches in unannounced blocks: no observation reveals it.
    oracleMin: null,
    chance: 0,
  },
  {
    name: "AnnubesEnv",
    observation: ["fixation", "start", "v", "a"],
    actions: ["fixation", "choice"],
    chance: 0.5,
  },
  {
    name: "Bandit",
    observation: ["input"],
    actions: ["arm"],
    // RL only; NeuroGym never scores performance (see the Bandit tests for the payouts).
    oracleMin: null,
    chance: 0,
    chanceTol: 0,
    constantTrials: true,
  },
  {
    name: "Detection",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "go"],
    // "Go" at once is correct only on go trials whose stimulus starts at once.
    chance: 0.08,
  },
  {
    name: "Null",
    observation: ["input"],
    actions: ["fixation"],
    oracleMin: null,
    chance: 0,
    chanceTol: 0,
    constantTrials: true,
  },
  {
    name: "Reaching1DWithSelfDistraction",
    observation: ["stimulus"],
    actions: ["fixation", "left", "right"],
    oracleOptions: { rewardAgainst: "target" },
    oracleMin: "beatsIdle",
    chance: 0.17,
    chanceTol: 0.08,
  },
  {
    name: "ToneDetection",
    observation: ["stimulus"],
    actions: ["none", "position"],
    // NeuroGym defines no reward: RL performance is 0 for every policy (see the ToneDetection tests).
    oracleMin: null,
    chance: 0,
    chanceTol: 0,
  },
];

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

/** Chi-square statistic of observed counts against expected probabilities (sparse bins pooled). */
function chiSquare(
  observed: Map<number, number>,
  expected: Map<number, number>,
  n: number,
): [number, number] {
  let stat = 0;
  let bins = 0;
  let poolObs = 0;
  let poolExp = 0;
  for (const [k, p] of expected) {
    const e = p * n;
    const o = observed.get(k) ?? 0;
    if (e < 5) {
      poolObs += o;
      poolExp += e;
    } else {
      stat += (o - e) ** 2 / e;
      bins++;
    }
  }
  for (const [k, o] of observed) if (!expected.has(k)) poolObs += o;
  if (poolExp > 0 || poolObs > 0) {
    stat += (poolObs - poolExp) ** 2 / Math.max(poolExp, 1e-9);
    bins++;
  }
  return [stat, Math.max(bins - 1, 1)];
}

it("the table covers every registered task", () => {
  expect(ROWS.map((r) => r.name).sort()).toEqual([...taskNames].sort());
});

describe.each(ROWS)("$name", (row) => {
  const task: Task = createTask(row.name);

  it("has the expected channel and action names", () => {
    expect(Object.keys(task.observation)).toEqual(expect.arrayContaining([...row.observation]));
    expect(Object.keys(task.actions)).toEqual([...row.actions]);
    expect(task.obColumnNames).toHaveLength(task.obDim);
  });

  it("is deterministic per seed and varies across seeds", () => {
    const a = createTask(row.name).sampleTrial(Rng.fromSeed(7));
    const b = createTask(row.name).sampleTrial(Rng.fromSeed(7));
    expect(same(a.ob, b.ob) && same(a.gt, b.gt) && same(a.mask, b.mask)).toBe(true);
    expect(a.info.conditions).toEqual(b.info.conditions);
    const others = [8, 9, 10].map((s) => createTask(row.name).sampleTrial(Rng.fromSeed(s)));
    const differs = others.some(
      (c) =>
        !same(a.ob, c.ob) ||
        !same(a.gt, c.gt) ||
        JSON.stringify(c.info.conditions) !== JSON.stringify(a.info.conditions),
    );
    expect(differs).toBe(row.constantTrials !== true);
  });

  it("has consistent shapes, a ground truth in range and a mask on the response periods", () => {
    const rng = Rng.fromSeed(11);
    for (let i = 0; i < 40; i++) {
      const tr = task.sampleTrial(rng);
      const n = tr.info.nSteps;
      expect(tr.ob).toHaveLength(n * task.obDim);
      expect(tr.gt).toHaveLength(n);
      expect(tr.mask).toHaveLength(n);
      expect(tr.ob.every(Number.isFinite)).toBe(true);
      const expected = new Float32Array(n);
      for (const p of tr.info.responsePeriods) {
        const b = tr.info.periods[p];
        expect(b, `response period ${p}`).toBeDefined();
        expected.fill(1, b!.start, b!.end);
      }
      expect(Array.from(tr.mask)).toEqual(Array.from(expected));
      if (!task.regression) {
        for (let t = 0; t < n; t++) {
          const g = tr.gt[t]!;
          expect(Number.isInteger(g) && g >= 0 && g < task.nActions).toBe(true);
          if (g !== 0) expect(tr.mask[t]).toBe(1);
        }
      }
    }
  });

  it("samples period durations from their timing distributions", () => {
    const rng = Rng.fromSeed(3);
    const n = 1200;
    const durations = new Map<string, Map<number, number>>();
    for (let i = 0; i < n; i++) {
      const tr = task.sampleTrial(rng, { noise: false });
      for (const [p, b] of Object.entries(tr.info.periods)) {
        if (!(p in task.params.timing)) continue;
        const m = durations.get(p) ?? new Map<number, number>();
        const d = Math.round(b.endMs - b.startMs);
        m.set(d, (m.get(d) ?? 0) + 1);
        durations.set(p, m);
      }
    }
    for (const [p, observed] of durations) {
      const dist = durationDistribution(task.params.timing[p]!, task.dtMs);
      expect(dist, p).not.toBeNull();
      const count = [...observed.values()].reduce((a, v) => a + v, 0);
      const [stat, df] = chiSquare(observed, dist!, count);
      // About p < 1e-6 for the degrees of freedom involved: a wrong sampler fails by a wide margin.
      expect(stat, `${p}: chi² ${stat.toFixed(1)} on ${df} df`).toBeLessThan(df + 7 * Math.sqrt(2 * df) + 12);
    }
  });

  it("scores a constant policy near chance", () => {
    const env = new TaskEnv(createTask(row.name), Rng.fromSeed(5));
    const action = Math.min(1, env.task.nActions - 1);
    const { performance, trials } = runPolicy(env, { act: () => action }, 400);
    expect(trials).toBe(400);
    expect(Math.abs(performance - row.chance)).toBeLessThanOrEqual(row.chanceTol ?? 0.08);
  });

  const oracleMin = row.oracleMin === undefined ? 0.99 : row.oracleMin;
  if (oracleMin === "beatsIdle") {
    it("an oracle reading the observations beats an idle policy on the same trials", () => {
      const t = createTask(row.name, row.oracleOptions ?? {});
      const score = (p: Parameters<typeof runPolicy>[1]): number =>
        runPolicy(new TaskEnv(t.fresh(), Rng.fromSeed(6), { noise: false }), p, 300).performance;
      expect(score(oracles[row.name]!(t))).toBeGreaterThan(score({ act: () => 0 }) + 0.02);
    });
  } else if (oracleMin !== null) {
    it(`an oracle reading the noiseless observations scores >= ${oracleMin}`, () => {
      const t = createTask(row.name, row.oracleOptions ?? {});
      const policy = oracles[row.name]!(t);
      const env = new TaskEnv(t, Rng.fromSeed(6), { noise: false });
      const { performance } = runPolicy(env, policy, 300);
      expect(performance).toBeGreaterThanOrEqual(oracleMin);
    });
  }
});
