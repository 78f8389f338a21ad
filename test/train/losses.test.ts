import { describe, expect, it } from "vitest";
import {
  Rng,
  accuracy,
  div,
  logSoftmax,
  mean,
  mse,
  mul,
  oneHot,
  randomNormal,
  softmaxCrossEntropy,
  sum,
  tensor,
  valueAndGrad,
} from "../../src/index.ts";
import { crossEntropyRules } from "../../src/core/ops/crossEntropy.ts";
import type { Accumulate } from "../../src/core/node.ts";
import { Tensor } from "../../src/core/tensor.ts";
import { checkGradients } from "../core/gradcheck.ts";

describe("softmaxCrossEntropy", () => {
  it("equals −log softmax at the label, averaged", () => {
    const logits = tensor([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    const expected = (-Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) + Math.log(3)) / 2;
    expect(softmaxCrossEntropy(logits, [0, 2]).item()).toBeCloseTo(expected, 6);
  });

  it("weights rows by the mask", () => {
    const logits = tensor([
      [5, 0],
      [0, 5],
    ]);
    const onlyFirst = softmaxCrossEntropy(logits, [0, 0], [1, 0]).item();
    expect(onlyFirst).toBeCloseTo(Math.log(1 + Math.exp(-5)), 6);
  });

  it("is stable for huge logits", () => {
    expect(softmaxCrossEntropy(tensor([[1e4, 0]]), [1]).item()).toBeCloseTo(1e4, 0);
  });

  it("has exact gradients, with and without a mask", () => {
    const rng = Rng.fromSeed(1);
    const params = { z: randomNormal(rng, [4, 2, 3], 2, 0, "float64") };
    const labels = [0, 2, 1, 1, 2, 0, 0, 1];
    checkGradients((p: typeof params) => softmaxCrossEntropy(p.z, labels), params);
    checkGradients((p: typeof params) => softmaxCrossEntropy(p.z, labels, [0, 1, 0, 1, 1, 0, 0, 2]), params);
  });

  it("gives the values and gradients of its composition from log-softmax in float32", () => {
    const rng = Rng.fromSeed(2);
    const z = randomNormal(rng, [50, 16, 3], 3);
    const labels = Array.from({ length: 800 }, () => rng.integer(0, 3));
    const mask = Array.from({ length: 800 }, (_, i) => (i % 7) / 3);
    const composed = (logits: Tensor, w?: number[]) => {
      const picked = sum(mul(logSoftmax(logits), oneHot(labels, 3, [50, 16])), -1);
      if (!w) return mul(mean(picked), -1);
      const wt = tensor(w, [50, 16]);
      return div(mul(sum(mul(picked, wt)), -1), sum(wt));
    };
    for (const w of [undefined, mask]) {
      const fused = valueAndGrad((p: { z: Tensor }) => softmaxCrossEntropy(p.z, labels, w))({ z });
      const ref = valueAndGrad((p: { z: Tensor }) => composed(p.z, w))({ z });
      expect(Math.abs(fused.value - ref.value)).toBeLessThan(1e-6 * ref.value);
      const g = fused.grads.z.data;
      const scale = Math.max(...ref.grads.z.data.map(Math.abs));
      ref.grads.z.data.forEach((r, i) => expect(Math.abs((g[i] as number) - r)).toBeLessThan(1e-5 * scale));
    }
  });

  it("takes its derivative from the forward's exponentials, bit for bit as from new ones", () => {
    const rng = Rng.fromSeed(3);
    const z = randomNormal(rng, [40, 5], 4);
    const labels = Array.from({ length: 40 }, () => rng.integer(0, 5));
    const rule = crossEntropyRules.softmaxCrossEntropy;
    const attrs = { labels, weights: labels.map((_, i) => (i % 5) / 2) };
    const g = tensor(0.75);
    // The rule never adds in place, so nothing may be asked of the accumulator.
    const into = Object.assign(
      () => {
        throw new Error("unused");
      },
      { later: () => {} },
    ) as Accumulate;
    const [loss] = rule.forward([z], attrs) as [Tensor];
    const fromForward = rule.vjp([g], [z], [loss], attrs, [true], into)[0] as Tensor;
    // A loss over another array: the derivative finds nothing kept and takes the exponentials anew.
    const alone = new Tensor([], Float32Array.from(loss.data));
    const fresh = rule.vjp([g], [z], [alone], attrs, [true], into)[0] as Tensor;
    expect([...fromForward.data]).toEqual([...fresh.data]);
    // And both are the derivative: w (softmax − onehot) g / Σw.
    const total = attrs.weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < 40; i++) {
      const row = [...z.data.subarray(5 * i, 5 * i + 5)];
      const m = Math.max(...row);
      const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
      for (let c = 0; c < 5; c++) {
        const want =
          ((0.75 * attrs.weights[i]!) / total) * (Math.exp(row[c]! - m) / s - (c === labels[i] ? 1 : 0));
        expect(fromForward.data[5 * i + c]).toBeCloseTo(want, 6);
      }
    }
  });

  it("rejects labels out of range and bad masks, saying what was expected", () => {
    const logits = tensor([[1, 2]]);
    expect(() => softmaxCrossEntropy(logits, [2])).toThrow(
      "softmaxCrossEntropy: labels must be integers in [0, 2), got 2 at 0",
    );
    expect(() => softmaxCrossEntropy(logits, [0, 1])).toThrow(
      "need one label per row of logits [1, 2] (1), got 2",
    );
    expect(() => softmaxCrossEntropy(logits, [0], [NaN])).toThrow(
      "softmaxCrossEntropy: mask weights must be finite and >= 0, got NaN at 0",
    );
    expect(() => softmaxCrossEntropy(logits, [0], [0])).toThrow(
      "mask must select at least one element, got all zeros",
    );
  });
});

