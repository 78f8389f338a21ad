import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { SURROGATE_KINDS, type SpikingChainConstants } from "./js/spiking.ts";
import { createBackend } from "./select.ts";
import { randomF32 } from "./test-util.ts";

/** Inputs at 5%, weights and cotangents for a shape. */
function problem(sh: { T: number; B: number; nIn: number; N: number; O: number }) {
  const x = new Float32Array(sh.T * sh.B * sh.nIn);
  Rng.fromSeed(1)
    .fillUniform(x)
    .forEach((u, i) => (x[i] = u < 0.05 ? 1 : 0));
  return {
    sh,
    x,
    w1: randomF32(sh.nIn * sh.N, 2, 1.5),
    w2: randomF32(sh.N * sh.O, 3),
    dU: randomF32(sh.T * sh.B * sh.O, 4, 0.1),
    dS: randomF32(sh.T * sh.B * sh.N, 6, 0.01),
    dV: randomF32(sh.T * sh.B * sh.N, 5, 0.01),
  };
}
// Large enough that the threaded backend cuts the batch into several shards; the odd batch gives
// shards of odd row counts (the WASM kernels run row pairs, with a padding row there).
const problems = [
  problem({ T: 400, B: 96, nIn: 40, N: 8, O: 3 }),
  problem({ T: 150, B: 37, nIn: 40, N: 8, O: 3 }),
];

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
        for (const { sh, x, w1, w2, dU, dS, dV } of problems) {
          const ref = js.spikingChainForward(sh, c, x, w1, w2, true);
          const got = be.spikingChainForward(sh, c, x, w1, w2, true);
          const [refStates, gotStates] = [ref.states, got.states];
          if (!refStates || !gotStates) throw new Error("states were asked for");
          const spikes = refStates.s.reduce((a, b) => a + b, 0);
          expect(spikes).toBeGreaterThan(100);
          // Each lane runs the reference's float operations in its order: the same values bit for bit.
          expect(firstDifference(got.u, ref.u)).toBe(-1);
          expect(firstDifference(gotStates.s, refStates.s)).toBe(-1);
          expect(firstDifference(gotStates.v, refStates.v)).toBe(-1);
          // The readout alone is the same computation without the hidden states' stores.
          const readout = be.spikingChainForward(sh, c, x, w1, w2, false);
          expect(readout.states).toBeNull();
          expect(firstDifference(readout.u, got.u)).toBe(-1);
          // Weight gradients add the shards' sums: equal up to the order of the additions.
          for (const [dUi, dSi, dVi] of [
            [dU, null, dV],
            [null, dS, null],
          ] as const) {
            const gRef = js.spikingChainBackward(sh, c, x, w1, w2, dUi, dSi, dVi, null);
            const gGot = be.spikingChainBackward(sh, c, x, w1, w2, dUi, dSi, dVi, null);
            close(gGot.dW1, gRef.dW1, 1e-6);
            close(gGot.dW2, gRef.dW2, 1e-6);
          }
          // The readout forward keeps its tape for the backward call: the same gradients, bit for bit,
          // as running the forward again; once a later call has taken the memory, the handle is stale
          // and the backward runs the forward again.
          const again = be.spikingChainBackward(sh, c, x, w1, w2, dU, null, null, null);
          expect(readout.tape).not.toBeNull();
          const fromTape = be.spikingChainBackward(sh, c, x, w1, w2, dU, null, null, readout.tape);
          expect([fromTape.dW1, fromTape.dW2]).toEqual([again.dW1, again.dW2]);
          be.spikingChainForward(
            sh,
            c,
            x,
            w1.map((w) => -w),
            w2,
            false,
          );
          const stale = be.spikingChainBackward(sh, c, x, w1, w2, dU, null, null, readout.tape);
          expect([stale.dW1, stale.dW2]).toEqual([again.dW1, again.dW2]);
        }
      });
    }
  }
});
