import { describe, expect, it } from "vitest";
import { ACTIVATIONS, UPDATE_ORDERS } from "../backend.ts";
import { randomF32 } from "../test-util.ts";
import { recurrenceBackwardRef, recurrenceForwardRef, type RecurrenceInputs } from "./recurrence.ts";

const T = 4;
const B = 3;
const H = 5;

function inputs(
  activation: (typeof ACTIVATIONS)[number],
  order: (typeof UPDATE_ORDERS)[number],
  alpha: number,
): RecurrenceInputs<Float64Array> {
  return {
    T,
    B,
    H,
    drive: Float64Array.from(randomF32(T * B * H, 1)),
    wRec: Float64Array.from(randomF32(H * H, 2, 0.6)),
    h0: Float64Array.from(randomF32(B * H, 3, 0.5)),
    alpha,
    activation,
    order,
  };
}

/** L = Σ dHs ⊙ hs, whose gradient with respect to hs is dHs. */
function loss(a: RecurrenceInputs<Float64Array>, dHs: Float64Array): number {
  const { hs } = recurrenceForwardRef(a);
  return hs.reduce((s, h, i) => s + h * dHs[i]!, 0);
}

/** Central difference of the loss along each element of `which`, in float64. */
function numericGrad(
  a: RecurrenceInputs<Float64Array>,
  which: "drive" | "wRec" | "h0",
  dHs: Float64Array,
): Float64Array {
  const x = a[which];
  const eps = 1e-6;
  return Float64Array.from(x, (_, i) => {
    const x0 = x[i]!;
    x[i] = x0 + eps;
    const up = loss(a, dHs);
    x[i] = x0 - eps;
    const down = loss(a, dHs);
    x[i] = x0;
    return (up - down) / (2 * eps);
  });
}

const CASES = ACTIVATIONS.flatMap((activation) =>
  UPDATE_ORDERS.flatMap((order) => [1, 0.2].map((alpha) => ({ activation, order, alpha }))),
);

describe("recurrenceForwardRef", () => {
  it("computes the vanilla RNN h_t = f(h_{t-1} W + d_t) at alpha 1", () => {
    const a = inputs("tanh", "rate", 1);
    const { hs } = recurrenceForwardRef({ ...a, T: 1 });
    const h = Array.from({ length: B * H }, (_, i) => {
      const [b, j] = [Math.floor(i / H), i % H];
      let z = a.drive[i]!;
      for (let k = 0; k < H; k++) z += a.h0[b * H + k]! * a.wRec[k * H + j]!;
      return Math.tanh(z);
    });
    expect(Array.from(hs)).toEqual(h.map((v) => expect.closeTo(v, 12)));
  });

  it("gives the same states in both orders for the identity activation", () => {
    const rate = recurrenceForwardRef(inputs("identity", "rate", 0.2));
    const current = recurrenceForwardRef(inputs("identity", "current", 0.2));
    rate.hs.forEach((h, i) => expect(h).toBeCloseTo(current.hs[i]!, 12));
  });
});

describe("recurrenceBackwardRef", () => {
  it.each(CASES)(
    "matches central differences for $activation, $order order, alpha $alpha",
    ({ activation, order, alpha }) => {
      const a = inputs(activation, order, alpha);
      const dHs = Float64Array.from(randomF32(T * B * H, 4));
      const grads = recurrenceBackwardRef({ ...a, ...recurrenceForwardRef(a), dHs });
      for (const [name, analytic] of [
        ["drive", grads.dDrive],
        ["wRec", grads.dWRec],
        ["h0", grads.dh0],
      ] as const) {
        const numeric = numericGrad(a, name, dHs);
        analytic.forEach((g, i) => expect(g, `${name}[${i}]`).toBeCloseTo(numeric[i]!, 6));
      }
    },
  );
});
