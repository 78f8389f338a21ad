/**
 * Oracle policies for the conformance table: each reads only the (noiseless) observations of the
 * current trial and answers as an ideal observer would.
 */
import type { Policy } from "../../src/tasks/env.ts";
import type { Task } from "../../src/tasks/task.ts";
import { gaussianBump, yang19TaskNames } from "../../src/tasks/collections/yang19.ts";
import { createTask } from "../../src/tasks/registry.ts";

/** Remembers the rows of the current trial and answers when `respond` says so. */
export function memoryPolicy(
  decide: (rows: readonly Float32Array[], ob: Float32Array) => number,
  respond: (rows: readonly Float32Array[], ob: Float32Array) => boolean,
): Policy {
  let rows: Float32Array[] = [];
  return {
    reset: () => {
      rows = [];
    },
    act(ob) {
      const r = respond(rows, ob) ? decide(rows, ob) : 0;
      rows.push(ob);
      return r;
    },
  };
}

const sum = (rows: readonly Float32Array[], cols: readonly number[]): number[] =>
  cols.map((c) => rows.reduce((a, r) => a + (r[c] ?? 0), 0));
const argmax = (v: readonly number[]): number =>
  v.reduce((best, x, i) => (x > (v[best] ?? -Infinity) ? i : best), 0);
const isZero = (ob: Float32Array): boolean => ob.every((v) => v === 0);
const fixOff = (_: readonly Float32Array[], ob: Float32Array): boolean => ob[0] === 0;
const seen = (rows: readonly Float32Array[], cols: readonly number[]): boolean =>
  rows.some((r) => cols.some((c) => r[c] !== 0));
const countOn = (rows: readonly Float32Array[], c: number): number => rows.filter((r) => r[c] !== 0).length;

/** Steps since the fixation cue went off (0 on the first step without it). */
function productionStep(rows: readonly Float32Array[], ob: Float32Array): number {
  const all = [...rows, ob];
  return all.length - 1 - all.findIndex((r) => r[0] === 0);
}

/** Ring argmax of accumulated evidence on `cols`, answered as action `1 + index`. */
function ringAccumulator(
  cols: readonly number[],
  respond = (rows: readonly Float32Array[], ob: Float32Array) => isZero(ob) && seen(rows, cols),
): Policy {
  return memoryPolicy((rows) => 1 + argmax(sum(rows, cols)), respond);
}

/** Angle decoded from a cosine-tuned population `r_k ∝ cos(θ_k − φ)` on `n` units. */
function decodeAngle(ob: Float32Array, offset: number, n: number, base = 0): number {
  let x = 0;
  let y = 0;
  for (let k = 0; k < n; k++) {
    const th = (2 * Math.PI * k) / n;
    const r = (ob[offset + k] ?? 0) - base;
    x += r * Math.cos(th);
    y += r * Math.sin(th);
  }
  const a = Math.atan2(y, x);
  return a < 0 ? a + 2 * Math.PI : a;
}

