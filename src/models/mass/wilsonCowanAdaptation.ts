/** Wilson–Cowan with spike-frequency adaptation in both populations. */
import { type MassModel, param, variable } from "./model.ts";
import { WILSON_COWAN_PARAMETERS, wilsonCowanRates } from "./wilsonCowan.ts";

const PARAMETERS = {
  ...WILSON_COWAN_PARAMETERS,
  tauAE: param(100, "ms", "excitatory adaptation time constant", { min: 0 }),
  tauAI: param(80, "ms", "inhibitory adaptation time constant", { min: 0 }),
  bE: param(0.1, "1", "excitatory adaptation strength"),
  bI: param(0.08, "1", "inhibitory adaptation strength"),
};

/**
 * Wilson–Cowan with adaptation currents A_E, A_I (Benda & Herz 2003; brainmass's
 * WilsonCowanAdaptiveStep) subtracted from each population's input:
 * ```
 * τ_E dE/dt = −E + (k_E − r_E E) S_E(w_EE E − w_EI I + P − A_E + u_E)
 * τ_I dI/dt = −I + (k_I − r_I I) S_I(w_IE E − w_II I + Q − A_I + u_I)
 * τ_AE dA_E/dt = −A_E + b_E E,   τ_AI dA_I/dt = −A_I + b_I I
 * ```
 * Other parameters and the sigmoid as in {@link wilsonCowan}; adaptation defaults are
 * brainmass's (τ_AE = 100 ms, τ_AI = 80 ms, b_E = 0.1, b_I = 0.08).
 */
export const wilsonCowanAdaptation = {
  name: "wilsonCowanAdaptation",
  title: "Wilson–Cowan with adaptation",
  timeUnit: "ms",
  variables: {
    E: variable(0.1, "1", "excitatory activity"),
    I: variable(0.05, "1", "inhibitory activity"),
    AE: variable(0, "1", "excitatory adaptation current"),
    AI: variable(0, "1", "inhibitory adaptation current"),
  },
  parameters: PARAMETERS,
  inputs: ["E", "I"],
  coupling: { variables: ["E"], inputs: ["E"] },
  observables: {},
  rhs(o, s, p, u) {
    const { E, I } = wilsonCowanRates(o, s, p, o.sub(u.E, s.AE), o.sub(u.I, s.AI));
    return {
      E,
      I,
      AE: o.div(o.sub(o.mul(p.bE, s.E), s.AE), p.tauAE),
      AI: o.div(o.sub(o.mul(p.bI, s.I), s.AI), p.tauAI),
    };
  },
} satisfies MassModel<"E" | "I" | "AE" | "AI", keyof typeof PARAMETERS, "E" | "I">;
