/**
 * braints against PyTorch: float64 losses and gradients of every model family, computed by
 * test/models/reference/pytorch.py (PyTorch's own nn.RNN, nn.GRU and nn.LSTM; transcriptions of
 * the leaky RNN, HORN and LIF with its surrogate spike) and committed as pytorch.json.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Cell,
  Rng,
  type Tensor,
  type Tree,
  concat,
  gru,
  horn,
  leakyRNN,
  lif,
  lstm,
  mul,
  runCell,
  sum,
  tensor,
  treeLeaves,
  valueAndGrad,
  vanillaRNN,
} from "../../src/index.ts";

interface Stored {
  readonly shape: number[];
  readonly data: number[];
}
interface Case {
  readonly name: string;
  readonly factory: keyof typeof factories;
  readonly options: never;
  readonly probe?: string[];
  readonly xs: Stored;
  readonly weights: Stored;
  readonly params: Record<string, Stored>;
  readonly loss: number;
  readonly grads: Record<string, Stored>;
}

const factories = { leakyRNN, vanillaRNN, gru, lstm, horn, lif } as const;
const fixture = JSON.parse(readFileSync(new URL("reference/pytorch.json", import.meta.url), "utf8")) as {
  cases: Case[];
};
const f64 = (s: Stored) => tensor(s.data, s.shape, "float64");

/** Largest |a − b| relative to max(1, |b|) over all entries. */
function relativeError(a: Tensor, b: Stored): number {
  expect(a.shape).toEqual(b.shape);
  const scale = Math.max(1, ...b.data.map(Math.abs));
  return Math.max(...b.data.map((v, i) => Math.abs((a.data[i] as number) - v))) / scale;
}

describe("float64 losses and gradients match PyTorch's", () => {
  it("covers every model family", () => {
    expect(new Set(fixture.cases.map((c) => c.factory))).toEqual(new Set(Object.keys(factories)));
  });

  it.each(fixture.cases)("$name", (c) => {
    const cell = (factories[c.factory] as (o: never) => Cell)(c.options);
    const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, f64(v)]));
    // The fixture's parameters are the model's own tree: same leaves, same shapes.
    const expected = treeLeaves(cell.init(Rng.fromSeed(0))).map((l) => [l.path, l.leaf.shape]);
    expect(treeLeaves(params).map((l) => [l.path, l.leaf.shape])).toEqual(expected);
    const xs = f64(c.xs);
    const weights = f64(c.weights);
    const { value, grads } = valueAndGrad((p: Tree) => {
      const { outputs, traces } = runCell(cell, p, xs, { record: c.probe ?? [] });
      const out = c.probe ? concat([outputs, ...c.probe.map((k) => traces[k] as Tensor)], 2) : outputs;
      return sum(mul(out, weights));
    })(params);
    expect(Math.abs(value - c.loss) / Math.max(1, Math.abs(c.loss))).toBeLessThan(1e-12);
    for (const [k, g] of Object.entries(grads as Record<string, Tensor>)) {
      expect(relativeError(g, c.grads[k] as Stored), `gradient of ${k}`).toBeLessThan(1e-10);
    }
  });
});
