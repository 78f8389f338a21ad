import { describe, expect, it } from "vitest";
import * as bt from "../../src/index.ts";
import { tensor } from "../../src/index.ts";

describe("forward values", () => {
  it("broadcasts like NumPy", () => {
    expect(bt.add(tensor([[1], [2]]), tensor([10, 20, 30])).toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
    expect(bt.mul(tensor([[[1, 2]]]), tensor([[3], [4]])).toArray()).toEqual([
      [
        [3, 6],
        [4, 8],
      ],
    ]);
  });

  it("broadcasts a one-element tensor to every element, sign of zero and NaN included", () => {
    const out = (v: number, shape: number[]) =>
      Array.from(bt.broadcastTo(bt.fromData(Float32Array.of(v), [1, 1]), shape).data);
    expect(out(2.5, [2, 3])).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(out(-0, [3, 1]).every((x) => Object.is(x, -0))).toBe(true);
    expect(out(NaN, [1, 2]).every(Number.isNaN)).toBe(true);
    // A mean's cotangent reaches every element through this broadcast: 1/n each.
    const { grads } = bt.valueAndGrad((p: { x: bt.Tensor }) => bt.mean(p.x))({ x: bt.zeros([2, 4]) });
    expect(Array.from(grads.x.data)).toEqual(new Array(8).fill(1 / 8));
  });

  it("broadcasts one element to empty shapes, from every one-element shape, in both dtypes", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const from of [[], [1], [1, 1]]) {
        const one = bt.fromData(dtype === "float64" ? Float64Array.of(0.1) : Float32Array.of(0.1), from);
        for (const shape of [
          [2, 0],
          [0, 3],
          [1, 0, 1],
          [0, 0],
        ]) {
          const out = bt.broadcastTo(one, shape);
          expect(out.shape).toEqual(shape);
          expect(out.size).toBe(0);
          expect(out.dtype).toBe(dtype);
        }
        // 0.1 kept to its dtype's precision (float32's 0.1 is not float64's).
        const filled = bt.broadcastTo(one, [2, 1, 3]);
        expect(filled.dtype).toBe(dtype);
        expect(Array.from(filled.data)).toEqual(new Array(6).fill(one.data[0]));
        // The gradient of a sum over the broadcast is the count, over an empty one zero.
        for (const [shape, count] of [
          [[2, 1, 3], 6],
          [[0, 3], 0],
        ] as const) {
          const { grads } = bt.valueAndGrad((p: { x: bt.Tensor }) => bt.sum(bt.broadcastTo(p.x, shape)))({
            x: one,
          });
          expect(grads.x.shape).toEqual(from);
          expect(grads.x.dtype).toBe(dtype);
          expect(Array.from(grads.x.data)).toEqual([count]);
        }
      }
    }
  });

  it("gives a mean over broadcast elements 1/n each, and weighted sums their weights, in both dtypes", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const w = bt.fromData(dtype === "float64" ? Float64Array.of(1, -2, 3) : Float32Array.of(1, -2, 3), [3]);
      const loss = (p: { x: bt.Tensor; s: bt.Tensor }) =>
        bt.add(bt.mean(bt.mul(p.x, p.x)), bt.sum(bt.mul(bt.broadcastTo(p.s, [2, 3]), w)));
      const x = bt.fromData(
        dtype === "float64" ? new Float64Array(6).fill(3) : new Float32Array(6).fill(3),
        [2, 3],
      );
      const s = bt.fromData(dtype === "float64" ? Float64Array.of(5) : Float32Array.of(5), []);
      const { value, grads } = bt.valueAndGrad(loss)({ x, s });
      expect(value).toBe(9 + 5 * 2 * 2);
      // d mean(x²)/dx = 2x / 6 = 1 each; d/ds = the sum of w over the two rows = 4.
      expect(Array.from(grads.x.data)).toEqual(new Array(6).fill(dtype === "float64" ? 1 : Math.fround(1)));
      expect(Array.from(grads.s.data)).toEqual([4]);
    }
  });

  it("reduces over chosen axes, keeping dimensions on request", () => {
    const x = tensor([
      [1, 5, 3],
      [4, 2, 6],
    ]);
    expect(bt.sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(bt.max(x, 1, true).toArray()).toEqual([[5], [6]]);
    expect(bt.mean(x).item()).toBe(3.5);
  });

  it("computes logsumexp and softmax without overflow", () => {
    const x = tensor([1000, 1000], undefined, "float64");
    expect(bt.logsumexp(x).item()).toBeCloseTo(1000 + Math.log(2), 10);
    expect(bt.softmax(tensor([-1e4, 0, 1e4])).toArray()).toEqual([0, 0, 1]);
    expect(bt.sigmoid(tensor([-1000, 1000])).toArray()).toEqual([0, 1]);
    expect(bt.softplus(tensor([1000])).toArray()).toEqual([1000]);
  });

  it("multiplies matrices, batched and transposed", () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    expect(bt.matmul(a, b).toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(bt.matmul(a, b, { transA: true }).toArray()).toEqual([
      [26, 30],
      [38, 44],
    ]);
    expect(bt.matmul(bt.stack([a, b]), a).shape).toEqual([2, 2, 2]);
  });

  it("transposes, slices, concatenates, gathers and one-hots", () => {
    const x = bt.reshape(bt.arange(0, 6), [2, 3]);
    expect(bt.transpose(x).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(bt.slice(x, [0, 1], [2, 3]).toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(bt.concat([x, x], 1).shape).toEqual([2, 6]);
    expect(bt.gather(x, [2, 0], 1).toArray()).toEqual([
      [2, 0],
      [5, 3],
    ]);
    expect(bt.unstack(x, 1).map((t) => t.toArray())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(bt.oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it("selects with where and compares elementwise", () => {
    const x = tensor([-1, 0, 2]);
    expect(bt.where(bt.greater(x, 0), x, 10).toArray()).toEqual([10, 10, 2]);
    expect(bt.lessEqual(x, 0).toArray()).toEqual([1, 1, 0]);
  });
});

describe("bad arguments raise errors naming the op, the argument, what was given and what was expected", () => {
  const cases: [string, () => unknown, string][] = [
    [
      "matmul inner",
      () => bt.matmul(bt.zeros([16, 128]), bt.zeros([64, 3])),
      "matmul: inner dimensions must match (both operands of rank >= 2), got [16, 128] x [64, 3]",
    ],
    [
      "broadcast",
      () => bt.add(bt.zeros([2, 3]), bt.zeros([4])),
      "add: shapes must broadcast, got [2, 3] and [4]",
    ],
    [
      "reshape",
      () => bt.reshape(bt.zeros([2, 3]), [4, 2]),
      "reshape: new shape must have 6 elements like [2, 3], got [4, 2]",
    ],
    ["axis", () => bt.sum(bt.zeros([2, 3]), 2), "sum: axis must be an integer in [-2, 1], got 2"],
    ["tensor size", () => tensor([1, 2, 3], [2, 2]), "tensor: shape [2, 2] needs 4 values, got 3"],
    [
      "tensor values",
      () => tensor([1, "x" as unknown as number]),
      "tensor: values must be numbers, got x at 1",
    ],
    [
      "slice",
      () => bt.sliceAxis(bt.zeros([4]), 0, 2, 6),
      "sliceAxis: need 0 <= start <= end <= 4 on axis 0, got start=2, end=6",
    ],
    [
      "concat",
      () => bt.concat([bt.zeros([2, 3]), bt.zeros([3, 3])], 1),
      "concat: shapes must match except on axis 1, got [2, 3] and [3, 3]",
    ],
    [
      "gather",
      () => bt.gather(bt.zeros([3]), [0, 3]),
      "gather: indices must be integers in [0, 3), got 3 at position 1",
    ],
    [
      "oneHot",
      () => bt.oneHot([0, 1.5], 3),
      "oneHot: labels must be integers in [0, 3), got 1.5 at position 1",
    ],
    ["item", () => bt.zeros([2]).item(), "Tensor.item: tensor must have exactly one element, got shape [2]"],
    [
      "recurrence alpha",
      () => bt.recurrence(bt.zeros([2, 1, 3]), bt.zeros([3, 3]), bt.zeros([3]), { alpha: 1.5 }),
      "recurrence: alpha must be in (0, 1], got 1.5",
    ],
    [
      "recurrence h0",
      () => bt.recurrence(bt.zeros([2, 1, 3]), bt.zeros([3, 3]), bt.zeros([2])),
      "recurrence: h0 must be [B, H] = [1, 3] or [H] = [3], got [2]",
    ],
    [
      "transpose perm",
      () => bt.transpose(bt.zeros([2, 3]), [0, 0]),
      "transpose: perm must be a permutation of 0..1, got [0, 0]",
    ],
  ];
  for (const [label, call, message] of cases) {
    it(label, () => expect(call).toThrow(message));
  }
});

describe("max over ties", () => {
  it("shares the gradient equally between tied maxima", () => {
    const g = bt.grad((p: { x: bt.Tensor }) => bt.sum(bt.max(p.x, 1)))({
      x: tensor([
        [1, 3, 3],
        [2, 0, 1],
      ]),
    });
    expect(g.x.toArray()).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
  });
});

describe("the fused activation derivatives", () => {
  // tanh and sigmoid compute g (1 − y²) and g y (1 − y) in one loop; the composed ops are the
  // definition, and every float32 rounding must land where theirs does.
  const rng = bt.Rng.fromSeed(11);
  it.each(["float32", "float64"] as const)("equal the composed ops bit for bit (%s)", (dtype) => {
    const x = bt.cast(bt.randomNormal(rng, [4001], 3), dtype);
    const w = bt.cast(bt.randomNormal(rng, [4001]), dtype);
    for (const [f, composed] of [
      [bt.tanh, (g: bt.Tensor, y: bt.Tensor) => bt.mul(g, bt.sub(1, bt.mul(y, y)))],
      [bt.sigmoid, (g: bt.Tensor, y: bt.Tensor) => bt.mul(g, bt.mul(y, bt.sub(1, y)))],
    ] as const) {
      const fused = bt.grad((p: { x: bt.Tensor }) => bt.sum(bt.mul(f(p.x), w)))({ x });
      expect(Array.from(fused.x.data)).toEqual(Array.from(composed(w, f(x)).data));
    }
  });
});