/** Oracles by task name (tasks where an ideal observer of the observations exists). */
export const oracles: Record<string, (task: Task) => Policy> = {
  PerceptualDecisionMaking: (t) => ringAccumulator(t.channel("stimulus")),
  ContextDecisionMaking: (t) => ringAccumulator(t.channel("mod1")),
  MultiSensoryIntegration: (t) => {
    const r = t.channel("stimulus_mod1").length;
    return memoryPolicy(
      (rows) => {
        const a = sum(rows, t.channel("stimulus_mod1"));
        const b = sum(rows, t.channel("stimulus_mod2"));
        return 1 + argmax(a.slice(0, r).map((v, i) => v + (b[i] ?? 0)));
      },
      (rows, ob) => isZero(ob) && rows.length > 0,
    );
  },
  PerceptualDecisionMakingDelayResponse: () => memoryPolicy((rows) => 1 + argmax(sum(rows, [1, 2])), fixOff),
  PulseDecisionMaking: () =>
    memoryPolicy((rows) => 1 + argmax(sum(rows, [1, 2]).map((v, i) => v + i * 1e-9)), fixOff),
  DelayComparison: () =>
    memoryPolicy((rows) => {
      const levels = rows.map((r) => r[1] ?? 0).filter((v) => v !== 0);
      return levels[0]! > levels[levels.length - 1]! ? 1 : 2;
    }, fixOff),
  DelayMatchSample: (t) => {
    const cols = t.channel("stimulus");
    return memoryPolicy((rows) => {
      const shown = rows.filter((r) => cols.some((c) => r[c] !== 0));
      const a = shown[0]!;
      const b = shown[shown.length - 1]!;
      return cols.every((c) => Math.abs((a[c] ?? 0) - (b[c] ?? 0)) < 1e-6) ? 1 : 2;
    }, fixOff);
  },
  DelayMatchCategory: (t) => {
    const cols = t.channel("stimulus");
    const half = (r: Float32Array): number => (decodeAngle(r, cols[0]!, cols.length, 0.5) < Math.PI ? 0 : 1);
    return memoryPolicy((rows, ob) => {
      const sample = rows.find((r) => r[0] === 1 && cols.some((c) => r[c] !== 0))!;
      return half(sample) === half(ob) ? 1 : 2;
    }, fixOff);
  },
  GoNogo: () => memoryPolicy((rows) => (countOn(rows, 2) > 0 ? 1 : 0), fixOff),
  DelayPairedAssociation: () =>
    memoryPolicy((rows) => {
      const on = rows.map((r) => [1, 2, 3, 4].find((c) => r[c] !== 0)).filter((c) => c !== undefined);
      return ((on[on.length - 1] as number) - (on[0] as number)) % 2 === 0 ? 1 : 0;
    }, fixOff),
  IntervalDiscrimination: () => memoryPolicy((rows) => (countOn(rows, 1) > countOn(rows, 2) ? 1 : 2), fixOff),
  AntiReach: (t) => {
    const n = t.channel("stimulus").length;
    return memoryPolicy((rows) => {
      const stim = rows.find((r) => r.slice(1).some((v) => v !== 0))!;
      const k = Math.round((decodeAngle(stim, 1, n) / (2 * Math.PI)) * n) % n;
      return 1 + ((k + n / 2) % n);
    }, fixOff);
  },
  DualDelayMatchSample: () => {
    const item = (r: Float32Array, off: number): [number, number] => [r[off] ?? 0, r[off + 1] ?? 0];
    return memoryPolicy(
      (rows, ob) => {
        const sample = rows.find((r) => r[1] !== 0 || r[2] !== 0)!;
        const off = ob[1] !== 0 || ob[2] !== 0 ? 1 : 3;
        const [a, b] = item(sample, off);
        const [c, d] = item(ob, off);
        return Math.abs(a - c) < 1e-6 && Math.abs(b - d) < 1e-6 ? 1 : 2;
      },
      (rows, ob) => seen(rows, [5, 6]) && [1, 2, 3, 4].some((c) => ob[c] !== 0),
    );
  },
  PostDecisionWager: () =>
    memoryPolicy(
      (rows, ob) => {
        const [a, b] = sum(rows, [1, 2]) as [number, number];
        if (Math.abs(a - b) < 1e-6) return ob[3] === 1 ? 3 : 1;
        return a > b ? 1 : 2;
      },
      (rows, ob) => ob[0] === 0 && rows.length > 0,
    ),
  EconomicDecisionMaking: () =>
    memoryPolicy(
      (rows) => {
        const r = rows.find((x) => x[5] !== 0 || x[6] !== 0)!;
        const value = (isA: boolean, n: number): number => n * (isA ? 1 : 1 / 2.2);
        return value(r[1] === 1, r[5]! * 5) > value(r[3] === 1, r[6]! * 5) ? 1 : 2;
      },
      (rows, ob) => ob[0] === 0 && rows.length > 0,
    ),
  DelayMatchSampleDistractor1D: () =>
    memoryPolicy(
      (rows, ob) => {
        const sample = rows.find((r) => r[0] === 0 && r.some((v) => v !== 0))!;
        return sample.every((v, i) => Math.abs(v - (ob[i] ?? 0)) < 1e-6) ? 1 : 0;
      },
      (rows, ob) => rows.some((r) => r[0] === 0 && r.some((v) => v !== 0)) && ob.some((v) => v !== 0),
    ),
  ProbabilisticReasoning: (t) => {
    const nShape = (t.params as unknown as { shapeWeight: number[] }).shapeWeight.length;
    const w = (t.params as unknown as { shapeWeight: number[] }).shapeWeight;
    return memoryPolicy(
      (rows) => {
        const last = [...rows].reverse().find((r) => r.slice(1).some((v) => v !== 0))!;
        let logOdd = 0;
        for (let i = 1; i < last.length; i++) if (last[i] === 1) logOdd += w[(i - 1) % nShape] ?? 0;
        return logOdd > 0 ? 2 : 1;
      },
      (rows, ob) => ob[0] === 0 && rows.length > 0,
    );
  },
  ReadySetGo: (t) =>
    memoryPolicy(
      (rows, ob) => {
        const ready = rows.findIndex((r) => r[1] === 1);
        const set = rows.findIndex((r) => r[2] === 1);
        return productionStep(rows, ob) === set - ready - 1 ? 1 : 0;
      },
      (rows, ob) => ob[0] === 0 && rows.length > 0 && t.dtMs > 0,
    ),
  MotorTiming: (t) =>
    memoryPolicy(
      (rows, ob) => {
        const interval = rows.some((r) => r[1] === 1) ? 800 : 1500;
        return productionStep(rows, ob) === Math.floor(interval / t.dtMs) ? 1 : 0;
      },
      (rows, ob) => ob[0] === 0 && rows.length > 0,
    ),
  OneTwoThreeGo: () =>
    memoryPolicy(
      (rows) => {
        const on = rows.map((r, i) => (r[1] === 1 ? i : -1)).filter((i) => i >= 0);
        const pulse = on.findIndex((i, k) => k > 0 && i !== (on[k - 1] as number) + 1);
        const firstEnd = (on[pulse - 1] as number) + 1;
        const interval = (on[pulse] as number) - firstEnd;
        return rows.length - 1 - (on[on.length - 1] as number) === interval ? 1 : 0;
      },
      (rows) => rows.filter((r) => r[1] === 1).length >= 3 && rows[rows.length - 1]?.[1] !== 1,
    ),
  // Reaction time: noiseless evidence is decisive at once, so answer on the first step of the decision
  // period (the second stimulus step).
  reactionTime: (t) => {
    const cols = t.channel("stimulus");
    return memoryPolicy(
      (rows) => 1 + argmax(sum(rows, cols)),
      (rows, ob) => seen(rows, cols) && cols.some((c) => ob[c] !== 0),
    );
  },
  // PerceptualDecisionMaking or its delayed-response form, told apart by the rule input.
  scheduled: (t) => {
    const cols = t.channel("stimulus");
    const rule = t.channel("rule");
    return memoryPolicy(
      (rows) => 1 + argmax(sum(rows, cols).map((v, i) => v + i * 1e-9)),
      (rows, ob) =>
        ob[rule[0]!] === 1
          ? cols.every((c) => ob[c] === 0) && seen(rows, cols)
          : ob[0] === 0 && rows.length > 0 && cols.every((c) => ob[c] === 0) && seen(rows, cols),
    );
  },
  yang19: (t) => yang19Oracle(t),
  yang19Env: () => yang19EnvOracle(yang19TaskNames, (n) => createTask(`yang19.${n}`)),
  ReachingDelayResponse: () => {
    let position = 0;
    return {
      act(ob) {
        if (ob[0] === 0 && ob[1] !== -0.5) position = ob[1]!;
        return ob[0] === 1 ? [1, position] : [-1, -0.5];
      },
    };
  },
  AnnubesEnv: (t) => {
    const types = t.obColumnNames.slice(2).map((_, i) => i + 2);
    return { act: (ob) => (ob[1] !== 0 && types.some((c) => ob[c] !== 0) ? 1 : 0) };
  },
  Detection: () => ({ act: (ob) => (ob[0] === 0 && (ob[1] ?? 0) > 0 ? 1 : 0) }),
  Reaching1DWithSelfDistraction: (t) => {
    // The input is the vector e^{i·arm} + 0.3·e^{i·target} on a cosine ring. In fixation it has length
    // 1 and gives the arm; in reach the policy moves the arm by its own actions and subtracts it.
    const n = t.obDim;
    let arm = Math.PI;
    let last = 0;
    let reaching = false;
    return {
      reset: () => {
        reaching = false;
      },
      act(ob) {
        let x = 0;
        let y = 0;
        for (let k = 0; k < n; k++) {
          x += ((ob[k] ?? 0) * Math.cos((2 * Math.PI * k) / n) * 2) / n;
          y += ((ob[k] ?? 0) * Math.sin((2 * Math.PI * k) / n) * 2) / n;
        }
        if (!reaching && Math.abs(Math.hypot(x, y) - 1) < 1e-4) {
          arm = Math.atan2(y, x);
          last = 0;
          return 0;
        }
        reaching = true;
        arm += last === 1 ? 0.05 : last === 2 ? -0.05 : 0;
        let d = Math.atan2(y - Math.sin(arm), x - Math.cos(arm)) - arm;
        d = Math.atan2(Math.sin(d), Math.cos(d));
        last = Math.abs(d) < 0.025 ? 0 : d > 0 ? 1 : 2;
        return last;
      },
    };
  },
  Reaching1D: (t) => {
    const n = t.channel("target").length;
    return {
      act(ob) {
        if (ob.slice(0, n).every((v) => v === 0)) return 0;
        const target = decodeAngle(ob, 0, n);
        const self = decodeAngle(ob, n, n);
        let d = target - self;
        if (d > Math.PI) d -= 2 * Math.PI;
        if (d < -Math.PI) d += 2 * Math.PI;
        return Math.abs(d) < 0.025 ? 0 : d > 0 ? 1 : 2;
      },
    };
  },
};

