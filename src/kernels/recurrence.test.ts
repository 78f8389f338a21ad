import { describe, expect, it } from "vitest";
import { ACTIVATIONS, UPDATE_ORDERS, type RecurrenceForwardArgs } from "./backend.ts";
import { recurrenceBackwardRef, recurrenceForwardRef } from "./js/recurrence.ts";
import { backendsUnderTest, maxRelDiff, randomF32 } from "./test-util.ts";

// Odd sizes: B not a multiple of the 4-row tile (and split unevenly over threads), H not a
// multiple of the 8-column tile; the second shape spans several tiles both ways; the third is
// cut into more shards than the pool has threads.
const SHAPES = [
  { T: 5, B: 9, H: 13 },
  { T: 3, B: 16, H: 40 },
  { T: 2, B: 66, H: 9 },
];
const CASES = ACTIVATIONS.flatMap((activation) =>
  UPDATE_ORDERS.flatMap((order) => [1, 0.2].map((alpha) => ({ activation, order, alpha }))),
);

function args(shape: { T: number; B: number; H: number }, c: (typeof CASES)[number]): RecurrenceForwardArgs {
  const { T, B, H } = shape;
  return {
    ...shape,
    ...c,
    drive: randomF32(T * B * H, 11),
    wRec: randomF32(H * H, 12, 1 / Math.sqrt(H)),
    h0: randomF32(B * H, 13, 0.5),
  };
}

const f64 = (x: Float32Array) => Float64Array.from(x);

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("recurrence on $name", ({ backend }) => {
  it.each(CASES)("matches the float64 reference for $activation, $order order, alpha $alpha", (c) => {
    for (const shape of SHAPES) {
      const a = args(shape, c);
      const dHs = randomF32(a.T * a.B * a.H, 14);
      const ref64 = { ...a, drive: f64(a.drive), wRec: f64(a.wRec), h0: f64(a.h0) };
      const fwd = recurrenceForwardRef(ref64);
      const bwd = recurrenceBackwardRef({ ...ref64, ...fwd, dHs: f64(dHs) });
      const out = backend.recurrenceForward(a);
      expect(maxRelDiff(out.hs, fwd.hs), "hs").toBeLessThan(1e-5);
      expect(maxRelDiff(out.pre, fwd.pre), "pre").toBeLessThan(1e-5);
      const grads = backend.recurrenceBackward({ ...a, ...out, dHs });
      expect(maxRelDiff(grads.dDrive, bwd.dDrive), "dDrive").toBeLessThan(1e-5);
      expect(maxRelDiff(grads.dWRec, bwd.dWRec), "dWRec").toBeLessThan(1e-5);
      expect(maxRelDiff(grads.dh0, bwd.dh0), "dh0").toBeLessThan(1e-5);
    }
  });
});
