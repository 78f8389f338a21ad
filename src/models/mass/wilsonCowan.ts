/** The Wilson–Cowan excitatory–inhibitory population model. */
import type { Algebra, Value } from "./algebra.ts";
import { type MassModel, type Named, param, variable } from "./model.ts";

/** The Wilson–Cowan sigmoid, shifted so that S(0) = 0: `σ(a (x − θ)) − σ(−a θ)`. */
export function wilsonCowanSigmoid<T>(o: Algebra<T>, x: Value<T>, a: T, theta: T): T {
  return o.sub(o.sigmoid(o.mul(a, o.sub(x, theta))), o.sigmoid(o.neg(o.mul(a, theta))));
}

/**
 * dE/dt and dI/dt of the Wilson–Cowan equations with extra drives `extraE`, `extraI` inside the
 * sigmoids (inputs, and for variants e.g. minus an adaptation current).
 */
export function wilsonCowanRates<T>(
  o: Algebra<T>,
  s: { readonly E: T; readonly I: T },
  p: Named<keyof typeof WILSON_COWAN_PARAMETERS, T>,
  extraE: Value<T>,
  extraI: Value<T>,
): { E: T; I: T } {
  const driveE = o.add(o.add(o.sub(o.mul(p.wEE, s.E), o.mul(p.wEI, s.I)), p.P), extraE);
  const driveI = o.add(o.add(o.sub(o.mul(p.wIE, s.E), o.mul(p.wII, s.I)), p.Q), extraI);
  const gainE = o.sub(p.kE, o.mul(p.rE, s.E));
  const gainI = o.sub(p.kI, o.mul(p.rI, s.I));
  return {
    E: o.div(o.add(o.neg(s.E), o.mul(gainE, wilsonCowanSigmoid(o, driveE, p.aE, p.thetaE))), p.tauE),
    I: o.div(o.add(o.neg(s.I), o.mul(gainI, wilsonCowanSigmoid(o, driveI, p.aI, p.thetaI))), p.tauI),
  };
}

/** The parameters shared by Wilson–Cowan variants. */
export const WILSON_COWAN_PARAMETERS = {
  tauE: param(10, "ms", "excitatory time constant", { min: 0 }),
  tauI: param(10, "ms", "inhibitory time constant", { min: 0 }),
  wEE: param(12, "1", "E → E coupling (c1)"),
  wEI: param(4, "1", "I → E coupling (c2)"),
  wIE: param(13, "1", "E → I coupling (c3)"),
  wII: param(11, "1", "I → I coupling (c4)"),
  aE: param(1.2, "1", "excitatory sigmoid slope"),
  thetaE: param(2.8, "1", "excitatory sigmoid threshold"),
  aI: param(1, "1", "inhibitory sigmoid slope"),
  thetaI: param(4, "1", "inhibitory sigmoid threshold"),
  rE: param(1, "1", "excitatory refractory factor", { min: 0 }),
  rI: param(1, "1", "inhibitory refractory factor", { min: 0 }),
  kE: param(1, "1", "excitatory maximal response", { min: 0 }),
  kI: param(1, "1", "inhibitory maximal response", { min: 0 }),
  P: param(0, "1", "external drive to E"),
  Q: param(0, "1", "external drive to I"),
};

/** The oscillatory (limit-cycle) parameter set of Wilson & Cowan (1972), as overrides of the defaults. */
export const WILSON_COWAN_LIMIT_CYCLE = {
  wEE: 16,
  wEI: 12,
  wIE: 15,
  wII: 3,
  aE: 1.3,
  thetaE: 4,
  aI: 2,
  thetaI: 3.7,
  P: 1.25,
} as const;

/**
 * Wilson–Cowan (Wilson & Cowan, Biophys. J. 1972), mean activities E and I of coupled excitatory
 * and inhibitory populations:
 * ```
 * τ_E dE/dt = −E + (k_E − r_E E) S_E(w_EE E − w_EI I + P + u_E)
 * τ_I dI/dt = −I + (k_I − r_I I) S_I(w_IE E − w_II I + Q + u_I)
 * S_j(x) = 1 / (1 + e^{−a_j (x − θ_j)}) − 1 / (1 + e^{a_j θ_j})
 * ```
 * Weights are named target then source (w_EI: from I onto E; c1..c4 in the paper). Defaults are
 * the paper's hysteresis set (c1 = 12, c2 = 4, c3 = 13, c4 = 11, a_E = 1.2, θ_E = 2.8, a_I = 1,
 * θ_I = 4, as in TVB and brainmass) with τ = 10 ms and k = 1; {@link WILSON_COWAN_LIMIT_CYCLE}
 * holds the oscillatory set. Coupling enters E.
 */
export const wilsonCowan = {
  name: "wilsonCowan",
  title: "Wilson–Cowan (1972)",
  timeUnit: "ms",
  variables: {
    E: variable(0.1, "1", "excitatory activity"),
    I: variable(0.05, "1", "inhibitory activity"),
  },
  parameters: WILSON_COWAN_PARAMETERS,
  inputs: ["E", "I"],
  coupling: { variables: ["E"], inputs: ["E"] },
  observables: {},
  rhs: (o, s, p, u) => wilsonCowanRates(o, s, p, u.E, u.I),
} satisfies MassModel<"E" | "I", keyof typeof WILSON_COWAN_PARAMETERS, "E" | "I">;