/** The ideal observer of one Yang-19 task, from its options; it reads the first 33 inputs only. */
export function yang19Oracle(task: Task): Policy {
  const p = task.params as unknown as {
    dimRing: number;
    anti?: boolean;
    reaction?: boolean;
    wMod?: readonly number[];
    stimMod?: readonly boolean[];
    delayComparison?: boolean;
    matchTo?: "sample" | "category";
    matchGo?: boolean;
  };
  const n = p.dimRing;
  const width = 1 + 2 * n;
  const templates = Array.from({ length: n }, (_, k) => gaussianBump((2 * Math.PI * k) / n, n, 1));
  const mod = (x: Float32Array, m: number): number[] => Array.from(x.subarray(1 + m * n, 1 + (m + 1) * n));
  const hasStim = (x: Float32Array): boolean => x.subarray(1, width).some((v) => v !== 0);
  const peak = (x: Float32Array): number => argmax(Array.from(x.subarray(1, width))) % n;
  /** The rows where a stimulus segment starts. */
  const segments = (rows: readonly Float32Array[]): Float32Array[] =>
    rows.filter((r, i) => hasStim(r) && (i === 0 || !hasStim(rows[i - 1]!)));
  /** Two bumps in one row: the pair of directions and strengths that fit each modality exactly. */
  const fitPair = (x: Float32Array): { i: number; j: number; a: number[]; b: number[] } => {
    let best = { err: Infinity, i: 0, j: 0, a: [0, 0], b: [0, 0] };
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const gi = templates[i]!;
        const gj = templates[j]!;
        let err = 0;
        const a = [0, 0];
        const b = [0, 0];
        for (const m of [0, 1]) {
          if (p.stimMod?.[m] !== true) continue;
          const y = mod(x, m);
          const dot = (u: readonly number[], v: readonly number[]) => u.reduce((s, w, k) => s + w * v[k]!, 0);
          const [gii, gjj, gij, yi, yj] = [dot(gi, gi), dot(gj, gj), dot(gi, gj), dot(y, gi), dot(y, gj)];
          const det = gii * gjj - gij * gij;
          a[m] = (yi * gjj - yj * gij) / det;
          b[m] = (yj * gii - yi * gij) / det;
          err += y.reduce((s, v, k) => s + (v - a[m]! * gi[k]! - b[m]! * gj[k]!) ** 2, 0);
        }
        if (err < best.err) best = { err, i, j, a, b };
      }
    }
    return best;
  };
  const weighted = (s: readonly number[]): number =>
    (p.wMod ?? [1, 1]).reduce((acc, w, m) => acc + w * (s[m] ?? 0), 0);
  if (p.matchTo !== undefined) {
    return memoryPolicy(
      (rows) => {
        const [sample, test] = segments(rows).map(peak) as [number, number];
        const match =
          p.matchTo === "sample" ? sample === test : (sample > n / 2 ? 1 : 0) === (test >= n / 2 ? 1 : 0);
        return match === p.matchGo ? 1 + test : 0;
      },
      (rows, ob) => !hasStim(ob) && ob[0] === 0 && segments(rows).length === 2,
    );
  }
  if (p.delayComparison !== undefined) {
    return memoryPolicy(
      (rows) => {
        const segs = segments(rows);
        if (p.delayComparison === true) {
          const [s1, s2] = segs as [Float32Array, Float32Array];
          const strength = (x: Float32Array) => [0, 1].map((m) => Math.max(...mod(x, m)) / 0.8);
          return 1 + (weighted(strength(s1)) > weighted(strength(s2)) ? peak(s1) : peak(s2));
        }
        const fit = fitPair(segs[0]!);
        return 1 + (weighted(fit.a) > weighted(fit.b) ? fit.i : fit.j);
      },
      (rows, ob) =>
        !hasStim(ob) &&
        ob[0] === 0 &&
        rows.length > 0 &&
        segments(rows).length === (p.delayComparison ? 2 : 1),
    );
  }
  return memoryPolicy(
    (rows, ob) => {
      const k = peak(p.reaction === true ? ob : segments(rows)[0]!);
      return 1 + (p.anti === true ? (k + n / 2) % n : k);
    },
    (rows, ob) => ob[0] === 0 && (p.reaction === true || rows.length > 0),
  );
}

/** The Yang-19 environment's observer: the rule input says which task's observer answers. */
export function yang19EnvOracle(names: readonly string[], make: (name: string) => Task): Policy {
  const subs = names.map((nm) => yang19Oracle(make(nm)));
  return {
    reset: () => subs.forEach((s) => s.reset?.()),
    act(ob) {
      const rule = ob.subarray(ob.length - names.length);
      return subs[rule.findIndex((v) => v === 1)]!.act(ob.subarray(0, ob.length - names.length));
    },
  };
}
