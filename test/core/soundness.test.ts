/**
 * Places where the core once returned a wrong number instead of the right one or an error. Each
 * test pins one defect: it failed before its fix.
 */
import { describe, expect, it } from "vitest";
import { grad, sum, tensor, where } from "../../src/index.ts";

const f64 = "float64" as const;

describe("where", () => {
  it("routes the whole gradient to the branch it selected, whatever the non-zero condition's value", () => {
    // A refractory countdown (0, 1, 2, 3) used as the condition: every non-zero entry selects `a`.
    const cond = tensor([0, 1, 2, 3], undefined, f64);
    const g = grad((p: { a: typeof cond; b: typeof cond }) => sum(where(cond, p.a, p.b)))({
      a: tensor([1, 1, 1, 1], undefined, f64),
      b: tensor([1, 1, 1, 1], undefined, f64),
    });
    expect(Array.from(g.a.data)).toEqual([0, 1, 1, 1]);
    expect(Array.from(g.b.data)).toEqual([1, 0, 0, 0]);
  });
});
