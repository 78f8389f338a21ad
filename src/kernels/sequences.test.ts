/**
 * The fused GRU, LSTM and HORN layer kernels: the float64 references against central differences,
 * and every backend against the float64 references, on shapes that leave partial tiles, pack the
 * input product, and cut the batch into several shards.
 */
import { describe, expect, it } from "vitest";
import { GATES, type GatedCell, type GatedForwardArgs, type HornForwardArgs } from "./backend.ts";
import type { FloatArray } from "./js/gemm.ts";
import { gatedBackwardRef, gatedForwardRef } from "./js/gated.ts";
import { hornBackwardRef, hornForwardRef } from "./js/horn.ts";
import { backendsUnderTest, maxRelDiff, randomF32 } from "./test-util.ts";
import { createWasmBackend } from "./wasm/backend.ts";

const SHAPES = [
  { T: 5, B: 9, I: 3, H: 13 },
  { T: 3, B: 16, I: 10, H: 20 },
  { T: 2, B: 66, I: 2, H: 9 },
];
// H = 7 and 10 leave 3- and 2-lane tails of the gate loops; G·H = 21, 28, 30, 40 and H (the
// backward's product) leave column slivers of 5, 4, 6, 0, 7 and 2 (the 8x4 kernel for 4 and
// fewer); B = 17 and 13 leave 1 and 5 rows after the 8-row tiles, split unevenly on 2 threads.
const EDGES = [
  { T: 3, B: 17, I: 3, H: 7 },
  { T: 2, B: 13, I: 11, H: 10 },
];
type Shape = (typeof SHAPES)[number];
/** Each shape with inputs ×1, the edge shapes also with inputs ×30 (many gates saturated: 0 or 1 in float). */
const SCALED = [
  ...SHAPES.map((s) => ({ ...s, scale: 1 })),
  ...EDGES.flatMap((s) => [1, 30].map((scale) => ({ ...s, scale }))),
];
const f64 = (x: Float32Array) => Float64Array.from(x);

function gatedArgs(cell: GatedCell, { T, B, I, H }: Shape): GatedForwardArgs {
  const GH = GATES[cell] * H;
  const k = 1 / Math.sqrt(H);
  return {
    cell,
    T,
    B,
    I,
    H,
    x: randomF32(T * B * I, 31),
    wIh: randomF32(I * GH, 32, k),
    wHh: randomF32(H * GH, 33, 2 * k),
    bIh: randomF32(GH, 34, k),
    bHh: randomF32(GH, 35, k),
    h0: randomF32(B * H, 36, 0.5),
    c0: cell === "lstm" ? randomF32(B * H, 37, 0.5) : null,
  };
}

function hornArgs({ T, B, I, H }: Shape): HornForwardArgs {
  const k = 1 / Math.sqrt(H);
  return {
    T,
    B,
    I,
    H,
    u: randomF32(T * B * I, 41),
    wIh: randomF32(I * H, 42),
    bIh: randomF32(H, 43, 0.5),
    wHh: randomF32(H * H, 44, k),
    bHh: randomF32(H, 45, 0.5),
    gain: 0.7,
    dt: 0.5,
    alpha: randomF32(H, 46, 0.3).map((a) => 0.4 + a),
    omega: randomF32(H, 47, 0.1).map((w) => 0.3 + w),
    gamma: randomF32(H, 48, 0.05).map((g) => 0.1 + g),
    v: randomF32(H, 49, 0.2),
    x0: randomF32(B * H, 50, 0.5),
    y0: randomF32(B * H, 51, 0.5),
  };
}

/** Every Float32Array field of `a` as float64 (the reference's precision). */
function toF64<T extends object>(
  a: T,
): {
  [K in keyof T]: T[K] extends Float32Array
    ? Float64Array
    : T[K] extends Float32Array | null
      ? Float64Array | null
      : T[K] extends Float32Array | undefined
        ? Float64Array
        : T[K];
} {
  return Object.fromEntries(
    Object.entries(a).map(([k, v]) => [k, v instanceof Float32Array ? f64(v) : v]),
  ) as never;
}

