import { describe, expect, it } from "vitest";
import { ACTIVATIONS, UPDATE_ORDERS, derivativeFromStates, type RecurrenceForwardArgs } from "./backend.ts";
import { layerBackwardRef, layerForwardRef } from "./js/layer.ts";
import { recurrenceBackwardRef, recurrenceForwardRef } from "./js/recurrence.ts";
import { backendsUnderTest, maxRelDiff, randomF32 } from "./test-util.ts";

// Odd sizes: B not a multiple of the 4-row tile (and split unevenly over threads), H not a
// multiple of the 8-column tile; the second shape spans several tiles both ways; the third is
// cut into more shards than the pool has threads; the fourth has more steps than the backward
// sums in one block of its weight gradients (256 rows of whole steps: 28 steps of 9 rows).
const SHAPES = [
  { T: 5, B: 9, H: 13 },
  { T: 3, B: 16, H: 40 },
  { T: 2, B: 66, H: 9 },
  { T: 40, B: 9, H: 13 },
];
const CASES = ACTIVATIONS.flatMap((activation) =>
  UPDATE_ORDERS.flatMap((order) => [1, 0.2].map((alpha) => ({ activation, order, alpha }))),
);

function args(
  shape: { T: number; B: number; H: number },
  c: (typeof CASES)[number],
): RecurrenceForwardArgs & { drive: Float32Array } {
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
      if (derivativeFromStates(a)) expect(out.pre.length, "no pre-activations kept").toBe(0);
      else expect(maxRelDiff(out.pre, fwd.pre), "pre").toBeLessThan(1e-5);
      const grads = backend.recurrenceBackward({ ...a, ...out, dHs });
      expect(maxRelDiff(grads.dDrive!, bwd.dDrive), "dDrive").toBeLessThan(1e-5);
      expect(maxRelDiff(grads.dWRec, bwd.dWRec), "dWRec").toBeLessThan(1e-5);
      expect(maxRelDiff(grads.dh0!, bwd.dh0), "dh0").toBeLessThan(1e-5);
    }
  });
});

