import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { valueAndGrad } from "./autodiff.ts";
import { add, mul, sigmoid, sub, tanh } from "./ops/elementwise.ts";
import { sliceAxis } from "./ops/layout.ts";
import { matmul } from "./ops/matmul.ts";
import { sum } from "./ops/reduce.ts";
import { scan } from "./scan.ts";
import { type Tensor, randomNormal } from "./tensor.ts";

/** Whether `t`'s values can be read (a node's hollow input or output throws). */
const readable = (t: Tensor) => {
  try {
    return t.data.length >= 0;
  } catch {
    return false;
  }
};

describe("what the graph keeps of the values", () => {
  const rng = Rng.fromSeed(11);
  const a = randomNormal(rng, [3, 4]);
  const b = randomNormal(rng, [3, 4]);
  const w = randomNormal(rng, [4, 4]);

  it("keeps the values a derivative reads, and only shapes and graph places of the others", () => {
    valueAndGrad((p: { a: Tensor; b: Tensor; w: Tensor }) => {
      const s = add(p.a, p.b);
      const d = sub(s, p.b);
      const m = mul(s, d);
      const y = sigmoid(m);
      const t = tanh(y);
      const x = sliceAxis(t, -1, 1, 3);
      const z = matmul(t, p.w);
      for (const [out, ins, outs] of [
        [s, false, false],
        [d, false, false],
        [m, true, false],
        [y, false, true],
        [t, false, true],
        [x, false, false],
        [z, true, false],
      ] as const) {
        const node = out.node!;
        expect(node.inputs.map(readable), node.prim).toEqual(node.inputs.map(() => ins));
        expect((node.outputs as Tensor[]).map(readable), node.prim).toEqual([outs]);
        // The graph still links up: the hollow input of `d` is `s`'s place in the graph.
        expect(node.inputs[0]!.node).toBe(node.prim === "sub" ? s.node : node.inputs[0]!.node);
        expect(node.inputs[0]!.shape).toEqual(node.prim === "sliceAxis" ? [3, 4] : node.inputs[0]!.shape);
      }
      // What the caller holds is whole.
      expect([s, d, m, y, t, x, z].every(readable)).toBe(true);
      return add(sum(x), sum(z));
    })({ a, b, w });
  });

  it("a bias closed over by a checkpointed scan's step gets one gradient per use, as without checkpoints", () => {
    const xs = randomNormal(rng, [6, 3, 4]);
    const loss = (checkpoint?: number) => (p: { w: Tensor; bias: Tensor }) => {
      const [hT, ys] = scan(
        (h: Tensor, x: Tensor) => {
          const next = tanh(add(add(matmul(h, p.w), p.bias), x));
          return [next, next] as const;
        },
        randomNormal(Rng.fromSeed(1), [3, 4]),
        xs,
        checkpoint === undefined ? {} : { checkpoint },
      );
      return add(sum(ys), sum(hT));
    };
    const params = { w, bias: randomNormal(rng, [4]) };
    const full = valueAndGrad(loss())(params);
    for (const checkpoint of [1, 4]) {
      const remat = valueAndGrad(loss(checkpoint))(params);
      expect(remat.value).toBe(full.value);
      // Per-step terms are summed in other groups (per segment), so to float32 rounding; a bias
      // counted once per use of a hollow copy would be several times too large.
      for (const k of ["bias", "w"] as const) {
        const f = full.grads[k].data;
        remat.grads[k].data.forEach((v, i) => expect(v).toBeCloseTo(f[i]!, 5));
      }
    }
  });
});
