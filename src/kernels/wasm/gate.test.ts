/**
 * The fused GRU and LSTM layers' gate nonlinearities (assembly/vmath.ts `Gate`) against float64
 * on a dense sweep of float32 inputs, in both builds (the relaxed one's multiply-adds are fused).
 */
import { describe, expect, it } from "vitest";
import { relaxedSimdSupported } from "./loader.ts";
import { startMachine } from "./machine.ts";

const EXACT = {
  sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};
const KIND = { sigmoid: 0, tanh: 1 };

/** |got − want| in units of the last place of float32 at want (subnormal spacing below 2⁻¹²⁶). */
function ulps(got: number, want: number): number {
  const a = Math.abs(want);
  const ulp = a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
  return Math.abs(got - want) / ulp;
}

/** Every 6208th float32 bit pattern from 2⁻¹²⁶ up to 100, with both signs: about 360,000 inputs. */
function sweep(): Float32Array {
  const [lo, hi, step] = [0x00800000, 0x42c80000, 97 * 64];
  const bits: number[] = [];
  for (let b = lo; b < hi; b += step) bits.push(b, (b | 0x80000000) >>> 0);
  while (bits.length % 4) bits.push(0);
  return new Float32Array(Uint32Array.from(bits).buffer);
}

function run(relaxedSimd: boolean, kind: keyof typeof KIND, x: Float32Array): Float32Array {
  const m = startMachine({ threads: 1, relaxedSimd });
  const at = m.arena.put(x);
  const out = m.arena.floats(x.length);
  m.exports.gateActivate(at, out, x.length, KIND[kind]);
  return m.arena.view(out, x.length).slice();
}

const builds = [false, ...(relaxedSimdSupported() ? [true] : [])];

describe.each(builds)("gate nonlinearities (relaxed SIMD %s)", (relaxedSimd) => {
  it.each(["sigmoid", "tanh"] as const)("%s is within 2.5 ulp of float64", (kind) => {
    const x = sweep();
    const y = run(relaxedSimd, kind, x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const want = EXACT[kind](x[i]!);
      // The sigmoid below −87.3 is under float's normal range, where the kernels' clamp leaves ~1e-38.
      if (kind === "sigmoid" && x[i]! < -87.3) expect(y[i]!).toBeLessThan(2e-38);
      else worst = Math.max(worst, ulps(y[i]!, want));
    }
    expect(worst).toBeLessThan(2.5);
  });

  it("keeps signs, saturates and propagates NaN", () => {
    const x = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 30, -30, 1e-30, -1e-30, 2 ** -140, 9, -9]);
    const t = run(relaxedSimd, "tanh", x);
    const s = run(relaxedSimd, "sigmoid", x);
    expect(Object.is(t[0], 0) && Object.is(t[1], -0)).toBe(true);
    expect([...t.slice(2, 4), ...t.slice(5, 7), t[10], t[11]]).toEqual([1, -1, 1, -1, 1, -1]);
    expect(t[7]).toBe(Math.fround(1e-30));
    expect(t[8]).toBe(Math.fround(-1e-30));
    expect(t[9]).toBe(2 ** -140);
    expect(Number.isNaN(t[4]) && Number.isNaN(s[4])).toBe(true);
    expect([s[0], s[1], s[2], s[5]]).toEqual([0.5, 0.5, 1, 1]);
    expect(s[3]).toBeLessThan(2e-38);
    expect(s[6]).toBeCloseTo(EXACT.sigmoid(-30), 20);
  });
});
