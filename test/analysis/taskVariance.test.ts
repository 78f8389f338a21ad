import { describe, expect, it } from "vitest";
import { Rng, add, fromData, matmul, tanh, tensor, type Tensor } from "../../src/core/index.ts";
import {
  clusterOrder,
  clusterUnits,
  kMeans,
  lesionEffects,
  lesionUnits,
  silhouette,
  taskVariance,
} from "../../src/analysis/index.ts";

/** Activity `[T, B, H]` with r[t, b, i] = gain[i] · s(t, b) + noise, s a per-trial stimulus ramp. */
function population(rng: Rng, gains: readonly number[], T: number, B: number, noise: number): Tensor {
  const H = gains.length;
  const s = Array.from({ length: B }, () => rng.normal());
  const x = new Float64Array(T * B * H);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let i = 0; i < H; i++)
        x[(t * B + b) * H + i] =
          (gains[i] as number) * (s[b] as number) * ((t + 1) / T) + noise * rng.normal();
  return fromData(x, [T, B, H]);
}

/** Per-cluster gain profiles over 4 tasks; units of cluster c get profile c scaled by 0.5–1.5. */
const PROFILES = [
  [1, 1, 0, 0],
  [0, 0, 1, 0],
  [0.2, 0, 0, 1],
];

function syntheticTasks(rng: Rng, perCluster: number) {
  const truth: number[] = [];
  const scale: number[] = [];
  PROFILES.forEach((_, c) => {
    for (let n = 0; n < perCluster; n++) {
      truth.push(c);
      scale.push(0.5 + rng.uniform());
    }
  });
  const tasks = [0, 1, 2, 3].map((k) =>
    population(
      rng,
      truth.map((c, i) => (PROFILES[c]?.[k] as number) * (scale[i] as number)),
      10,
      40,
      0.01,
    ),
  );
  return { truth, tasks };
}

/** Whether two labelings are the same partition (equal up to renaming the clusters). */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i] as number, b[i] as number];
    if ((map.get(x) ?? y) !== y || (back.get(y) ?? x) !== x) return false;
    map.set(x, y);
    back.set(y, x);
  }
  return true;
}

describe("taskVariance", () => {
  it("is the variance across trials averaged over time, normalised by each unit's maximum", () => {
    // r[t, b, i] = a[i, k] · c[b] · (t + 1): Var_b = a² · Var(c) · (t + 1)², mean over t = a² Var(c) · 14/3 for T = 3.
    const c = [1, -1, 3, 1]; // population variance 2
    const a = [
      [1, 2],
      [0.5, 0],
    ];
    const tasks = [0, 1].map((k) => {
      const x = new Float64Array(3 * 4 * 2);
      for (let t = 0; t < 3; t++)
        for (let b = 0; b < 4; b++)
          for (let i = 0; i < 2; i++)
            x[(t * 4 + b) * 2 + i] = (a[i]?.[k] as number) * (c[b] as number) * (t + 1);
      return fromData(x, [3, 4, 2]);
    });
    const tv = taskVariance(tasks);
    const f = (2 * 14) / 3;
    [1 * f, 4 * f, 0.25 * f, 0].forEach((v, j) => expect(tv.variance.data[j]).toBeCloseTo(v, 10));
    expect(Array.from(tv.normalized.data).map((v) => +v.toFixed(12))).toEqual([0.25, 1, 1, 0]);
    expect(tv.active).toEqual([true, true]);
  });

  it("marks units below minVariance inactive and leaves their normalised row 0", () => {
    const rng = Rng.fromSeed(1);
    const tv = taskVariance([population(rng, [1, 1e-3], 5, 20, 0), population(rng, [0.5, 0], 5, 20, 0)]);
    expect(tv.active).toEqual([true, false]);
    expect(Array.from(tv.normalized.data.subarray(2))).toEqual([0, 0]);
  });

  it("refuses tasks whose unit counts differ or with a single trial", () => {
    const rng = Rng.fromSeed(2);
    expect(() => taskVariance([population(rng, [1, 1], 3, 4, 0), population(rng, [1], 3, 4, 0)])).toThrow(
      /activity\[1\] must have shape \[T, B >= 2, 2\]/,
    );
    expect(() => taskVariance([population(rng, [1], 3, 1, 0)])).toThrow(/B >= 2/);
  });
});

