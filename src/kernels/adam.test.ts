import { describe, expect, it } from "vitest";
import type { AdamArgs } from "./backend.ts";
import { backendsUnderTest, maxRelDiff, randomF32 } from "./test-util.ts";

const N = 37; // not a multiple of the 4-lane vectors

function state(): AdamArgs {
  return {
    param: randomF32(N, 1),
    grad: randomF32(N, 2),
    m: randomF32(N, 3, 0.1),
    v: randomF32(N, 4, 0.1).map(Math.abs),
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.1,
    step: 3,
  };
}

/** The AdamArgs equations, literally, in float64. */
function expected(a: AdamArgs): { param: number[]; m: number[]; v: number[] } {
  const m = Array.from(a.m, (mi, i) => a.beta1 * mi + (1 - a.beta1) * a.grad[i]!);
  const v = Array.from(a.v, (vi, i) => a.beta2 * vi + (1 - a.beta2) * a.grad[i]! ** 2);
  const param = Array.from(a.param, (p, i) => {
    const mHat = m[i]! / (1 - a.beta1 ** a.step);
    const vHat = v[i]! / (1 - a.beta2 ** a.step);
    return p * (1 - a.lr * a.weightDecay) - (a.lr * mHat) / (Math.sqrt(vHat) + a.eps);
  });
  return { param, m, v };
}

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("adamUpdate on $name", ({ backend }) => {
  it("updates param, m and v in place by the AdamW equations", () => {
    const a = state();
    const want = expected(a);
    backend.adamUpdate(a);
    expect(maxRelDiff(a.param, want.param)).toBeLessThan(1e-6);
    expect(maxRelDiff(a.m, want.m)).toBeLessThan(1e-6);
    expect(maxRelDiff(a.v, want.v)).toBeLessThan(1e-6);
  });
});