// The folded input projection and readout against the float64 composition: with and without an
// additive drive, with both cotangents or only the readout's, with and without the skipped outputs;
// few inputs and outputs (direct loops, which take four rows of a weight matrix at a time: 3 + 1
// and 2 inner rows, 6 + 1 = 4 + 3 and 5 = 4 + 1) and more than eight of each (packed microkernel).
const LAYER_CASES = [
  { drive: true, dHs: true, dYs: true, skip: false },
  { drive: false, dHs: false, dYs: true, skip: false },
  { drive: true, dHs: true, dYs: false, skip: true },
];

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("recurrence with input projection and readout on $name", ({ backend }) => {
  it.each(LAYER_CASES)(
    "matches the float64 composition (drive $drive, dHs $dHs, dYs $dYs, skip $skip)",
    (c) => {
      for (const [shape, I, O] of [
        [SHAPES[0]!, 3, 2],
        [SHAPES[1]!, 6, 5],
        [SHAPES[2]!, 9, 9],
        [SHAPES[3]!, 9, 9],
      ] as const) {
        const base = args(shape, { activation: "tanh", order: "rate", alpha: 0.3 });
        const { T, B, H } = base;
        const a: RecurrenceForwardArgs = {
          ...base,
          drive: c.drive ? base.drive : null,
          input: { I, x: randomF32(T * B * I, 21), wIn: randomF32(I * H, 22), b: randomF32(H, 23) },
          readout: { O, wOut: randomF32(H * O, 24), bOut: randomF32(O, 25) },
        };
        const dHs = c.dHs ? randomF32(T * B * H, 26) : null;
        const dYs = c.dYs ? randomF32(T * B * O, 27) : null;
        const skip = { dDrive: c.skip, dX: c.skip };
        const to64 = (x: Float32Array | null) => (x ? f64(x) : null);
        const ref64 = {
          ...a,
          drive: to64(a.drive),
          wRec: f64(a.wRec),
          h0: f64(a.h0),
          input: { I, x: f64(a.input!.x), wIn: f64(a.input!.wIn), b: f64(a.input!.b) },
          readout: { O, wOut: f64(a.readout!.wOut), bOut: f64(a.readout!.bOut) },
        };
        const fwd = layerForwardRef(ref64);
        const bwd = layerBackwardRef({ ...ref64, ...fwd, dHs: to64(dHs), dYs: to64(dYs), skip });
        const out = backend.recurrenceForward(a);
        expect(maxRelDiff(out.hs, fwd.hs), "hs").toBeLessThan(1e-5);
        expect(maxRelDiff(out.ys!, fwd.ys!), "ys").toBeLessThan(1e-5);
        const grads = backend.recurrenceBackward({ ...a, ...out, dHs, dYs, skip });
        expect(grads.dDrive === null, "dDrive skipped").toBe(!c.drive || c.skip);
        if (grads.dDrive) expect(maxRelDiff(grads.dDrive, bwd.dDrive!), "dDrive").toBeLessThan(1e-5);
        expect(grads.input!.dX === null, "dX skipped").toBe(c.skip);
        if (grads.input!.dX) expect(maxRelDiff(grads.input!.dX, bwd.input!.dX!), "dX").toBeLessThan(1e-5);
        expect(maxRelDiff(grads.input!.dWIn, bwd.input!.dWIn), "dWIn").toBeLessThan(1e-5);
        expect(maxRelDiff(grads.input!.dB, bwd.input!.dB), "dB").toBeLessThan(1e-5);
        expect(grads.readout === null, "no readout gradient without dYs").toBe(!c.dYs);
        if (grads.readout) {
          expect(maxRelDiff(grads.readout.dWOut, bwd.readout!.dWOut), "dWOut").toBeLessThan(1e-5);
          expect(maxRelDiff(grads.readout.dBOut, bwd.readout!.dBOut), "dBOut").toBeLessThan(1e-5);
        }
        expect(maxRelDiff(grads.dWRec, bwd.dWRec), "dWRec").toBeLessThan(1e-5);
        expect(maxRelDiff(grads.dh0!, bwd.dh0), "dh0").toBeLessThan(1e-5);
        // Without dh0 the other gradients are the same floats (a backend may still return dh0).
        const noH0 = backend.recurrenceBackward({ ...a, ...out, dHs, dYs, skip: { ...skip, dh0: true } });
        if (backend.name.startsWith("wasm")) expect(noH0.dh0, "dh0 skipped").toBeNull();
        expect({ ...noH0, dh0: null }, "the rest unchanged").toEqual({ ...grads, dh0: null });
      }
    },
  );
});

describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("recurrence from a zero initial state on $name", ({ backend }) => {
  // A kernel may leave out step 0's products with h0 when h0 is +0 (they add +0): a -0 state
  // makes the same products by hand, so every float must match, pre-activations included, and
  // where W_rec or the cotangents are not finite the left-out products would have made NaN.
  const run = (a: RecurrenceForwardArgs, dYs: Float32Array) => {
    const out = backend.recurrenceForward(a);
    const saved = { hs: out.hs.slice(), pre: out.pre.slice(), ys: out.ys!.slice() };
    return { ...saved, grads: backend.recurrenceBackward({ ...a, ...out, dHs: null, dYs }) };
  };
  it.each(CASES)("gives a -0 state's floats for $activation, $order order, alpha $alpha", (c) => {
    for (const [shape, broken] of [
      [SHAPES[0]!, "none"],
      [SHAPES[2]!, "none"],
      [SHAPES[3]!, "wRec"],
      [SHAPES[2]!, "dYs"],
      [SHAPES[1]!, "drive -0"],
    ] as const) {
      const base = args(shape, c);
      const { T, B, H } = base;
      const [I, O] = [2, 1];
      const wRec = base.wRec.slice();
      if (broken === "wRec") wRec[3] = Infinity;
      const dYs = randomF32(T * B * O, 27);
      if (broken === "dYs") dYs[1] = Infinity;
      // A drive of -0 (no input terms) makes z_0 = -0 + h0 W_rec: +0, whose sign tanh keeps.
      const drive = base.drive.fill(-0, 0, H);
      const x = randomF32(T * B * I, 21);
      const a = (h0: number): RecurrenceForwardArgs => ({
        ...base,
        wRec,
        drive: broken === "drive -0" ? drive : null,
        h0: new Float32Array(B * H).fill(h0),
        ...(broken === "drive -0" ? {} : { input: { I, x, wIn: randomF32(I * H, 22), b: randomF32(H, 23) } }),
        readout: { O, wOut: randomF32(H * O, 24), bOut: randomF32(O, 25) },
      });
      const [plus, minus] = [run(a(0), dYs), run(a(-0), dYs)];
      expect(plus, `${shape.T}x${shape.B}x${shape.H}, ${broken}`).toEqual(minus);
      if (broken === "wRec" || broken === "dYs")
        expect(plus.grads.dWRec.some(Number.isNaN), `${broken}: NaN`).toBe(true);
    }
  });
});

