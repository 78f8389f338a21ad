/** The reduced two-variable Wong–Wang decision model. */
import type { Algebra, Value } from "./algebra.ts";
import { type MassModel, param, variable } from "./model.ts";

/**
 * The Abbott–Chance input–output function `H(x) = (a x − b) / (1 − e^{−d (a x − b)})` (Hz for x in
 * nA, a in Hz/nA, b in Hz, d in s).
 */
export function abbottChance<T>(o: Algebra<T>, x: Value<T>, a: T, b: T, d: T): T {
  const drive = o.sub(o.mul(a, x), b);
  return o.div(drive, o.sub(1, o.exp(o.neg(o.mul(d, drive)))));
}

const PARAMETERS = {
  a: param(270, "Hz/nA", "input–output gain"),
  b: param(108, "Hz", "input–output threshold"),
  d: param(0.154, "s", "input–output curvature"),
  gamma: param(0.641, "1", "NMDA saturation factor"),
  tauS: param(100, "ms", "NMDA gating time constant", { min: 0 }),
  J11: param(0.2609, "nA", "self-excitation of population 1"),
  J22: param(0.2609, "nA", "self-excitation of population 2"),
  J12: param(0.0497, "nA", "cross-inhibition 2 → 1"),
  J21: param(0.0497, "nA", "cross-inhibition 1 → 2"),
  I0: param(0.3255, "nA", "background current"),
};

/** Wong & Wang's stimulus currents for a motion coherence c' (in %): `J_A,ext μ0 (1 ± c'/100)`. */
export function wongWangStimulus(
  coherencePercent: number,
  options: { JAext?: number; mu0?: number } = {},
): [number, number] {
  const { JAext = 5.2e-4, mu0 = 30 } = options;
  const c = coherencePercent / 100;
  return [JAext * mu0 * (1 + c), JAext * mu0 * (1 - c)];
}

/**
 * Reduced Wong–Wang decision model (Wong & Wang, J. Neurosci. 2006): NMDA gating variables S1, S2
 * of two selective populations competing through shared inhibition:
 * ```
 * x1 = J11 S1 − J12 S2 + I0 + u1,     x2 = J22 S2 − J21 S1 + I0 + u2       (nA)
 * r_i = H(x_i) = (a x_i − b) / (1 − e^{−d (a x_i − b)})                     (Hz)
 * dS_i/dt = −S_i / τ_S + (1 − S_i) γ r_i
 * ```
 * u_i carries the stimulus `J_A,ext μ0 (1 ± c'/100)` (see {@link wongWangStimulus}: J_A,ext =
 * 5.2·10⁻⁴ nA/Hz, μ0 = 30 Hz) and the noise current, an Ornstein–Uhlenbeck process with τ_AMPA =
 * 2 ms and σ_noise = 0.02 nA in the paper (stationary std σ_noise/√2 ≈ 0.0141 nA, the `sigma` of
 * an OU noise into the inputs `"I1"`, `"I2"`). Time in ms (the rate r in Hz is scaled by 10⁻³).
 * Observables `"r1"`, `"r2"` are the rates; a decision is made when one crosses 15 Hz.
 */
export const wongWang = {
  name: "wongWang",
  title: "Wong–Wang (2006), reduced",
  timeUnit: "ms",
  variables: {
    S1: variable(0.1, "1", "NMDA gating of population 1"),
    S2: variable(0.1, "1", "NMDA gating of population 2"),
  },
  parameters: PARAMETERS,
  inputs: ["I1", "I2"],
  coupling: { variables: ["S1", "S2"], inputs: ["I1", "I2"] },
  observables: {
    r1: (o, s, p, u) => abbottChance(o, wongWangCurrents(o, s, p, u)[0], p.a, p.b, p.d),
    r2: (o, s, p, u) => abbottChance(o, wongWangCurrents(o, s, p, u)[1], p.a, p.b, p.d),
  },
  rhs(o, s, p, u) {
    const [x1, x2] = wongWangCurrents(o, s, p, u);
    const gating = (S: (typeof s)["S1"], x: Value<(typeof s)["S1"]>) =>
      o.add(
        o.neg(o.div(S, p.tauS)),
        o.mul(o.mul(o.sub(1, S), p.gamma), o.mul(abbottChance(o, x, p.a, p.b, p.d), 1e-3)),
      );
    return { S1: gating(s.S1, x1), S2: gating(s.S2, x2) };
  },
} satisfies MassModel<"S1" | "S2", keyof typeof PARAMETERS, "I1" | "I2">;

function wongWangCurrents<T>(
  o: Algebra<T>,
  s: { readonly S1: T; readonly S2: T },
  p: { readonly [K in keyof typeof PARAMETERS]: T },
  u: { readonly I1: Value<T>; readonly I2: Value<T> },
): [T, T] {
  return [
    o.add(o.add(o.sub(o.mul(p.J11, s.S1), o.mul(p.J12, s.S2)), p.I0), u.I1),
    o.add(o.add(o.sub(o.mul(p.J22, s.S2), o.mul(p.J21, s.S1)), p.I0), u.I2),
  ];
}
