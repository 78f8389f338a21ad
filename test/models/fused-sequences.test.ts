/**
 * The GRU, LSTM and HORN cells run a whole sequence in one fused kernel call; the step-by-step
 * path under `scan` is the reference. Both must give the same outputs, final states, traces and
 * gradients (float32, on the default kernel backend).
 */
import { describe, expect, it } from "vitest";
import {
  type Cell,
  Rng,
  type Tensor,
  type Tree,
  add,
  gru,
  horn,
  lstm,
  mul,
  randomNormal,
  runCell,
  sum,
  treeLeaves,
  valueAndGrad,
} from "../../src/index.ts";
import { maxAbsDiff } from "./helpers.ts";

interface Row {
  readonly name: string;
  readonly cell: Cell;
  readonly record: readonly string[];
}

const rows: Row[] = [
  { name: "GRU", cell: gru({ nIn: 3, nHidden: 13 }) as unknown as Cell, record: ["h"] },
  { name: "LSTM", cell: lstm({ nIn: 3, nHidden: 13 }) as unknown as Cell, record: ["h", "c"] },
  {
    name: "HORN (trainable constants, gain 1/sqrt(n), v ≠ 0)",
    cell: horn({
      nIn: 3,
      nHidden: 13,
      alpha: 0.5,
      h: 0.5,
      v: 0.1,
      recurrentGain: "inverseSqrtN",
      trainable: ["alpha", "omega", "gamma", "v"],
    }) as unknown as Cell,
    record: ["x", "y"],
  },
  {
    name: "HORN (per-unit constants, fixed)",
    cell: horn({
      nIn: 3,
      nHidden: 13,
      omega: Array.from({ length: 13 }, (_, i) => 0.1 + 0.02 * i),
    }) as unknown as Cell,
    record: ["y"],
  },
];

describe("fused sequence kernels give the step-by-step values and gradients", () => {
  it.each(rows)("$name", ({ cell, record }) => {
    const [T, B] = [7, 18];
    const params = cell.init(Rng.fromSeed(1));
    const xs = randomNormal(Rng.fromSeed(2), [T, B, 3]);
    const weights = randomNormal(Rng.fromSeed(3), [T, B, 13]);
    const fused = runCell(cell, params, xs, { record });
    const steps = runCell(cell, params, xs, { record, fused: false });
    expect(maxAbsDiff(fused.outputs, steps.outputs)).toBeLessThan(1e-5);
    for (const { path, leaf } of treeLeaves(steps.final)) {
      expect(maxAbsDiff(treeLeaves(fused.final).find((l) => l.path === path)!.leaf, leaf), path).toBeLessThan(
        1e-5,
      );
    }
    for (const r of record) expect(maxAbsDiff(fused.traces[r]!, steps.traces[r]!), r).toBeLessThan(1e-5);
    // A loss that reads every output and a recorded trace, so both cotangents reach the kernel.
    const loss = (fusedPath: boolean) => (p: Tree) => {
      const run = runCell(cell, p, xs, { record, fused: fusedPath });
      return add(sum(mul(run.outputs, weights)), sum(mul(run.traces[record.at(-1)!]!, weights)));
    };
    const a = valueAndGrad(loss(true))(params);
    const b = valueAndGrad(loss(false))(params);
    expect(a.value).toBeCloseTo(b.value, 3);
    const ga = treeLeaves(a.grads as Tree);
    const gb = treeLeaves(b.grads as Tree);
    expect(ga.map((l) => l.path)).toEqual(gb.map((l) => l.path));
    ga.forEach(({ path, leaf }, i) => {
      const ref = gb[i]!.leaf as Tensor;
      const scale = Math.max(...Array.from(ref.data, Math.abs));
      expect(scale, `${path} has a gradient`).toBeGreaterThan(0);
      expect(maxAbsDiff(leaf as Tensor, ref) / scale, path).toBeLessThan(1e-4);
    });
  });
});