describe("clustering units by task variance", () => {
  const rng = Rng.fromSeed(3);
  const { truth, tasks } = syntheticTasks(rng, 12);
  const { normalized } = taskVariance(tasks);

  it("recovers the planted clusters, and silhouette picks their number", () => {
    const fit = clusterUnits(normalized, { rng: Rng.fromSeed(0), kMax: 8 });
    expect(fit.k).toBe(3);
    expect(samePartition(fit.labels, truth)).toBe(true);
    const scores = new Map(fit.silhouettes.map((s) => [s.k, s.score]));
    for (const [k, s] of scores) if (k !== 3) expect(s).toBeLessThan(scores.get(3) as number);
  });

  it("orders units by cluster, clusters by the task where their centre peaks", () => {
    const fit = clusterUnits(normalized, { rng: Rng.fromSeed(0), kMax: 5 });
    // Profiles peak at tasks 0, 2, 3: the planted order, so units come out 0..35 in order.
    expect(fit.order).toEqual(truth.map((_, i) => i));
    expect(clusterOrder([1, 0, 1, 0], fromData(new Float64Array([0, 1, 1, 0]), [2, 2]))).toEqual([
      0, 2, 1, 3,
    ]);
  });

  it("kMeans finds the lowest inertia of its restarts and silhouette scores a bad split lower", () => {
    const X = fromData(new Float64Array([0, 0, 0.1, 0, 5, 5, 5.1, 5]), [4, 2]);
    const fit = kMeans(X, 2, { rng: Rng.fromSeed(4) });
    expect(samePartition(fit.labels, [0, 0, 1, 1])).toBe(true);
    expect(fit.inertia).toBeCloseTo(4 * 0.05 ** 2, 12);
    expect(silhouette(X, [0, 0, 1, 1])).toBeGreaterThan(0.9);
    expect(silhouette(X, [0, 1, 0, 1])).toBeLessThan(0);
    expect(() => kMeans(X, 5, { rng })).toThrow(/k must be an integer in \[1, N = 4\], got 5/);
  });
});

describe("lesionUnits", () => {
  const rng = Rng.fromSeed(6);
  const H = 6;
  const rand = (shape: [number, number]) =>
    fromData(
      Float64Array.from({ length: shape[0] * shape[1] }, () => rng.normal()),
      shape,
    );
  const params = {
    cell: { wIn: rand([2, H]), wRec: rand([H, H]), b: tensor(new Array(H).fill(0.1), [1, H], "float64") },
    readout: { w: rand([H, 3]), b: tensor([0, 0, 0], [1, 3], "float64") },
  };
  const step = (p: typeof params, h: Tensor) => {
    const next = tanh(add(matmul(h, p.cell.wRec), p.cell.b));
    return { next, out: add(matmul(h, p.readout.w), p.readout.b) };
  };

  it("zeroes exactly the lesioned units' influence on other units and on the readout", () => {
    const lesioned = lesionUnits(params, [1, 4]);
    const h = rand([1, H]);
    const kicked = fromData(
      h.data.map((v, i) => (i === 1 || i === 4 ? v + 3 : v)),
      [1, H],
    );
    const a = step(lesioned, h);
    const b = step(lesioned, kicked);
    expect(Array.from(b.next.data)).toEqual(Array.from(a.next.data));
    expect(Array.from(b.out.data)).toEqual(Array.from(a.out.data));
    // Kicking a spared unit still moves things: only the lesioned units were silenced.
    const spared = fromData(
      h.data.map((v, i) => (i === 0 ? v + 3 : v)),
      [1, H],
    );
    expect(Array.from(step(lesioned, spared).out.data)).not.toEqual(Array.from(a.out.data));
    // Rows of spared units and the other leaves are unchanged.
    for (const i of [0, 2, 3, 5])
      expect(Array.from(lesioned.cell.wRec.data.subarray(i * H, (i + 1) * H))).toEqual(
        Array.from(params.cell.wRec.data.subarray(i * H, (i + 1) * H)),
      );
    expect(lesioned.cell.wIn).toBe(params.cell.wIn);
    expect(Array.from(params.cell.wRec.data.subarray(H, 2 * H)).some((v) => v !== 0)).toBe(true);
  });

  it("names a missing leaf and an out-of-range unit", () => {
    expect(() => lesionUnits(params, [0], ["cell.wOut"])).toThrow(/"cell.wOut"/);
    expect(() => lesionUnits(params, [H])).toThrow(/units must be integers in \[0, 6\), got 6/);
  });

  it("lesionEffects reports each group's drop in every task's score", () => {
    // Score of "task" k: the sum of |readout row k mod H| — depends only on which rows survive.
    const score = (p: typeof params) =>
      [0, 1].map((k) =>
        Array.from(p.readout.w.data.subarray(k * 3, k * 3 + 3)).reduce((s, v) => s + Math.abs(v), 0),
      );
    const { baseline, drop } = lesionEffects(params, [[0], [1], [2]], score);
    expect(drop[0]).toEqual([baseline[0], 0]);
    expect(drop[1]).toEqual([0, baseline[1]]);
    expect(drop[2]).toEqual([0, 0]);
  });
});