describe("mse", () => {
  it("averages squared errors, optionally masked per row", () => {
    const pred = tensor([
      [1, 2],
      [3, 4],
    ]);
    const target = tensor([
      [0, 0],
      [3, 0],
    ]);
    expect(mse(pred, target).item()).toBe((1 + 4 + 0 + 16) / 4);
    expect(mse(pred, target, [1, 0]).item()).toBe(2.5);
  });

  it("refuses a target of the same size in another shape instead of reshaping it", () => {
    const pred = randomNormal(Rng.fromSeed(1), [5, 2, 1]); // [T, B, 1]
    const batchMajor = randomNormal(Rng.fromSeed(2), [2, 5]); // [B, T]: misaligned if reshaped
    expect(() => mse(pred, batchMajor)).toThrow(
      "mse: target must have pred's shape or broadcast to it, got pred [5, 2, 1] and target [2, 5]",
    );
    expect(() => mse(pred, randomNormal(Rng.fromSeed(3), [10]))).toThrow(
      /got pred \[5, 2, 1\] and target \[10\]/,
    );
    // Broadcasting the target would enlarge pred's shape ([5, 2, 1] with [5, 2] is [5, 2, 2]): refused.
    expect(() => mse(pred, randomNormal(Rng.fromSeed(4), [5, 2]))).toThrow(/and target \[5, 2\]/);
  });

  it("broadcasts a target to pred's shape by the usual rules", () => {
    const pred = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(mse(pred, tensor([1, 2])).item()).toBe((0 + 0 + 4 + 4) / 4);
    expect(mse(pred, tensor([[1], [3]])).item()).toBe((0 + 1 + 0 + 1) / 4);
    expect(mse(pred, tensor(1)).item()).toBe((0 + 1 + 4 + 9) / 4);
  });

  it("has exact gradients", () => {
    const rng = Rng.fromSeed(2);
    const target = randomNormal(rng, [3, 2], 1, 0, "float64");
    checkGradients((p: { y: typeof target }) => mse(p.y, target, [1, 0, 2]), {
      y: randomNormal(rng, [3, 2], 1, 0, "float64"),
    });
  });
});

describe("accuracy", () => {
  it("counts argmax hits, weighted by the mask", () => {
    const logits = tensor([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    expect(accuracy(logits, [1, 1, 1])).toBeCloseTo(2 / 3);
    expect(accuracy(logits, [1, 1, 1], [1, 0, 1])).toBe(1);
  });
});