function dot(a: FloatArray, b: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Checks `grad` (the gradient of `loss` with respect to `x`) against a central difference along a
 * random direction, in float64.
 */
function expectDirectional(loss: () => number, x: Float64Array, grad: FloatArray, seed: number): void {
  const dir = f64(randomF32(x.length, seed));
  const eps = 1e-6;
  const x0 = x.slice();
  x.set(x0.map((v, i) => v + eps * dir[i]!));
  const up = loss();
  x.set(x0.map((v, i) => v - eps * dir[i]!));
  const down = loss();
  x.set(x0);
  expect(dot(grad, dir)).toBeCloseTo((up - down) / (2 * eps), 6);
}

/**
 * A fused layer's backward given its forward's own arrays (which reads the forward's tape in the
 * arena) equals the backward given copies of them (which finds no tape and copies them in); given
 * another input array beside the forward's states, its input-weight gradient comes from that
 * array; after another forward took the tape's place, it still equals the first.
 * `backward(input, copied)` runs the backward with `input` as the layer's input, on copies or not.
 */
function expectOwnTapeOnly<R>(
  backward: (input: Float32Array, copied: boolean) => R,
  input: Float32Array,
  inputWeightGrad: (r: R) => Float32Array,
  anotherForward: () => void,
): void {
  const own = backward(input, false);
  expect(backward(input, true), "from copies").toEqual(own);
  const other = randomF32(input.length, 66);
  const moved = backward(other, false);
  expect(inputWeightGrad(moved), "another input").not.toEqual(inputWeightGrad(own));
  expect(moved, "another input").toEqual(backward(other, true));
  anotherForward();
  expect(backward(input, false), "after another forward").toEqual(own);
}

describe.each(["gru", "lstm"] as const)("%s layer", (cell) => {
  // The input-weight gradient over all T·B rows (few inputs: columns read in place, split over
  // threads by columns) is the same floats on one thread and on two, which split it.
  it.each([false, true])(
    "gives the same weight gradients on 1 and 2 threads (relaxed SIMD %s)",
    (relaxedSimd) => {
      const grads = [1, 2].map((threads) => {
        const backend = createWasmBackend({ threads, relaxedSimd, minParallelFlops: 0 });
        return SHAPES.map((shape) => {
          const a = gatedArgs(cell, shape);
          const dHs = randomF32(shape.T * shape.B * shape.H, 67);
          const r = backend.gatedBackward({ ...a, ...backend.gatedForward(a), dHs, dCs: null });
          return [r.dWIh, r.dBIh, r.dBHh, r.dWHh].map((g) => Array.from(g));
        });
      });
      expect(grads[1]).toEqual(grads[0]);
    },
  );

  it("reference gradients match central differences (float64)", () => {
    const shape = SHAPES[0]!;
    const a = toF64(gatedArgs(cell, shape));
    const n = shape.T * shape.B * shape.H;
    const dHs = f64(randomF32(n, 60));
    const dCs = cell === "lstm" ? f64(randomF32(n, 61)) : null;
    const loss = () => {
      const r = gatedForwardRef(a);
      return dot(r.hs, dHs) + (dCs ? dot(r.cs!, dCs) : 0);
    };
    const g = gatedBackwardRef({ ...a, ...gatedForwardRef(a), dHs, dCs });
    const wrt = [
      [a.x, g.dX!],
      [a.wIh, g.dWIh],
      [a.wHh, g.dWHh],
      [a.bIh, g.dBIh],
      [a.bHh, g.dBHh],
      [a.h0, g.dh0],
      ...(a.c0 ? [[a.c0, g.dc0!] as const] : []),
    ] as const;
    wrt.forEach(([x, grad], i) => expectDirectional(loss, x, grad, 70 + i));
  });

  describe.each(
    backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
  )("on $name", ({ backend }) => {
    it.each(SCALED)("matches the float64 reference at T$T B$B I$I H$H, inputs x$scale", (shape) => {
      const plain = gatedArgs(cell, shape);
      const a = { ...plain, x: plain.x.map((v) => v * shape.scale) };
      const n = shape.T * shape.B * shape.H;
      const dHs = randomF32(n, 62);
      const dCs = cell === "lstm" ? randomF32(n, 63) : null;
      const ref64 = toF64(a);
      const fwd64 = gatedForwardRef(ref64);
      const bwd64 = gatedBackwardRef({ ...ref64, ...fwd64, dHs: f64(dHs), dCs: dCs && f64(dCs) });
      const fwd = backend.gatedForward(a);
      expect(maxRelDiff(fwd.hs, fwd64.hs), "hs").toBeLessThan(1e-5);
      if (cell === "lstm") expect(maxRelDiff(fwd.cs!, fwd64.cs!), "cs").toBeLessThan(1e-5);
      expect(maxRelDiff(fwd.gates, fwd64.gates), "gates").toBeLessThan(1e-5);
      const bwd = backend.gatedBackward({ ...a, ...fwd, dHs, dCs });
      for (const k of ["dX", "dWIh", "dWHh", "dBIh", "dBHh", "dh0", "dc0"] as const) {
        if (bwd64[k] === null) expect(bwd[k], k).toBeNull();
        else expect(maxRelDiff(bwd[k]!, bwd64[k]), k).toBeLessThan(2e-5);
      }
      // Without dX, every other gradient is the same floats (they read the gate gradients dX
      // would be assembled from).
      const { dX, ...rest } = backend.gatedBackward({ ...a, ...fwd, dHs, dCs, skipDx: true });
      expect(dX).toBeNull();
      const { dX: _dX, ...all } = bwd;
      expect(rest).toEqual(all);
    });

    it("reads the forward's tape only with the forward's own arrays", () => {
      const shape = SHAPES[1]!;
      const a = gatedArgs(cell, shape);
      const n = shape.T * shape.B * shape.H;
      const dHs = randomF32(n, 64);
      const dCs = cell === "lstm" ? randomF32(n, 65) : null;
      const fwd = backend.gatedForward(a);
      expectOwnTapeOnly(
        (x, copied) =>
          backend.gatedBackward(
            copied
              ? {
                  ...a,
                  x: x.slice(),
                  h0: a.h0.slice(),
                  c0: a.c0 && a.c0.slice(),
                  hs: fwd.hs.slice(),
                  cs: fwd.cs && fwd.cs.slice(),
                  gates: fwd.gates.slice(),
                  dHs,
                  dCs,
                }
              : { ...a, ...fwd, x, dHs, dCs },
          ),
        a.x,
        (r) => r.dWIh,
        () => backend.gatedForward(gatedArgs(cell, SHAPES[0]!)),
      );
    });

    it("fills the outputs it was told only the backward reads when it gives up their place first", () => {
      const shape = SHAPES[1]!;
      const a = gatedArgs(cell, shape);
      const n = shape.T * shape.B * shape.H;
      const dHs = randomF32(n, 70);
      const eager = backend.gatedForward(a);
      const copies = { hs: eager.hs.slice(), cs: eager.cs && eager.cs.slice(), gates: eager.gates.slice() };
      const want = backend.gatedBackward({ ...a, ...copies, dHs, dCs: null });
      const deferred = { ...a, backwardOnly: { states: true, gates: true } };
      // Another forward between forward and backward: the first one's block is given up.
      const out = backend.gatedForward(deferred);
      backend.gatedForward(gatedArgs(cell, SHAPES[0]!));
      expect(out).toEqual(copies);
      const got = backend.gatedBackward({ ...deferred, ...out, dHs, dCs: null });
      // The backward straight after its forward, then a forward of another size meddling after it.
      const again = backend.gatedForward(deferred);
      const inPlace = backend.gatedBackward({ ...deferred, ...again, dHs, dCs: null });
      for (const r of [got, inPlace]) expect(r).toEqual(want);
      // Handed another input array (an equal copy), the backward reads what it is handed: the
      // outputs left only in the block are written out for it first.
      const other = backend.gatedForward(deferred);
      expect(backend.gatedBackward({ ...deferred, ...other, x: a.x.slice(), dHs, dCs: null })).toEqual(want);
      // The WASM backends read them in place, so giving the block up later copies nothing out.
      if (backend.name.startsWith("wasm")) {
        backend.gatedForward(gatedArgs(cell, SHAPES[0]!));
        const zero = (x: Float32Array | null) => x === null || x.every((v) => v === 0);
        expect(zero(again.hs) && zero(again.cs) && zero(again.gates)).toBe(true);
      }
    });

    // Few inputs (I + 1 <= 8) take the input-weight gradient's own kernel: every input count,
    // so one or two groups of 4 rows with every remainder; T·B = 69 rows, one pass of 64 and one
    // of 5; G·H = 15 and 20 columns, groups of 8, 4 and single columns (split on 2 threads).
    it.each([1, 2, 4, 5, 6, 7])("gives the float64 reference's input-weight gradients with I = %i", (I) => {
      const shape = { T: 3, B: 23, I, H: 5 };
      const a = gatedArgs(cell, shape);
      const n = shape.T * shape.B * shape.H;
      const dHs = randomF32(n, 90);
      const dCs = cell === "lstm" ? randomF32(n, 91) : null;
      const ref64 = toF64(a);
      const bwd64 = gatedBackwardRef({
        ...ref64,
        ...gatedForwardRef(ref64),
        dHs: f64(dHs),
        dCs: dCs && f64(dCs),
      });
      const bwd = backend.gatedBackward({ ...a, ...backend.gatedForward(a), dHs, dCs });
      for (const k of ["dWIh", "dBIh", "dBHh", "dX"] as const) {
        expect(maxRelDiff(bwd[k]!, bwd64[k]!), k).toBeLessThan(2e-5);
      }
    });

    it("gives the reference's finite states for infinite inputs", () => {
      const shape = EDGES[0]!;
      const a = gatedArgs(cell, shape);
      // One infinite input in some rows at every step: x W_ih is ±∞ in each gate column, the gates
      // 0 or 1 and n, g ±1, so the states stay finite (the GRU's n takes no input in gh_n).
      for (let t = 0; t < shape.T; t++) {
        for (let b = t; b < shape.B; b += 3) {
          a.x[(t * shape.B + b) * shape.I + (b % shape.I)] = b % 2 ? Infinity : -Infinity;
        }
      }
      const fwd64 = gatedForwardRef(toF64(a));
      expect(fwd64.hs.every(Number.isFinite)).toBe(true);
      const fwd = backend.gatedForward(a);
      expect(maxRelDiff(fwd.hs, fwd64.hs), "hs").toBeLessThan(1e-5);
      if (cell === "lstm") expect(maxRelDiff(fwd.cs!, fwd64.cs!), "cs").toBeLessThan(1e-5);
      expect(maxRelDiff(fwd.gates, fwd64.gates), "gates").toBeLessThan(1e-5);
    });

    it("keeps a NaN input in its batch row: NaN from its step on, the other rows unchanged", () => {
      const shape = EDGES[0]!;
      const { T, B, H, I } = shape;
      const a = gatedArgs(cell, shape);
      const clean = backend.gatedForward({ ...a, x: a.x.slice() }).hs.slice();
      const [tNaN, bNaN] = [1, 9];
      const x = a.x.slice();
      x[(tNaN * B + bNaN) * I] = NaN;
      const hs = backend.gatedForward({ ...a, x }).hs;
      const row = (h: Float32Array, t: number, b: number) =>
        Array.from(h.subarray((t * B + b) * H, (t * B + b + 1) * H));
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) {
          if (b === bNaN && t >= tNaN) expect(row(hs, t, b).every(Number.isNaN), `t ${t} b ${b}`).toBe(true);
          else expect(row(hs, t, b), `t ${t} b ${b}`).toEqual(row(clean, t, b));
        }
      }
    });

    it("a product reads the forward's states as they are, also after a product overwrote them", () => {
      const shape = SHAPES[1]!;
      const a = gatedArgs(cell, shape);
      const { hs } = backend.gatedForward(a);
      const [rows, H, N] = [shape.T * shape.B, shape.H, 7];
      const w = randomF32(H * N, 67);
      const times = (x: Float32Array) => {
        const c = new Float32Array(rows * N);
        backend.gemm(false, false, rows, N, H, 1, x, w, 0, c);
        return c;
      };
      expect(times(hs), "the states").toEqual(times(hs.slice()));
      // hs as the output of a product ([rows, H] ← [rows, N] [N, H]): later products read that.
      backend.gemm(false, false, rows, H, N, 1, randomF32(rows * N, 68), randomF32(N * H, 69), 0, hs);
      expect(times(hs), "overwritten").toEqual(times(hs.slice()));
    });
  });
});

