import { describe, expect, it } from "vitest";
import { tensor } from "../../index.ts";
import { maxAbsDiff } from "../../../test/models/helpers.ts";
import type { GatedParams } from "./gates.ts";
import { gru } from "./gru.ts";
import { lstm } from "./lstm.ts";

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** PyTorch layout: weight_ih [G·H, nIn] and weight_hh [G·H, H] as nested rows. */
function pytorchWeights(G: number, H: number, nIn: number) {
  const w = (rows: number, cols: number, seed: number) =>
    Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => Math.sin(seed + 3 * r + 7 * c) * 0.5),
    );
  const b = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.cos(seed + i) * 0.3);
  return { wih: w(G * H, nIn, 1), whh: w(G * H, H, 2), bih: b(G * H, 3), bhh: b(G * H, 4) };
}

/** Our layout is the transpose: wIh = weight_ih.T. */
function toParams(pt: ReturnType<typeof pytorchWeights>): GatedParams {
  const T = (m: number[][]) => (m[0] as number[]).map((_, c) => m.map((row) => row[c] as number));
  return { wIh: tensor(T(pt.wih)), wHh: tensor(T(pt.whh)), bIh: tensor(pt.bih), bHh: tensor(pt.bhh) };
}

/** Row r of W v + b (PyTorch's `F.linear`). */
const affine = (w: number[][], v: number[], b: number[], r: number) =>
  (w[r] as number[]).reduce((s, wi, i) => s + wi * (v[i] as number), b[r] as number);

describe("gated cells follow PyTorch's conventions", () => {
  const x = [0.7, -1.2];
  const h = [0.1, -0.4, 0.25];
  const H = 3;

  it("GRU: gate order r, z, n with r applied to (W_hn h + b_hn)", () => {
    const pt = pytorchWeights(3, H, 2);
    const expected = Array.from({ length: H }, (_, j) => {
      const r = sig(affine(pt.wih, x, pt.bih, j) + affine(pt.whh, h, pt.bhh, j));
      const z = sig(affine(pt.wih, x, pt.bih, H + j) + affine(pt.whh, h, pt.bhh, H + j));
      const n = Math.tanh(affine(pt.wih, x, pt.bih, 2 * H + j) + r * affine(pt.whh, h, pt.bhh, 2 * H + j));
      return (1 - z) * n + z * (h[j] as number);
    });
    const out = gru({ nIn: 2, nHidden: H }).step(toParams(pt), { h: tensor([h]) }, tensor([x])).output;
    expect(maxAbsDiff(out, tensor([expected]))).toBeLessThan(1e-6);
  });

  it("LSTM: gate order i, f, g, o", () => {
    const pt = pytorchWeights(4, H, 2);
    const c = [0.3, 0.2, -0.5];
    const gate = (k: number, j: number) =>
      affine(pt.wih, x, pt.bih, k * H + j) + affine(pt.whh, h, pt.bhh, k * H + j);
    const cNext = Array.from(
      { length: H },
      (_, j) => sig(gate(1, j)) * (c[j] as number) + sig(gate(0, j)) * Math.tanh(gate(2, j)),
    );
    const hNext = cNext.map((cj, j) => sig(gate(3, j)) * Math.tanh(cj));
    const res = lstm({ nIn: 2, nHidden: H }).step(
      toParams(pt),
      { h: tensor([h]), c: tensor([c]) },
      tensor([x]),
    );
    expect(maxAbsDiff(res.output, tensor([hNext]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(res.state.c, tensor([cNext]))).toBeLessThan(1e-6);
  });
});