// A backend may keep a forward's states and pre-activations for its backward (the WASM one keeps
// the last forward's in its memory): a backward must still differentiate its own forward when
// other calls ran in between, and when handed other arrays than the forward returned.
describe.each(
  backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
)("recurrence backward after other calls on $name", ({ backend }) => {
  it("gives the gradients of its own forward's states", () => {
    const calls = [
      args(SHAPES[1]!, { activation: "relu", order: "rate", alpha: 0.2 }),
      args(SHAPES[3]!, { activation: "tanh", order: "current", alpha: 0.5 }),
    ].map((a, i) => ({ a, dHs: randomF32(a.T * a.B * a.H, 40 + i) }));
    // Each backward straight after its forward, from copies of the forward's outputs.
    const expected = calls.map(({ a, dHs }) => {
      const out = backend.recurrenceForward(a);
      return backend.recurrenceBackward({ ...a, hs: out.hs.slice(), pre: out.pre.slice(), dHs });
    });
    // Both forwards first: the second one's outputs replace whatever the first left behind.
    const outs = calls.map(({ a }) => backend.recurrenceForward(a));
    const first = backend.recurrenceBackward({ ...calls[0]!.a, ...outs[0]!, dHs: calls[0]!.dHs });
    const [M, N, K] = [5, 9, 7];
    backend.gemm(
      false,
      false,
      M,
      N,
      K,
      1,
      randomF32(M * K, 44),
      randomF32(K * N, 45),
      0,
      new Float32Array(M * N),
    );
    const second = backend.recurrenceBackward({ ...calls[1]!.a, ...outs[1]!, dHs: calls[1]!.dHs });
    // The second forward's very outputs, but another initial state than it ran from.
    const { a, dHs } = calls[1]!;
    const h0 = a.h0.map((v) => v + 0.25);
    const otherH0 = backend.recurrenceBackward({ ...a, ...outs[1]!, h0, dHs });
    const otherH0Want = backend.recurrenceBackward({
      ...a,
      hs: outs[1]!.hs.slice(),
      pre: outs[1]!.pre.slice(),
      h0,
      dHs,
    });
    for (const [got, want] of [
      [first, expected[0]!],
      [second, expected[1]!],
      [otherH0, otherH0Want],
    ] as const) {
      expect(got.dWRec).toEqual(want.dWRec);
      expect(got.dh0).toEqual(want.dh0);
      expect(got.dDrive).toEqual(want.dDrive);
    }
  });

  // A backward handed another array in place of one of the forward's, with other values, reads
  // that array: as the backward from copies of everything does (which finds nothing kept).
  it.each(["hs", "pre", "h0"] as const)("reads the %s it is handed", (name) => {
    const a = args(SHAPES[1]!, { activation: "relu", order: "rate", alpha: 0.2 });
    const dHs = randomF32(a.T * a.B * a.H, 46);
    const out = backend.recurrenceForward(a);
    const own = { ...a, ...out, dHs };
    const copies = { ...own, hs: out.hs.slice(), pre: out.pre.slice(), h0: a.h0.slice() };
    expect(backend.recurrenceBackward(own), "its own arrays").toEqual(backend.recurrenceBackward(copies));
    const other = own[name].map((v) => v + 0.25);
    const got = backend.recurrenceBackward({ ...own, [name]: other });
    const want = backend.recurrenceBackward({ ...copies, [name]: other.slice() });
    expect(got, name).toEqual(want);
    expect(got.dWRec, name).not.toEqual(backend.recurrenceBackward(copies).dWRec);
  });

  it("reads the input it is handed", () => {
    const base = args(SHAPES[1]!, { activation: "relu", order: "rate", alpha: 0.2 });
    const { T, B, H } = base;
    const input = { I: 3, x: randomF32(T * B * 3, 47), wIn: randomF32(3 * H, 48), b: randomF32(H, 49) };
    const a = { ...base, input };
    const dHs = randomF32(T * B * H, 46);
    const out = backend.recurrenceForward(a);
    const own = { ...a, ...out, dHs };
    const copies = { ...own, hs: out.hs.slice(), pre: out.pre.slice(), h0: a.h0.slice() };
    const x = input.x.map((v) => v + 0.25);
    const got = backend.recurrenceBackward({ ...own, input: { ...input, x } });
    const want = backend.recurrenceBackward({ ...copies, input: { ...input, x: x.slice() } });
    expect(got).toEqual(want);
    expect(got.input!.dWIn).not.toEqual(backend.recurrenceBackward(copies).input!.dWIn);
  });

  it("reads states a product overwrote since its forward", () => {
    const a = args(SHAPES[1]!, { activation: "relu", order: "rate", alpha: 0.2 });
    const out = backend.recurrenceForward(a);
    const [rows, N] = [a.T * a.B, 7];
    backend.gemm(false, false, rows, a.H, N, 1, randomF32(rows * N, 47), randomF32(N * a.H, 48), 0, out.hs);
    const own = { ...a, ...out, dHs: randomF32(rows * a.H, 49) };
    expect(backend.recurrenceBackward(own)).toEqual(
      backend.recurrenceBackward({ ...own, hs: out.hs.slice(), pre: out.pre.slice() }),
    );
  });

  it("fills the outputs it was told only the backward reads when it gives up their place first", () => {
    const a = args(SHAPES[1]!, { activation: "relu", order: "rate", alpha: 0.2 });
    const dHs = randomF32(a.T * a.B * a.H, 46);
    const eager = backend.recurrenceForward(a);
    const want = backend.recurrenceBackward({ ...a, hs: eager.hs.slice(), pre: eager.pre.slice(), dHs });
    const deferred = { ...a, backwardOnly: { hs: true, pre: true } };
    // Another forward between forward and backward: the first one's block is given up.
    const out = backend.recurrenceForward(deferred);
    backend.recurrenceForward(args(SHAPES[0]!, { activation: "tanh", order: "current", alpha: 0.5 }));
    expect(out.hs).toEqual(eager.hs);
    expect(out.pre).toEqual(eager.pre);
    const got = backend.recurrenceBackward({ ...deferred, ...out, dHs });
    // The backward straight after its forward, then a forward of another size meddling after it.
    const again = backend.recurrenceForward(deferred);
    const inPlace = backend.recurrenceBackward({ ...deferred, ...again, dHs });
    for (const r of [got, inPlace]) {
      expect(r.dWRec).toEqual(want.dWRec);
      expect(r.dh0).toEqual(want.dh0);
      expect(r.dDrive).toEqual(want.dDrive);
    }
    // The WASM backends read them in place, so giving the block up later copies nothing out.
    if (backend.name.startsWith("wasm")) {
      backend.recurrenceForward(a);
      expect(again.hs.every((v) => v === 0) && again.pre.every((v) => v === 0)).toBe(true);
    }
  });

  // Outputs left only in the backend's memory (backwardOnly) are written out for a backward that
  // is handed another initial state (an equal copy), which reads what it is handed.
  it("fills outputs it kept for its backward when the backward is handed other arrays", () => {
    const a = args(SHAPES[1]!, { activation: "relu", order: "rate", alpha: 0.2 });
    const dHs = randomF32(a.T * a.B * a.H, 50);
    const plain = backend.recurrenceForward(a);
    const want = backend.recurrenceBackward({ ...a, hs: plain.hs.slice(), pre: plain.pre.slice(), dHs });
    const out = backend.recurrenceForward({ ...a, backwardOnly: { hs: true, pre: true } });
    expect(backend.recurrenceBackward({ ...a, ...out, h0: a.h0.slice(), dHs })).toEqual(want);
  });
});
