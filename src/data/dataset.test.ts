import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { createTask } from "../tasks/registry.ts";
import type { BaseParams, TaskSpec } from "../tasks/spec.ts";
import { type Task, makeTask } from "../tasks/task.ts";
import { Dataset, type DatasetOptions, defaultCacheLen } from "./dataset.ts";
import { toBatchFirst } from "./layout.ts";

/**
 * NeuroGym's stream the plain way: each column's trials sampled whole with `sampleTrial` (fresh
 * arrays, info and all), laid end to end and cut at the cache length; windows sliced out in order;
 * the cache refilled when a window would reach its end. Time-major windows.
 */
function referenceWindows(
  task: Task,
  opts: { batchSize: number; seqLen: number; seed: number; cacheLen?: number },
  count: number,
): { inputs: number[]; target: number[]; mask: number[] }[] {
  const { batchSize: B, seqLen: T, seed } = opts;
  const D = task.obDim;
  const G = task.gtDim;
  const L = defaultCacheLen(D, B, T, opts.cacheLen);
  const columns = Array.from({ length: B }, (_, b) => ({
    task: task.fresh(),
    rng: Rng.fromSeed(seed).fold("data", "column", b),
  }));
  const fill = () =>
    columns.map(({ task: t, rng }) => {
      const ob: number[] = [];
      const gt: number[] = [];
      const mask: number[] = [];
      while (mask.length < L) {
        const trial = t.sampleTrial(rng);
        ob.push(...trial.ob);
        gt.push(...trial.gt);
        mask.push(...trial.mask);
      }
      return { ob: ob.slice(0, L * D), gt: gt.slice(0, L * G), mask: mask.slice(0, L) };
    });
  let cache = fill();
  let start = 0;
  const windows = [];
  for (let k = 0; k < count; k++) {
    if (start + T >= L) {
      cache = fill();
      start = 0;
    }
    const w = { inputs: [] as number[], target: [] as number[], mask: [] as number[] };
    for (let t = start; t < start + T; t++) {
      for (const c of cache) {
        w.inputs.push(...c.ob.slice(t * D, (t + 1) * D));
        w.target.push(...c.gt.slice(t * G, (t + 1) * G));
        w.mask.push(c.mask[t] as number);
      }
    }
    windows.push(w);
    start += T;
  }
  return windows;
}

