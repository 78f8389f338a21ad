/** A threshold-linear excitatory–inhibitory rate circuit. */
import { type MassModel, param, variable } from "./model.ts";

/**
 * Threshold-linear E–I circuit (the local circuit of Chaudhuri et al., Neuron 2015):
 * ```
 * τ_E dE/dt = −E + β_E [w_EE E − w_EI I + I_E + u_E]₊
 * τ_I dI/dt = −I + β_I [w_IE E − w_II I + I_I + u_I]₊
 * ```
 * rates in Hz, currents in pA. Published values: τ_E = 20 ms, τ_I = 10 ms, β_E = 0.066 Hz/pA,
 * β_I = 0.351 Hz/pA, w_EE = 24.3, w_IE = 12.2, w_EI = 19.7, w_II = 12.5 pA/Hz (weights named target
 * then source); background currents default to 0.
 */
export const thresholdLinear = {
  name: "thresholdLinear",
  title: "Threshold-linear E–I",
  timeUnit: "ms",
  variables: {
    E: variable(0, "Hz", "excitatory rate"),
    I: variable(0, "Hz", "inhibitory rate"),
  },
  parameters: {
    tauE: param(20, "ms", "excitatory time constant", { min: 0 }),
    tauI: param(10, "ms", "inhibitory time constant", { min: 0 }),
    betaE: param(0.066, "Hz/pA", "excitatory f–I slope", { min: 0 }),
    betaI: param(0.351, "Hz/pA", "inhibitory f–I slope", { min: 0 }),
    wEE: param(24.3, "pA/Hz", "E → E"),
    wEI: param(19.7, "pA/Hz", "I → E"),
    wIE: param(12.2, "pA/Hz", "E → I"),
    wII: param(12.5, "pA/Hz", "I → I"),
    IE: param(0, "pA", "background current onto E"),
    II: param(0, "pA", "background current onto I"),
  },
  inputs: ["E", "I"],
  coupling: { variables: ["E"], inputs: ["E"] },
  observables: {},
  rhs(o, s, p, u) {
    const currentE = o.add(o.add(o.sub(o.mul(p.wEE, s.E), o.mul(p.wEI, s.I)), p.IE), u.E);
    const currentI = o.add(o.add(o.sub(o.mul(p.wIE, s.E), o.mul(p.wII, s.I)), p.II), u.I);
    return {
      E: o.div(o.add(o.neg(s.E), o.mul(p.betaE, o.relu(currentE))), p.tauE),
      I: o.div(o.add(o.neg(s.I), o.mul(p.betaI, o.relu(currentI))), p.tauI),
    };
  },
} satisfies MassModel<
  "E" | "I",
  "tauE" | "tauI" | "betaE" | "betaI" | "wEE" | "wEI" | "wIE" | "wII" | "IE" | "II",
  "E" | "I"
>;
