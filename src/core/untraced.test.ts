import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { apply1, leaf, valueAndGrad } from "./autodiff.ts";
import { peekNodeId } from "./node.ts";
import { customVjp } from "./ops/custom.ts";
import { add, exp, mul, sigmoid, tanh } from "./ops/elementwise.ts";
import { matmul } from "./ops/matmul.ts";
import { sum } from "./ops/reduce.ts";
import { rule1 } from "./rule.ts";
import { type Tensor, randomNormal } from "./tensor.ts";

type P = { a: Tensor; w: Tensor };

/** A loss whose derivatives apply primitives to the nodes' traced inputs and outputs. */
const loss = (p: P) => sum(mul(tanh(exp(sigmoid(matmul(p.a, p.w)))), p.a));

describe("library forwards and derivatives record no nodes", () => {
  const rng = Rng.fromSeed(5);
  const p: P = {
    a: randomNormal(rng, [3, 4], 1, 0, "float64"),
    w: randomNormal(rng, [4, 4], 1, 0, "float64"),
  };

  it("the reverse pass makes no node: its derivatives see traced tensors yet record nothing", () => {
    const start = peekNodeId();
    loss({ a: leaf(p.a), w: leaf(p.w) });
    const forward = peekNodeId() - start;
    const again = peekNodeId();
    const { grads } = valueAndGrad(loss)(p);
    expect(peekNodeId() - again).toBe(forward);
    expect(grads.a.node).toBeUndefined();
    expect(grads.w.node).toBeUndefined();
  });

  it("a derivative handing back one of its node's own tensors gives it detached", () => {
    // d/dx of x²/2 is x: the derivative returns its traced input itself.
    const half = rule1<Record<string, never>>(
      "halfSquare",
      ([x]) => mul(mul(x as Tensor, x as Tensor), 0.5),
      (_g, [x]) => [x as Tensor],
    );
    const { grads } = valueAndGrad((q: { x: Tensor }) => sum(apply1(half, [q.x], {})))({ x: p.a });
    expect(grads.x.node).toBeUndefined();
    expect(Array.from(grads.x.data)).toEqual(Array.from(p.a.data));
  });

  it("a custom primitive's forward and derivative (user code) still differentiate inside", () => {
    // The forward and the derivative each take a gradient of their own.
    const inner = (x: Tensor) => valueAndGrad((q: { x: Tensor }) => sum(mul(q.x, q.x)))({ x }).grads.x;
    const f = customVjp(
      "gradInside",
      (x) => inner(x),
      (g) => [mul(inner(g), 0.5)],
    );
    const { value, grads } = valueAndGrad((q: { x: Tensor }) => sum(f(q.x)))({ x: p.a });
    expect(value).toBeCloseTo(
      Array.from(p.a.data).reduce((s, v) => s + 2 * v, 0),
      10,
    );
    // The derivative of sum(2x) seeds g = 1, and inner(g) = 2g, halved: ones.
    expect(Array.from(grads.x.data)).toEqual(Array.from(p.a.data, () => 1));
  });

  it("a library forward or derivative that throws leaves recording on for the next gradient", () => {
    const failing = (where: "forward" | "vjp") =>
      rule1<Record<string, never>>(
        `throwsIn${where}`,
        ([x]) => {
          if (where === "forward") throw new Error("forward failed");
          return exp(x as Tensor);
        },
        () => {
          throw new Error("vjp failed");
        },
      );
    const exact = (q: { a: Tensor }) => valueAndGrad((r: { a: Tensor }) => sum(mul(r.a, r.a)))(q).grads.a;
    for (const where of ["forward", "vjp"] as const) {
      const rule = failing(where);
      expect(() =>
        valueAndGrad((q: { x: Tensor }) => sum(tanh(apply1(rule, [q.x], {}))))({ x: p.a }),
      ).toThrow(`${where} failed`);
      // Were the depth left raised, this pass would record nothing and give zeros.
      expect(Array.from(exact({ a: p.a }).data)).toEqual(Array.from(p.a.data, (v) => 2 * v));
    }
  });

  it("a library forward returning its traced input itself leaves that input's place in the graph", () => {
    // The forward sees the traced input (not a detached twin) and hands it back as its value.
    const same = rule1<Record<string, never>>(
      "returnsInput",
      ([x]) => x as Tensor,
      (g) => [mul(g, 3)],
    );
    const { grads } = valueAndGrad((q: { x: Tensor }) => {
      const y = apply1(same, [q.x], {});
      expect(y).not.toBe(q.x);
      expect(y.data).toBe(q.x.data);
      expect(q.x.node?.prim).toBe("leaf");
      // x reaches the loss twice: through the rule (3 each) and directly (2x each).
      return add(sum(y), sum(mul(q.x, q.x)));
    })({ x: p.a });
    expect(Array.from(grads.x.data)).toEqual(Array.from(p.a.data, (v) => 3 + 2 * v));
  });
});
