/**
 * The task conformance table: one row per task, the same checks for all.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/base/random.ts";
import { TaskEnv, runPolicy } from "../../src/tasks/env.ts";
import { collectionNames, createTask, taskNames } from "../../src/tasks/registry.ts";
import { randomBlockSchedule, sequentialSchedule } from "../../src/tasks/schedules.ts";
import { yang19TaskNames } from "../../src/tasks/collections/yang19.ts";
import {
  noise,
  passAction,
  passReward,
  randomGroundTruth,
  reactionTime,
  scheduleAttr,
  scheduleEnvs,
  sideBias,
  trialHistory,
} from "../../src/tasks/wrappers.ts";
import type { Task } from "../../src/tasks/task.ts";
import type { Conditions, Trial } from "../../src/tasks/spec.ts";
import { type Timing, durationDistribution } from "../../src/tasks/timing.ts";
import { oracles } from "./oracles.ts";

interface Row {
  /** A registered task, a collection entry, or a label for `create`. */
  readonly name: string;
  /** Builds the task (wrapper rows); default `createTask(name, options)`. */
  readonly create?: (options: Readonly<Record<string, unknown>>) => Task;
  /** The oracle to use (default: the one named like the row). */
  readonly oracle?: string;
  /** Periods a wrapper reshapes, whose lengths no longer follow their timing entry. */
  readonly reshaped?: readonly string[];
  /** The timing a trial's periods follow (tasks that interleave others); default the task's own. */
  readonly timingOf?: (trial: Trial<Conditions, Int32Array | Float32Array>) => Timing;
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
    name: "roitman02",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    oracleOptions: { cohs: [6.4, 12.8, 25.6, 51.2] },
    oracle: "reactionTime",
    reshaped: ["decision"],
    chance: 0.5,
  },
  {
    name: "ibl20",
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    oracleOptions: { cohs: [6.4, 12.8, 25.6, 51.2] },
    oracle: "PerceptualDecisionMaking",
    // Blocks of 90 trials at 80:20, then 20:80: "always choice 1" scores (72+18+72+18+32)/400.
    chance: 0.53,
    chanceTol: 0.06,
  },
  ...wrapperRows(),
  ...yang19Rows(),
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
    name: "ReachingDelayResponse",
    observation: ["go", "stimulus"],
    actions: ["go", "position"],
    // Going at once with position 0.5 earns E[1/(1 + |0.5 − U(0, 1)|)²] = 2/3.
    chance: 2 / 3,
    chanceTol: 0.05,
  },
  {
    name: "SpatialSuppressMotion",
    observation: ["stimulus"],
    actions: ["direction"],
    // NeuroGym defines no reward; the targets are checked in moreNative.test.ts.
    oracleMin: null,
    chance: 0,
    chanceTol: 0,
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

const SCHEDULED_TIMING = [
  createTask("PerceptualDecisionMaking").params.timing,
  createTask("PerceptualDecisionMakingDelayResponse").params.timing,
];

const YANG19_TIMING = yang19TaskNames.map((n) => createTask(`yang19.${n}`).params.timing);

/** The 20 Yang-19 tasks and the environment that interleaves them. */
function yang19Rows(): Row[] {
  const base = {
    observation: ["fixation", "stimulus_mod1", "stimulus_mod2"],
    actions: ["fixation", "choice"],
    oracle: "yang19",
    // "Always choice 1" answers direction 0 of 16 (and fails no-go trials).
    chance: 1 / 16,
    chanceTol: 0.05,
  };
  // Summed-modality decisions tie when the two modalities' differences cancel (then a hidden jitter
  // decides): 1/8 of multidm trials, 1/6 of multidlydm trials.
  const oracleMin: Record<string, number> = { multidm: 0.9, multidlydm: 0.87 };
  const rows: Row[] = yang19TaskNames.map((n) => ({
    ...base,
    name: `yang19.${n}`,
    ...(oracleMin[n] === undefined ? {} : { oracleMin: oracleMin[n] }),
    // NeuroGym scores a withheld response 0; the observer is judged with it scored 1.
    ...(["dms", "dnms", "dmc", "dnmc"].includes(n) ? { oracleOptions: { scoreNoGoTrials: true } } : {}),
  }));
  rows.push({
    ...base,
    name: "yang19",
    observation: [...base.observation, "rule"],
    oracle: "yang19Env",
    timingOf: (trial) => YANG19_TIMING[trial.info.conditions["envIndex"] as number]!,
    // Withheld no-go trials of the four matching tasks score 0 in NeuroGym (half their trials).
    oracleMin: 0.85,
  });
  return rows;
}

/** One row per wrapper, each over PerceptualDecisionMaking (the schedule over it and its delayed-response form). */
function wrapperRows(): Row[] {
  const pdm = (o: Readonly<Record<string, unknown>>): Task => createTask("PerceptualDecisionMaking", o);
  const base = {
    observation: ["fixation", "stimulus"],
    actions: ["fixation", "choice"],
    oracleOptions: { cohs: [6.4, 12.8, 25.6, 51.2] },
    oracle: "PerceptualDecisionMaking",
    chance: 0.5,
  };
  return [
    { ...base, name: "noise(PDM)", create: (o) => noise(pdm(o)) },
    {
      ...base,
      name: "passReward(PDM)",
      create: (o) => passReward(pdm(o)),
      observation: ["fixation", "stimulus", "reward"],
    },
    {
      ...base,
      name: "passAction(PDM)",
      create: (o) => passAction(pdm(o)),
      observation: ["fixation", "stimulus", "action"],
    },
    {
      ...base,
      name: "reactionTime(PDM, urgency)",
      create: (o) => reactionTime(pdm(o), { urgency: -0.01 }),
      oracle: "reactionTime",
      reshaped: ["decision"],
    },
    {
      ...base,
      name: "randomGroundTruth(PDM)",
      create: (o) => randomGroundTruth(pdm(o), { p: [0.3, 0.7] }),
      chance: 0.3,
    },
    {
      ...base,
      name: "sideBias(PDM)",
      create: (o) =>
        sideBias(pdm(o), {
          probs: [
            [0.9, 0.1],
            [0.1, 0.9],
          ],
          blockDur: 0.05,
        }),
      chanceTol: 0.2,
    },
    {
      ...base,
      name: "trialHistory(PDM)",
      create: (o) =>
        trialHistory(pdm(o), {
          probs: [
            [0.2, 0.8],
            [0.8, 0.2],
          ],
        }),
    },
    {
      ...base,
      name: "scheduleAttr(PDM)",
      create: (o) => scheduleAttr(pdm(o), sequentialSchedule(2), [{ coh: 51.2 }, { coh: 12.8 }]),
    },
    {
      ...base,
      name: "scheduleEnvs(PDM, PDMDelayResponse)",
      create: (o) =>
        scheduleEnvs(
          [pdm(o), createTask("PerceptualDecisionMakingDelayResponse")],
          randomBlockSchedule([3, 5]),
          { envInput: true },
        ),
      observation: ["fixation", "stimulus", "rule"],
      oracle: "scheduled",
      timingOf: (trial) => SCHEDULED_TIMING[trial.info.conditions["envIndex"] as number]!,
      // Coherence-0 trials of the delayed-response task are coin flips.
      oracleMin: 0.9,
    },
  ];
}

/** Durations to the µs (dt 8.3 makes them non-integer ms). */
const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

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

it("the table covers every registered task and collection entry", () => {
  const covered = ROWS.filter((r) => r.create === undefined).map((r) => r.name);
  expect(covered.sort()).toEqual([...taskNames, ...collectionNames].sort());
});

describe.each(ROWS)("$name", (row) => {
  const make = (o: Readonly<Record<string, unknown>> = {}): Task =>
    row.create?.(o) ?? createTask(row.name, o);
  const task: Task = make();

  it("has the expected channel and action names", () => {
    expect(Object.keys(task.observation)).toEqual(expect.arrayContaining([...row.observation]));
    expect(Object.keys(task.actions)).toEqual([...row.actions]);
    expect(task.obColumnNames).toHaveLength(task.obDim);
  });

  it("is deterministic per seed and varies across seeds", () => {
    const a = make().sampleTrial(Rng.fromSeed(7));
    const b = make().sampleTrial(Rng.fromSeed(7));
    expect(same(a.ob, b.ob) && same(a.gt, b.gt) && same(a.mask, b.mask)).toBe(true);
    expect(a.info.conditions).toEqual(b.info.conditions);
    const others = [8, 9, 10].map((s) => make().sampleTrial(Rng.fromSeed(s)));
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
      expect(tr.gt).toHaveLength(n * task.gtDim);
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
    // Durations per timing table (one per interleaved task) and period.
    const durations = new Map<Timing, Map<string, Map<number, number>>>();
    for (let i = 0; i < n; i++) {
      const tr = task.sampleTrial(rng, { noise: false });
      const timing = row.timingOf?.(tr) ?? task.params.timing;
      const byPeriod = durations.get(timing) ?? new Map<string, Map<number, number>>();
      durations.set(timing, byPeriod);
      for (const [p, b] of Object.entries(tr.info.periods)) {
        if (!(p in timing) || row.reshaped?.includes(p)) continue;
        const m = byPeriod.get(p) ?? new Map<number, number>();
        const d = roundMs(b.endMs - b.startMs);
        m.set(d, (m.get(d) ?? 0) + 1);
        byPeriod.set(p, m);
      }
    }
    for (const [timing, byPeriod] of durations) {
      for (const [p, observed] of byPeriod) {
        const exact = durationDistribution(timing[p]!, task.dtMs);
        expect(exact, p).not.toBeNull();
        const dist = new Map([...exact!].map(([k, v]) => [roundMs(k), v]));
        const count = [...observed.values()].reduce((a, v) => a + v, 0);
        const [stat, df] = chiSquare(observed, dist, count);
        // About p < 1e-6 for the degrees of freedom involved: a wrong sampler fails by a wide margin.
        expect(stat, `${p}: chi² ${stat.toFixed(1)} on ${df} df`).toBeLessThan(
          df + 7 * Math.sqrt(2 * df) + 12,
        );
      }
    }
  });

  it("scores a constant policy near chance", () => {
    const env = new TaskEnv(make(), Rng.fromSeed(5));
    // Continuous actions: go with the middle position.
    const action = env.task.continuousActions ? [1, 0.5] : Math.min(1, env.task.nActions - 1);
    const { performance, trials } = runPolicy(env, { act: () => action }, 400);
    expect(trials).toBe(400);
    expect(Math.abs(performance - row.chance)).toBeLessThanOrEqual(row.chanceTol ?? 0.08);
  });

  const oracleMin = row.oracleMin === undefined ? 0.99 : row.oracleMin;
  if (oracleMin === "beatsIdle") {
    it("an oracle reading the observations beats an idle policy on the same trials", () => {
      const t = make(row.oracleOptions ?? {});
      const score = (p: Parameters<typeof runPolicy>[1]): number =>
        runPolicy(new TaskEnv(t.fresh(), Rng.fromSeed(6), { noise: false }), p, 300).performance;
      expect(score(oracles[row.oracle ?? row.name]!(t))).toBeGreaterThan(score({ act: () => 0 }) + 0.02);
    });
  } else if (oracleMin !== null) {
    it(`an oracle reading the noiseless observations scores >= ${oracleMin}`, () => {
      const t = make(row.oracleOptions ?? {});
      const policy = oracles[row.oracle ?? row.name]!(t);
      const env = new TaskEnv(t, Rng.fromSeed(6), { noise: false });
      const { performance } = runPolicy(env, policy, 300);
      expect(performance).toBeGreaterThanOrEqual(oracleMin);
    });
  }
});
