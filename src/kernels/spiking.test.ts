import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { SURROGATE_KINDS, type SpikingChainConstants } from "./js/spiking.ts";
import { createBackend } from "./select.ts";
import { randomF32 } from "./test-util.ts";

/**
 * Inputs at 5%, weights and cotangents for a shape. W₂'s last column is 0: that readout stays 0, so
 * its maximum over time is a tie of every step.
 */
function problem(sh: { T: number; B: number; nIn: number; N: number; O: number }) {
  const x = new Float32Array(sh.T * sh.B * sh.nIn);
  Rng.fromSeed(1)
    .fillUniform(x)
    .forEach((u, i) => (x[i] = u < 0.05 ? 1 : 0));
  return {
    sh,
    x,
    w1: randomF32(sh.nIn * sh.N, 2, 1.5),
    w2: randomF32(sh.N * sh.O, 3).map((w, i) => (i % sh.O === sh.O - 1 ? 0 : w)),
    dU: randomF32(sh.T * sh.B * sh.O, 4, 0.1),
    dMax: randomF32(sh.B * sh.O, 7),
    dS: randomF32(sh.T * sh.B * sh.N, 6, 0.01),
    dV: randomF32(sh.T * sh.B * sh.N, 5, 0.01),
  };
}
// Large enough that the threaded backend cuts the batch into several shards; odd neuron and readout
// counts (the WASM kernels run neuron pairs and readout pairs, with a padding one there) and an odd
// batch; two readouts (one pair, which the WASM forward sums as each neuron pair spikes); T = 1
// makes the maximum over time the one step.
const problems = [
  problem({ T: 400, B: 96, nIn: 40, N: 8, O: 3 }),
  problem({ T: 200, B: 45, nIn: 30, N: 7, O: 2 }),
  problem({ T: 150, B: 37, nIn: 40, N: 7, O: 3 }),
  problem({ T: 1, B: 37, nIn: 400, N: 8, O: 3 }),
];

/**
 * The cotangent of U `[T, B, O]` from that of its maximum over time `[B, O]`, written here from the
 * generic max's rule: the maximum of the float32 values, each step equal to it gets g / ties.
 */
function maxCotangent(u: Float32Array, T: number, g: Float32Array): Float32Array {
  const n = g.length;
  const max = Array.from({ length: n }, (_, i) =>
    Math.max(...Array.from({ length: T }, (_, t) => u[t * n + i] as number)),
  );
  const ties = max.map(
    (m, i) => Array.from({ length: T }, (_, t) => u[t * n + i]).filter((v) => v === m).length,
  );
  return u.map((v, k) => (v === max[k % n] ? (g[k % n] as number) / (ties[k % n] as number) : 0));
}

const base: SpikingChainConstants = {
  synDecay: Math.exp(-0.1),
  cv: Math.exp(-0.1),
  ci: 1 - Math.exp(-0.1),
  c0: 0,
  vTh: 1,
  vReset: 0,
  v0: 0,
  reset: "hard",
  detachReset: true,
  outDecay: Math.exp(-0.2),
  surrogate: "fastSigmoid",
  surrogateScale: 10,
};

function close(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / (1 + Math.abs(b[i] as number)));
  expect(worst).toBeLessThan(tol);
}