describe("Dataset (NeuroGym stream semantics)", () => {
  it("rounds the default cache up past a multiple of seqLen (PDM, B 16, seqLen 100 → 1600)", () => {
    expect(defaultCacheLen(3, 16, 100)).toBe(1600);
    expect(defaultCacheLen(3, 16, 100, 1500)).toBe(1600);
    expect(defaultCacheLen(3, 16, 100, 1550)).toBe(1600);
    const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 16, seqLen: 100 });
    expect(ds.cacheLen).toBe(1600);
  });

  it("serves 15 windows per cache, then refills with fresh trials", () => {
    const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 16, seqLen: 100, seed: 1 });
    expect(ds.cachesFilled).toBe(1);
    for (let i = 0; i < 15; i++) ds.next();
    expect(ds.cachesFilled).toBe(1);
    ds.next();
    expect(ds.cachesFilled).toBe(2);
  });

  it("concatenates whole trials per column: each window continues the trial structure", () => {
    const ds = new Dataset(createTask("PerceptualDecisionMaking"), { batchSize: 2, seqLen: 50, seed: 3 });
    const a = ds.next().value;
    const b = ds.next().value;
    expect(a.inputs).toHaveLength(50 * 2 * 3);
    expect(a.target).toHaveLength(50 * 2);
    // Column 0 over 100 steps: every 22 steps a trial starts with fixation 1 and ends with a choice.
    const fix = (t: number): number => (t < 50 ? a.inputs[t * 2 * 3]! : b.inputs[(t - 50) * 2 * 3]!);
    const gt = (t: number): number => (t < 50 ? a.target[t * 2]! : b.target[(t - 50) * 2]!);
    for (let t = 0; t < 100; t++) {
      expect(fix(t)).toBe(t % 22 === 0 ? 1 : 0);
      expect(gt(t) !== 0).toBe(t % 22 === 21);
    }
  });

  it("is seeded: the same seed gives the same stream; columns, seeds and held-out windows never share one", () => {
    const task = createTask("DelayComparison");
    const window = (seed: number, stream: "data" | "eval" = "data") =>
      new Dataset(task, { batchSize: 3, seqLen: 40, seed, stream }).next().value;
    const column = (w: ReturnType<typeof window>, b: number) =>
      Array.from({ length: 40 * 2 }, (_, i) => w.inputs[(Math.floor(i / 2) * 3 + b) * 2 + (i % 2)]);
    const x = window(9);
    expect(Array.from(x.inputs)).toEqual(Array.from(window(9).inputs));
    // Every column of seeds 9 and 10, training and held-out: 12 streams, no two alike.
    const columns = [window(9), window(10), window(9, "eval"), window(10, "eval")].flatMap((w) =>
      [0, 1, 2].map((b) => JSON.stringify(column(w, b))),
    );
    expect(new Set(columns).size).toBe(12);
  });

  it("lays batches out batch-first on request and stops after maxBatch", () => {
    const task = createTask("GoNogo");
    const tm = new Dataset(task, { batchSize: 2, seqLen: 30, seed: 0 }).next().value;
    const bf = new Dataset(task, { batchSize: 2, seqLen: 30, seed: 0, layout: "batch-first", maxBatch: 2 });
    const v = bf.next().value;
    for (let t = 0; t < 30; t++) {
      for (let b = 0; b < 2; b++) {
        expect(v.target[b * 30 + t]).toBe(tm.target[t * 2 + b]);
        expect(v.inputs[(b * 30 + t) * 3 + 2]).toBe(tm.inputs[(t * 2 + b) * 3 + 2]);
      }
    }
    expect([...bf]).toHaveLength(1);
  });

  it("serves the windows of trials sampled one by one and laid end to end, for tasks of every kind", () => {
    // Windows shorter and longer than trials, trials cut at the cache's end, trials longer than the
    // cache (PerceptualDecisionMaking at dt 20 is 110 steps), one column and several; tasks that
    // write every trial straight into the cache, one that reads its arrays while building
    // (Detection), vector regression targets (ReachingDelayResponse), other loss masks, and tasks
    // made by wrappers and schedules (ibl20, yang19), which are sampled and copied.
    const cases: [string, Readonly<Record<string, unknown>>, DatasetOptions & { seqLen: number }][] = [
      ["PerceptualDecisionMaking", {}, { batchSize: 3, seqLen: 7, seed: 1 }],
      ["PerceptualDecisionMaking", { dtMs: 20 }, { batchSize: 2, seqLen: 50, seed: 2, cacheLen: 60 }],
      ["PerceptualDecisionMaking", { lossMask: "all" }, { batchSize: 1, seqLen: 30, seed: 3, cacheLen: 100 }],
      ["AntiReach", { dtMs: 100 }, { batchSize: 4, seqLen: 100, seed: 0 }],
      ["AntiReach", { lossMask: { fixation: 0.25, decision: 2 } }, { batchSize: 1, seqLen: 13, seed: 4 }],
      [
        "DelayComparison",
        { timing: { delay: [200, 800, 3200] } },
        { batchSize: 3, seqLen: 20, seed: 5, cacheLen: 70 },
      ],
      ["Detection", {}, { batchSize: 2, seqLen: 25, seed: 6, cacheLen: 90 }],
      ["ReachingDelayResponse", {}, { batchSize: 2, seqLen: 11, seed: 7, cacheLen: 40 }],
      ["ibl20", {}, { batchSize: 2, seqLen: 40, seed: 8, cacheLen: 100 }],
      ["yang19", {}, { batchSize: 2, seqLen: 60, seed: 9, cacheLen: 150 }],
    ];
    for (const [name, options, opts] of cases) {
      const task = createTask(name, options);
      const ds = new Dataset(task, opts);
      const count = 3 * Math.ceil(ds.cacheLen / opts.seqLen);
      const want = referenceWindows(task, { batchSize: 1, seed: 0, ...opts }, count);
      expect(ds.cachesFilled).toBe(1);
      for (const w of want) {
        const got = ds.next().value;
        expect(Array.from(got.inputs), name).toEqual(w.inputs);
        expect(Array.from(got.target), name).toEqual(w.target);
        expect(Array.from(got.mask), name).toEqual(w.mask);
      }
      expect(ds.cachesFilled).toBeGreaterThan(2);
    }
    // Batch-first windows are the same, transposed.
    const task = createTask("PerceptualDecisionMaking", { dtMs: 20 });
    const opts = { batchSize: 3, seqLen: 40, seed: 10, cacheLen: 90 };
    const bf = new Dataset(task, { ...opts, layout: "batch-first" });
    for (const w of referenceWindows(task, opts, 8)) {
      const got = bf.next().value;
      expect(Array.from(got.inputs)).toEqual(Array.from(toBatchFirst(Float32Array.from(w.inputs), 40, 3, 3)));
      expect(Array.from(got.mask)).toEqual(Array.from(toBatchFirst(Float32Array.from(w.mask), 40, 3)));
    }
  });

  it("hands out views of its memory on request: the same windows, overwritten by the next call", () => {
    const task = createTask("PerceptualDecisionMaking", { dtMs: 20 });
    for (const layout of ["time-major", "batch-first"] as const) {
      const opts = { batchSize: 3, seqLen: 40, seed: 12, cacheLen: 90, layout };
      const copies = new Dataset(task, opts);
      const views = new Dataset(task, { ...opts, views: true });
      expect(views.views).toBe(true);
      const first = views.next().value;
      const kept = Array.from(first.inputs);
      expect(kept).toEqual(Array.from(copies.next().value.inputs));
      for (let k = 1; k < 12; k++) {
        const c = copies.next().value;
        const v = views.next().value;
        expect(Array.from(v.inputs), layout).toEqual(Array.from(c.inputs));
        expect(Array.from(v.target), layout).toEqual(Array.from(c.target));
        expect(Array.from(v.mask), layout).toEqual(Array.from(c.mask));
        // Views share the dataset's memory; copies have their own.
        expect(v.inputs.buffer).toBe(first.inputs.buffer);
        expect(c.inputs.buffer).not.toBe(copies.next().value.inputs.buffer);
        views.next();
      }
      expect(views.cachesFilled).toBeGreaterThan(3);
      expect(Array.from(first.inputs)).not.toEqual(kept);
    }
    expect(() => new Dataset(task, { views: 1 as unknown as boolean })).toThrow(
      "Dataset(PerceptualDecisionMaking): views must be true or false, got 1",
    );
  });

  it("scores only the periods a trial has, when its response period comes and goes from trial to trial", () => {
    // Catch trials have no decision period (a wait instead, of the same rows and longer), so a
    // restarted builder's table still holds the previous trial's decision bounds: they must not
    // reach this trial's mask.
    const catchTrials: TaskSpec<BaseParams, { readonly catchTrial: boolean }> = {
      name: "CatchTrials",
      summary: "A decision period on half the trials, a wait on the others.",
      reference: null,
      tags: [],
      defaults: { dtMs: 100, timing: { fixation: 100, decision: 200, wait: 300 }, rewards: {} },
      layout: () => ({ observation: { fixation: 0 }, actions: { fixation: 0, go: 1 } }),
      responsePeriods: () => ["decision"],
      draw: (rng) => ({ catchTrial: rng.uniform() < 0.5 }),
      build(b, c) {
        b.addPeriods(["fixation", c.catchTrial ? "wait" : "decision"]);
        b.setOb(1, "fixation");
        if (!c.catchTrial) b.setGroundTruth(1, "decision");
        return c;
      },
      rl: { step: () => ({ reward: 0, newTrial: false }) },
    };
    const task = makeTask(catchTrials);
    const opts = { batchSize: 2, seqLen: 10, seed: 11, cacheLen: 40 };
    const ds = new Dataset(task, opts);
    const want = referenceWindows(task, opts, 12);
    expect(new Set(want.flatMap((w) => w.mask))).toEqual(new Set([0, 1]));
    for (const w of want) expect(Array.from(ds.next().value.mask)).toEqual(w.mask);
  });

  it("refuses RL-only tasks and bad sizes", () => {
    expect(() => new Dataset(createTask("DawTwoStep"))).toThrow("Dataset(DawTwoStep): the task is RL-only");
    expect(() => new Dataset(createTask("GoNogo"), { seqLen: 0 })).toThrow(
      "Dataset(GoNogo): seqLen must be an integer >= 1, got 0",
    );
    const empty = { fixation: 0, stimulus: 0, delay: 0, decision: 0 };
    expect(() => new Dataset(createTask("PerceptualDecisionMaking", { timing: empty }))).toThrow(
      "Dataset(PerceptualDecisionMaking): the task made a trial of 0 steps",
    );
    expect(() => new Dataset(createTask("GoNogo"), { stream: "test" as "eval" })).toThrow(
      'Dataset(GoNogo): stream must be "data" or "eval", got "test"',
    );
  });
});
