import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../base/errors.ts";
import type { Activation, RecurrenceForwardArgs } from "./backend.ts";
import { backendsUnderTest } from "./test-util.ts";

const f32 = (n: number) => new Float32Array(n);
const forward = (over: Partial<Record<keyof RecurrenceForwardArgs, unknown>> = {}): RecurrenceForwardArgs =>
  ({
    T: 2,
    B: 3,
    H: 4,
    drive: f32(24),
    wRec: f32(16),
    h0: f32(12),
    alpha: 0.5,
    activation: "tanh",
    order: "rate",
    ...over,
  }) as RecurrenceForwardArgs;

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("argument errors on $name", ({ backend }) => {
  it("name the gemm argument, the size expected and the size given", () => {
    expect(() => backend.gemm(false, false, 3, 2, 4, 1, f32(10), f32(8), 0, f32(6))).toThrow(
      new ShapeError("gemm: A must have M*K = 12 elements, got 10"),
    );
    expect(() => backend.gemm(false, true, 3, 2, 4, 1, f32(12), f32(9), 0, f32(6))).toThrow(
      "gemm: B (transposed) must have N*K = 8 elements, got 9",
    );
    expect(() => backend.gemm(false, false, 3, 2, 4, 1, f32(12), f32(8), 0, f32(5))).toThrow(
      "gemm: C must have M*N = 6 elements, got 5",
    );
    expect(() => backend.gemm(false, false, 2.5, 2, 4, 1, f32(10), f32(8), 0, f32(5))).toThrow(
      new ValueError("gemm: M must be a non-negative integer, got 2.5"),
    );
    const f64 = new Float64Array(12) as unknown as Float32Array;
    expect(() => backend.gemm(false, false, 3, 2, 4, 1, f64, f32(8), 0, f32(6))).toThrow(
      "gemm: A must be a Float32Array, got Float64Array",
    );
  });

  it("name the recurrence argument and what it must be", () => {
    expect(() => backend.recurrenceForward(forward({ alpha: 0 }))).toThrow(
      new ValueError("recurrenceForward: alpha must be in (0, 1], got 0"),
    );
    expect(() => backend.recurrenceForward(forward({ alpha: 1.5 }))).toThrow(
      "alpha must be in (0, 1], got 1.5",
    );
    expect(() => backend.recurrenceForward(forward({ activation: "gelu" as Activation }))).toThrow(
      'recurrenceForward: activation must be one of relu, tanh, sigmoid, identity, softplus, got "gelu"',
    );
    expect(() => backend.recurrenceForward(forward({ order: "leaky" }))).toThrow(
      'recurrenceForward: order must be one of rate, current, got "leaky"',
    );
    expect(() => backend.recurrenceForward(forward({ h0: f32(11) }))).toThrow(
      new ShapeError("recurrenceForward: h0 must have B*H = 12 elements, got 11"),
    );
    expect(() => backend.recurrenceForward(forward({ T: 0 }))).toThrow(
      "recurrenceForward: T must be an integer ≥ 1, got 0",
    );
    const ok = forward();
    expect(() => backend.recurrenceBackward({ ...ok, hs: f32(24), pre: f32(24), dHs: f32(23) })).toThrow(
      "recurrenceBackward: dHs must have T*B*H = 24 elements, got 23",
    );
    expect(() =>
      backend.recurrenceBackward({ ...ok, alpha: -1, hs: f32(24), pre: f32(24), dHs: f32(24) }),
    ).toThrow("recurrenceBackward: alpha must be in (0, 1], got -1");
  });

  it("name the folded input, readout and cotangent arguments", () => {
    const input = { I: 2, x: f32(12), wIn: f32(8), b: f32(4) };
    const readout = { O: 1, wOut: f32(4), bOut: f32(1) };
    expect(() => backend.recurrenceForward(forward({ input: { ...input, x: f32(11) } }))).toThrow(
      new ShapeError("recurrenceForward: input.x must have T*B*I = 12 elements, got 11"),
    );
    expect(() => backend.recurrenceForward(forward({ input: { ...input, b: f32(3) } }))).toThrow(
      "recurrenceForward: input.b must have H = 4 elements, got 3",
    );
    expect(() => backend.recurrenceForward(forward({ readout: { ...readout, O: 0 } }))).toThrow(
      "recurrenceForward: readout.O must be an integer ≥ 1, got 0",
    );
    expect(() => backend.recurrenceForward(forward({ readout: { ...readout, wOut: f32(5) } }))).toThrow(
      "recurrenceForward: readout.wOut must have H*O = 4 elements, got 5",
    );
    const states = { hs: f32(24), pre: f32(24) };
    expect(() => backend.recurrenceBackward({ ...forward(), ...states, dHs: null, dYs: f32(6) })).toThrow(
      new ValueError("recurrenceBackward: dYs is given but there is no readout"),
    );
    expect(() =>
      backend.recurrenceBackward({ ...forward({ readout }), ...states, dHs: null, dYs: null }),
    ).toThrow("recurrenceBackward: need a cotangent, dHs or dYs, got neither");
    // tanh in the rate order with alpha 0.5: f' needs the pre-activations.
    expect(() =>
      backend.recurrenceBackward({ ...forward(), hs: f32(24), pre: f32(0), dHs: f32(24) }),
    ).toThrow("recurrenceBackward: pre must have T*B*H = 24 elements, got 0");
  });

  it("name the Adam argument and what it must be", () => {
    const adam = {
      param: f32(4),
      grad: f32(4),
      m: f32(4),
      v: f32(4),
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      step: 1,
    };
    expect(() => backend.adamUpdate({ ...adam, grad: f32(3) })).toThrow(
      new ShapeError("adamUpdate: grad must have param.length = 4 elements, got 3"),
    );
    expect(() => backend.adamUpdate({ ...adam, beta2: 1 })).toThrow(
      "adamUpdate: beta2 must be in [0, 1), got 1",
    );
    expect(() => backend.adamUpdate({ ...adam, step: 0 })).toThrow(
      "adamUpdate: step must be an integer ≥ 1, got 0",
    );
  });
});