/** The first index where a and b differ (Object.is), or -1 (-2 when the lengths differ). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -2;
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}

describe("the spiking-chain kernel", () => {
  const js = createBackend("js");
  const backends = [createBackend("wasm"), createBackend("wasm-mt", { threads: 2 })];
  const variants: SpikingChainConstants[] = [
    base,
    { ...base, reset: "soft", detachReset: false, surrogate: "gaussian", surrogateScale: 2 },
    ...SURROGATE_KINDS.map((surrogate) => ({ ...base, surrogate, detachReset: false })),
  ];
  for (const be of backends) {
    for (const c of variants) {
      it(`${be.name} equals the plain-TS reference (${c.reset} reset, ${c.surrogate}, detach ${c.detachReset})`, () => {
        for (const { sh, x, w1, w2, dU, dMax, dS, dV } of problems) {
          const ref = js.spikingChainForward(sh, c, x, w1, w2, "states");
          const got = be.spikingChainForward(sh, c, x, w1, w2, "states");
          const [refStates, gotStates] = [ref.states, got.states];
          if (!refStates || !gotStates) throw new Error("states were asked for");
          const spikes = refStates.s.reduce((a, b) => a + b, 0);
          expect(spikes).toBeGreaterThan(sh.T > 1 ? 100 : 0);
          // Each lane runs the reference's float operations in its order: the same values bit for bit.
          expect(firstDifference(gotStates.s, refStates.s)).toBe(-1);
          expect(firstDifference(gotStates.v, refStates.v)).toBe(-1);
          const refU = js.spikingChainForward(sh, c, x, w1, w2, "u").u as Float32Array;
          const readout = be.spikingChainForward(sh, c, x, w1, w2, "u");
          expect(readout.states).toBeNull();
          expect(firstDifference(readout.u as Float32Array, refU)).toBe(-1);
          // The maximum over time is the maximum of that readout, bit for bit.
          const uMax = be.spikingChainForward(sh, c, x, w1, w2, "uMax");
          const n = sh.B * sh.O;
          const maxOfU = Float32Array.from({ length: n }, (_, i) =>
            Math.max(...Array.from({ length: sh.T }, (_, t) => refU[t * n + i] as number)),
          );
          expect(firstDifference(uMax.u as Float32Array, maxOfU)).toBe(-1);
          expect(
            firstDifference(js.spikingChainForward(sh, c, x, w1, w2, "uMax").u as Float32Array, maxOfU),
          ).toBe(-1);
          // Weight gradients add the shards' sums: equal up to the order of the additions.
          for (const [output, dOut, dSi, dVi] of [
            ["u", dU, null, dV],
            ["states", null, dS, null],
            ["uMax", dMax, null, null],
          ] as const) {
            const gRef = js.spikingChainBackward(sh, c, x, w1, w2, output, dOut, dSi, dVi, null);
            const gGot = be.spikingChainBackward(sh, c, x, w1, w2, output, dOut, dSi, dVi, null);
            close(gGot.dW1, gRef.dW1, 1e-6);
            close(gGot.dW2, gRef.dW2, 1e-6);
          }
          // The maximum's gradient is the readout's with the generic max's cotangent, bit for bit.
          const viaU = be.spikingChainBackward(
            sh,
            c,
            x,
            w1,
            w2,
            "u",
            maxCotangent(refU, sh.T, dMax),
            null,
            null,
            null,
          );
          const fromMax = be.spikingChainBackward(sh, c, x, w1, w2, "uMax", dMax, null, null, null);
          expect([fromMax.dW1, fromMax.dW2]).toEqual([viaU.dW1, viaU.dW2]);
          // A readout forward keeps its tape for the backward call: the same gradients, bit for bit,
          // as running the forward again; once a later call has taken the memory, the handle is stale
          // and the backward runs the forward again.
          for (const [output, dOut] of [
            ["u", dU],
            ["uMax", dMax],
          ] as const) {
            const again = be.spikingChainBackward(sh, c, x, w1, w2, output, dOut, null, null, null);
            const forward = be.spikingChainForward(sh, c, x, w1, w2, output);
            expect(forward.tape).not.toBeNull();
            const fromTape = be.spikingChainBackward(
              sh,
              c,
              x,
              w1,
              w2,
              output,
              dOut,
              null,
              null,
              forward.tape,
            );
            expect([fromTape.dW1, fromTape.dW2]).toEqual([again.dW1, again.dW2]);
            be.spikingChainForward(
              sh,
              c,
              x,
              w1.map((w) => -w),
              w2,
              output,
            );
            const stale = be.spikingChainBackward(sh, c, x, w1, w2, output, dOut, null, null, forward.tape);
            expect([stale.dW1, stale.dW2]).toEqual([again.dW1, again.dW2]);
          }
        }
      });
    }
  }
});

describe("the spiking-chain kernel's backward from the readout's maximum", () => {
  // No zero column in W₂: each readout's maximum falls on one step, mostly before the last, and the
  // steps after it (in every readout) carry no gradient. A cotangent dS of zeros changes no number
  // but makes the kernel run every step.
  const sh = { T: 300, B: 70, nIn: 40, N: 7, O: 2 };
  const { x, w1, dMax } = problem(sh);
  const w2 = randomF32(sh.N * sh.O, 3);
  const zerosS = new Float32Array(sh.T * sh.B * sh.N);
  const js = createBackend("js");

  /** Each row's last step where a readout equals its maximum. */
  function lastMaxima(u: Float32Array): number[] {
    const n = sh.B * sh.O;
    return Array.from({ length: sh.B }, (_, b) => {
      let last = -1;
      for (let q = 0; q < sh.O; q++) {
        const i = b * sh.O + q;
        const m = Math.max(...Array.from({ length: sh.T }, (_, t) => u[t * n + i] as number));
        for (let t = sh.T - 1; t > last; t--) if (u[t * n + i] === m) last = t;
      }
      return last;
    });
  }

  for (const be of [createBackend("wasm"), createBackend("wasm-mt", { threads: 2 })]) {
    const gradients = (c: SpikingChainConstants, xc: Float32Array, w1c: Float32Array, w2c: Float32Array) => {
      const forward = be.spikingChainForward(sh, c, xc, w1c, w2c, "uMax");
      const skipped = be.spikingChainBackward(sh, c, xc, w1c, w2c, "uMax", dMax, null, null, forward.tape);
      const every = be.spikingChainBackward(sh, c, xc, w1c, w2c, "uMax", dMax, zerosS, null, null);
      expect([skipped.dW1, skipped.dW2]).toEqual([every.dW1, every.dW2]);
      const again = be.spikingChainBackward(sh, c, xc, w1c, w2c, "uMax", dMax, null, null, null);
      expect([again.dW1, again.dW2]).toEqual([every.dW1, every.dW2]);
      return skipped;
    };

    for (const c of [base, { ...base, reset: "soft", detachReset: false, surrogate: "gaussian" } as const]) {
      it(`${be.name} skips the steps after each row's last maximum with the same gradients bit for bit (${c.reset} reset, ${c.surrogate})`, () => {
        const last = lastMaxima(be.spikingChainForward(sh, c, x, w1, w2, "u").u as Float32Array);
        expect(last.filter((t) => t < sh.T - 10).length).toBeGreaterThan(sh.B / 2);
        const g = gradients(c, x, w1, w2);
        const ref = js.spikingChainBackward(sh, c, x, w1, w2, "uMax", dMax, null, null, null);
        close(g.dW1, ref.dW1, 1e-6);
        close(g.dW2, ref.dW2, 1e-6);
      });
    }

    it(`${be.name} runs every step of a row with an infinite potential after its last maximum`, () => {
      // An input of weight 3e38 onto neuron 2, whose W₂ row is 0 (the readout never sees it), in the
      // last 3 steps of the rows whose maxima all come earlier: its synaptic current passes float32's
      // range and the tape's potentials (float32) become infinite where the adjoints are zero, and
      // −∞ · 0 is NaN in the hard reset's gradient.
      const c = { ...base, ci: 1, detachReset: false };
      const w2c = w2.map((w, i) => (Math.floor(i / sh.O) === 2 ? 0 : w));
      const w1c = w1.map((w, i) => (i >= (sh.nIn - 1) * sh.N ? (i % sh.N === 2 ? 3e38 : 0) : w));
      const quiet = x.map((v, k) => (k % sh.nIn === sh.nIn - 1 ? 0 : v));
      const last = lastMaxima(be.spikingChainForward(sh, c, quiet, w1c, w2c, "u").u as Float32Array);
      const early = last.map((t) => t < sh.T - 3);
      expect(early.filter(Boolean).length).toBeGreaterThan(sh.B / 2);
      const xc = quiet.map((v, k) => {
        const [t, b] = [Math.floor(k / (sh.B * sh.nIn)), Math.floor(k / sh.nIn) % sh.B];
        return k % sh.nIn === sh.nIn - 1 ? Number(t >= sh.T - 3 && (early[b] as boolean)) : v;
      });
      expect(Array.from(be.spikingChainForward(sh, c, xc, w1c, w2c, "u").u as Float32Array)).toEqual(
        Array.from(be.spikingChainForward(sh, c, quiet, w1c, w2c, "u").u as Float32Array),
      );
      expect(gradients(c, xc, w1c, w2c).dW1.some(Number.isNaN)).toBe(true);
    });
  }
});