describe("HORN layer", () => {
  it("reference gradients match central differences (float64)", () => {
    const shape = SHAPES[0]!;
    const a = toF64(hornArgs(shape));
    const n = shape.T * shape.B * shape.H;
    const [dXs, dYs] = [f64(randomF32(n, 80)), f64(randomF32(n, 81))];
    const loss = () => {
      const r = hornForwardRef(a);
      return dot(r.xs, dXs) + dot(r.ys, dYs);
    };
    const g = hornBackwardRef({ ...a, ...hornForwardRef(a), dXs, dYs });
    const wrt = [
      [a.u, g.dU!],
      [a.wIh, g.dWIh],
      [a.bIh, g.dBIh],
      [a.wHh, g.dWHh],
      [a.bHh, g.dBHh],
      [a.alpha, g.dAlpha],
      [a.omega, g.dOmega],
      [a.gamma, g.dGamma],
      [a.v, g.dV],
      [a.x0, g.dx0],
      [a.y0, g.dy0],
    ] as const;
    wrt.forEach(([x, grad], i) => expectDirectional(loss, x, grad!, 90 + i));
  });

  describe.each(
    backendsUnderTest().map((backend) => ({ backend, name: `${backend.name}/${backend.threads}` })),
  )("on $name", ({ backend }) => {
    it.each(SHAPES)("matches the float64 reference at T$T B$B I$I H$H", (shape) => {
      const a = hornArgs(shape);
      const n = shape.T * shape.B * shape.H;
      const [dXs, dYs] = [randomF32(n, 82), randomF32(n, 83)];
      const ref64 = toF64(a);
      const fwd64 = hornForwardRef(ref64);
      const bwd64 = hornBackwardRef({ ...ref64, ...fwd64, dXs: f64(dXs), dYs: f64(dYs) });
      const fwd = backend.hornForward(a);
      for (const k of ["xs", "ys", "drive"] as const)
        expect(maxRelDiff(fwd[k], fwd64[k]), k).toBeLessThan(1e-5);
      const bwd = backend.hornBackward({ ...a, ...fwd, dXs, dYs: null });
      const only = hornBackwardRef({ ...ref64, ...fwd64, dXs: f64(dXs), dYs: null });
      expect(maxRelDiff(bwd.dWHh, only.dWHh), "dWHh, dXs only").toBeLessThan(2e-5);
      const both = backend.hornBackward({ ...a, ...fwd, dXs, dYs });
      for (const k of Object.keys(bwd64) as Array<keyof typeof bwd64>) {
        expect(maxRelDiff(both[k]!, bwd64[k]!), k).toBeLessThan(2e-5);
      }
    });

    it("skips the constants' and the initial state's gradients when told, the others unchanged bit for bit", () => {
      const shape = SHAPES[1]!;
      const a = hornArgs(shape);
      const dXs = randomF32(shape.T * shape.B * shape.H, 86);
      const fwd = backend.hornForward(a);
      const all = backend.hornBackward({ ...a, ...fwd, dXs, dYs: null });
      const some = backend.hornBackward({
        ...a,
        ...fwd,
        dXs,
        dYs: null,
        skipDConstants: true,
        skipDState0: true,
      });
      for (const k of ["dU", "dWIh", "dBIh", "dWHh", "dBHh"] as const)
        expect([...some[k]!], k).toEqual([...all[k]!]);
      const skipped = ["dAlpha", "dOmega", "dGamma", "dV", "dx0", "dy0"] as const;
      for (const k of skipped) {
        // A backend may skip them; one that returns them returns them whole.
        if (backend.name !== "js") expect(some[k], k).toBeNull();
        else expect([...some[k]!], k).toEqual([...all[k]!]);
      }
    });

    it("takes the last step's cotangents alone as zero sequences with them last, bit for bit", () => {
      const shape = SHAPES[1]!;
      const a = hornArgs(shape);
      const BH = shape.B * shape.H;
      const [dXLast, dYLast] = [randomF32(BH, 87), randomF32(BH, 88)];
      const widened = (d: Float32Array) => {
        const w = new Float32Array(shape.T * BH);
        w.set(d, (shape.T - 1) * BH);
        return w;
      };
      const plain = backend.hornForward(a);
      const whole = backend.hornBackward({ ...a, ...plain, dXs: widened(dXLast), dYs: widened(dYLast) });
      // A final forward: its last step apart, its sequences the backward's alone.
      const fwd = backend.hornForward({ ...a, final: true });
      expect([...fwd.xLast!]).toEqual([...plain.xs.subarray((shape.T - 1) * BH)]);
      expect([...fwd.yLast!]).toEqual([...plain.ys.subarray((shape.T - 1) * BH)]);
      for (const dYs of [dYLast, null]) {
        const ref = dYs ? whole : backend.hornBackward({ ...a, ...plain, dXs: widened(dXLast), dYs: null });
        const got = backend.hornBackward({ ...a, ...fwd, dXs: null, dYs: null, dXLast, dYLast: dYs });
        for (const k of Object.keys(ref) as Array<keyof typeof ref>)
          expect([...got[k]!], k).toEqual([...ref[k]!]);
      }
    });

    it("reads the forward's tape only with the forward's own arrays", () => {
      const shape = SHAPES[1]!;
      const a = hornArgs(shape);
      const n = shape.T * shape.B * shape.H;
      const [dXs, dYs] = [randomF32(n, 84), randomF32(n, 85)];
      const fwd = backend.hornForward(a);
      expectOwnTapeOnly(
        (u, copied) =>
          backend.hornBackward(
            copied
              ? {
                  ...a,
                  u: u.slice(),
                  x0: a.x0.slice(),
                  y0: a.y0.slice(),
                  xs: fwd.xs.slice(),
                  ys: fwd.ys.slice(),
                  drive: fwd.drive.slice(),
                  dXs,
                  dYs,
                }
              : { ...a, ...fwd, u, dXs, dYs },
          ),
        a.u,
        (r) => r.dWIh,
        () => backend.hornForward(hornArgs(SHAPES[0]!)),
      );
    });
  });
});
