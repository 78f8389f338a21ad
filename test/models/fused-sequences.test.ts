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
  linearReadout,
  lstm,
  mul,
  sequenceModel,
  randomNormal,
  runCell,
  sum,
  treeLeaves,
  valueAndGrad,
} from "../../src/index.ts";
import { getBackend, setBackend } from "../../src/kernels/index.ts";
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

describe("a GRU or LSTM model folds its linear readout into the fused call", () => {
  const H = 13;
  const readouts = [
    ["a plain readout", linearReadout({ nIn: H, nOut: 3 })],
    [
      "a positive, masked readout without bias",
      linearReadout({
        nIn: H,
        nOut: 3,
        positive: true,
        bias: false,
        inputMask: [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1],
      }),
    ],
  ] as const;
  const cells = [
    ["GRU", () => gru({ nIn: 3, nHidden: H }) as unknown as Cell],
    ["LSTM", () => lstm({ nIn: 3, nHidden: H }) as unknown as Cell],
  ] as const;
  describe.each(cells)("%s", (_, cell) => {
    it.each(readouts)(
      "with %s: the outputs and gradients of the cell's run then the readout, bit for bit",
      (_r, readout) => {
        const [T, B] = [7, 5];
        const folded = sequenceModel(cell(), readout);
        // The same readout that does not offer its weights: the model runs the cell, then the readout.
        const { linear: _, ...linearless } = readout;
        const apart = sequenceModel(cell(), linearless);
        const params = folded.init(Rng.fromSeed(1));
        const xs = randomNormal(Rng.fromSeed(2), [T, B, 3]);
        const weights = randomNormal(Rng.fromSeed(3), [T, B, 3]);
        const run = folded.apply(params, xs);
        const reference = apart.apply(params, xs);
        expect([...run.outputs.data]).toEqual([...reference.outputs.data]);
        // The states stayed inside the fused call; reading them runs the cell again.
        expect([...run.hidden.data]).toEqual([...reference.hidden.data]);
        const loss = (m: typeof folded) => (p: Tree) =>
          sum(mul(m.apply(p as typeof params, xs).outputs, weights));
        const backend = getBackend();
        const reused: boolean[] = [];
        setBackend({
          ...backend,
          gatedForward: (f) => (reused.push(f.hsInto !== undefined), backend.gatedForward(f)),
        });
        let a, b;
        try {
          valueAndGrad(loss(folded))(params);
          // Folded, the second step writes its states into arrays a backward pass gave back; apart,
          // the caller receives them, so none can be reused.
          a = valueAndGrad(loss(folded))(params);
          b = valueAndGrad(loss(apart))(params);
        } finally {
          setBackend(backend);
        }
        expect(reused.slice(1)).toEqual([true, false]);
        expect(a.value).toBe(b.value);
        const data = (g: Tree) => treeLeaves(g).map(({ path, leaf }) => [path, [...(leaf as Tensor).data]]);
        expect(data(a.grads as Tree)).toEqual(data(b.grads as Tree));
      },
    );
  });

  it("runs the cell and the readout apart when asked to record states", () => {
    const model = sequenceModel(gru({ nIn: 3, nHidden: H }), linearReadout({ nIn: H, nOut: 3 }));
    const params = model.init(Rng.fromSeed(1));
    const xs = randomNormal(Rng.fromSeed(2), [4, 2, 3]);
    const run = model.apply(params, xs, { record: ["h"] });
    expect([...run.traces!["h"]!.data]).toEqual([...run.hidden.data]);
    expect([...run.outputs.data]).toEqual([...model.apply(params, xs).outputs.data]);
  });
});
