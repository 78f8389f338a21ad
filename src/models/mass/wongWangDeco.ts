/** The excitatory–inhibitory reduced Wong–Wang model of resting-state networks (Deco et al. 2014). */
import { type MassModel, param, variable } from "./model.ts";
import type { Algebra, Value } from "./algebra.ts";
import { abbottChance } from "./wongWang.ts";

const PARAMETERS = {
  aE: param(310, "1/nC", "excitatory input–output gain"),
  bE: param(125, "Hz", "excitatory input–output threshold"),
  dE: param(0.16, "s", "excitatory input–output curvature"),
  gammaE: param(0.641, "1", "NMDA kinetic factor"),
  tauE: param(100, "ms", "NMDA time constant", { min: 0 }),
  aI: param(615, "1/nC", "inhibitory input–output gain"),
  bI: param(177, "Hz", "inhibitory input–output threshold"),
  dI: param(0.087, "s", "inhibitory input–output curvature"),
  gammaI: param(1, "1", "GABA kinetic factor"),
  tauI: param(10, "ms", "GABA time constant", { min: 0 }),
  WE: param(1, "1", "scaling of the background current onto E"),
  WI: param(0.7, "1", "scaling of the background current onto I"),
  I0: param(0.382, "nA", "background current"),
  wPlus: param(1.4, "1", "local excitatory recurrence"),
  JNMDA: param(0.15, "nA", "excitatory synaptic coupling"),
  JI: param(1, "nA", "local feedback inhibition (tuned by FIC)"),
  Iext: param(0, "nA", "external current onto E"),
};

/**
 * Reduced Wong–Wang E–I model (Deco et al., J. Neurosci. 2014), one excitatory and one inhibitory
 * pool per region; the coupling input u_E is `G Σ_j C_ij S_E,j`:
 * ```
 * I_E = W_E I0 + w₊ J_NMDA S_E + J_NMDA u_E − J_I S_I + I_ext        r_E = H_E(I_E)
 * I_I = W_I I0 + J_NMDA S_E − S_I                                     r_I = H_I(I_I)
 * dS_E/dt = −S_E / τ_E + (1 − S_E) γ_E r_E
 * dS_I/dt = −S_I / τ_I + γ_I r_I
 * ```
 * with H the Abbott–Chance function (a_E = 310 nC⁻¹, b_E = 125 Hz, d_E = 0.16 s; a_I = 615,
 * b_I = 177, d_I = 0.087) and γ_E = 0.641, τ_E = 100 ms, τ_I = 10 ms, W_E = 1, W_I = 0.7,
 * I0 = 0.382 nA, w₊ = 1.4, J_NMDA = 0.15 nA, J_I = 1 nA, all as published. Time in ms (rates in Hz
 * are scaled by 10⁻³). The paper's noise is white, σ = 0.01 on both S. Observables: the rates.
 */
export const wongWangDeco = {
  name: "wongWangDeco",
  title: "Wong–Wang E–I, resting state (Deco et al. 2014)",
  timeUnit: "ms",
  variables: {
    SE: variable(0.164, "1", "excitatory NMDA gating"),
    SI: variable(0.04, "1", "inhibitory GABA gating"),
  },
  parameters: PARAMETERS,
  inputs: ["E"],
  coupling: { variables: ["SE"], inputs: ["E"] },
  observables: {
    rE: (o, s, p, u) => abbottChance(o, currents(o, s, p, u)[0], p.aE, p.bE, p.dE),
    rI: (o, s, p, u) => abbottChance(o, currents(o, s, p, u)[1], p.aI, p.bI, p.dI),
  },
  rhs(o, s, p, u) {
    const [IE, II] = currents(o, s, p, u);
    const rE = o.mul(abbottChance(o, IE, p.aE, p.bE, p.dE), 1e-3);
    const rI = o.mul(abbottChance(o, II, p.aI, p.bI, p.dI), 1e-3);
    return {
      SE: o.add(o.neg(o.div(s.SE, p.tauE)), o.mul(o.mul(o.sub(1, s.SE), p.gammaE), rE)),
      SI: o.add(o.neg(o.div(s.SI, p.tauI)), o.mul(p.gammaI, rI)),
    };
  },
} satisfies MassModel<"SE" | "SI", keyof typeof PARAMETERS, "E">;

function currents<T>(
  o: Algebra<T>,
  s: { readonly SE: T; readonly SI: T },
  p: { readonly [K in keyof typeof PARAMETERS]: T },
  u: { readonly E: Value<T> },
): [T, T] {
  const IE = o.add(
    o.sub(
      o.add(o.add(o.mul(p.WE, p.I0), o.mul(o.mul(p.wPlus, p.JNMDA), s.SE)), o.mul(p.JNMDA, u.E)),
      o.mul(p.JI, s.SI),
    ),
    p.Iext,
  );
  const II = o.sub(o.add(o.mul(p.WI, p.I0), o.mul(p.JNMDA, s.SE)), s.SI);
  return [IE, II];
}
