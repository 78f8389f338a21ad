import { describe, expect, it } from "vitest";
import { Rng } from "../base/random.ts";
import { SURROGATE_KINDS, type SpikingChainConstants } from "./js/spiking.ts";
import { createBackend } from "./select.ts";
import { randomF32 } from "./test-util.ts";

// Large enough that the threaded backend cuts the batch into several shards.
const sh = { T: 400, B: 96, nIn: 40, N: 8, O: 3 };
const x = new Float32Array(sh.T * sh.B * sh.nIn);
Rng.fromSeed(1)
  .fillUniform(x)
  .forEach((u, i) => (x[i] = u < 0.05 ? 1 : 0));
const w1 = randomF32(sh.nIn * sh.N, 2, 1.5);
const w2 = randomF32(sh.N * sh.O, 3);
const dU = randomF32(sh.T * sh.B * sh.O, 4, 0.1);
const dV = randomF32(sh.T * sh.B * sh.N, 5, 0.01);

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
        const ref = js.spikingChainForward(sh, c, x, w1, w2);
        const got = be.spikingChainForward(sh, c, x, w1, w2);
        const spikes = ref.s.reduce((a, b) => a + b, 0);
        expect(spikes).toBeGreaterThan(100);
        expect(Array.from(got.s)).toEqual(Array.from(ref.s));
        close(got.u, ref.u, 1e-5);
        close(got.v, ref.v, 1e-5);
        const gRef = js.spikingChainBackward(sh, c, x, w2, ref, dU, null, dV);
        const gGot = be.spikingChainBackward(sh, c, x, w2, got, dU, null, dV);
        close(gGot.dW1, gRef.dW1, 1e-4);
        close(gGot.dW2, gRef.dW2, 1e-4);
      });
    }
  }
});
