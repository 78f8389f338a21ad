/** The Larter–Breakspear conductance-based neural mass. */
import type { Algebra, Value } from "./algebra.ts";
import { type MassModel, param, variable } from "./model.ts";

const PARAMETERS = {
  gCa: param(1.1, "1", "calcium conductance"),
  gK: param(2, "1", "potassium conductance"),
  gL: param(0.5, "1", "leak conductance"),
  gNa: param(6.7, "1", "sodium conductance"),
  TCa: param(-0.01, "1", "calcium activation threshold"),
  TK: param(0, "1", "potassium activation threshold"),
  TNa: param(0.3, "1", "sodium activation threshold"),
  dCa: param(0.15, "1", "calcium activation width", { min: 0 }),
  dK: param(0.3, "1", "potassium activation width", { min: 0 }),
  dNa: param(0.15, "1", "sodium activation width", { min: 0 }),
  VCa: param(1, "1", "calcium Nernst potential"),
  VK: param(-0.7, "1", "potassium Nernst potential"),
  VL: param(-0.5, "1", "leak reversal potential"),
  VNa: param(0.53, "1", "sodium Nernst potential"),
  phi: param(0.7, "1", "temperature scaling of potassium kinetics"),
  tauK: param(1, "1", "potassium relaxation time", { min: 0 }),
  aee: param(0.4, "1", "excitatory → excitatory synaptic strength"),
  aei: param(2, "1", "excitatory → inhibitory synaptic strength"),
  aie: param(2, "1", "inhibitory → excitatory synaptic strength"),
  ane: param(1, "1", "non-specific → excitatory strength"),
  ani: param(0.4, "1", "non-specific → inhibitory strength"),
  b: param(0.1, "1", "inhibitory time-scale factor"),
  C: param(0.1, "1", "weight of long-range against local coupling", { min: 0, max: 1 }),
  Iext: param(0.3, "1", "non-specific subcortical input"),
  rNMDA: param(0.25, "1", "NMDA to AMPA receptor ratio"),
  VT: param(0, "1", "pyramidal firing threshold"),
  dV: param(0.65, "1", "pyramidal firing-threshold spread (0.65 gives chaos)", { min: 0 }),
  ZT: param(0, "1", "inhibitory firing threshold"),
  dZ: param(0.7, "1", "inhibitory firing-threshold spread", { min: 0 }),
  QVmax: param(1, "1", "maximal pyramidal firing rate"),
  QZmax: param(1, "1", "maximal inhibitory firing rate"),
  tScale: param(1, "1", "time scale factor", { min: 0 }),
};

type P<T> = { readonly [K in keyof typeof PARAMETERS]: T };

/** `½ (1 + tanh((x − threshold) / width))`: the model's channel and firing-rate nonlinearity. */
function activation<T>(o: Algebra<T>, x: T, threshold: T, width: T): T {
  return o.mul(0.5, o.add(1, o.tanh(o.div(o.sub(x, threshold), width))));
}

/** The pyramidal firing rate Q_V, also what the long-range coupling averages. */
export function larterBreakspearQV<T>(o: Algebra<T>, V: T, p: P<T>): T {
  return o.mul(p.QVmax, activation(o, V, p.VT, p.dV));
}

/**
 * Larter–Breakspear (Larter et al. 1999; Breakspear, Terry & Friston, Network 2003), as in TVB:
 * pyramidal membrane potential V, potassium gating W and inhibitory potential Z,
 * ```
 * m_ion = ½ (1 + tanh((V − T_ion) / δ_ion)),  Q_V = ½ Q_Vmax (1 + tanh((V − V_T)/δ_V)),
 * Q_Z = ½ Q_Zmax (1 + tanh((Z − Z_T)/δ_Z))
 * dV/dt = t_s (−(g_Ca + (1 − C) r_NMDA a_ee Q_V + C r_NMDA a_ee ⟨Q_V⟩) m_Ca (V − V_Ca)
 *              − g_K W (V − V_K) − g_L (V − V_L)
 *              − (g_Na m_Na + (1 − C) a_ee Q_V + C a_ee ⟨Q_V⟩) (V − V_Na)
 *              − a_ie Z Q_Z + a_ne I)
 * dW/dt = t_s φ (m_K − W) / τ_K
 * dZ/dt = t_s b (a_ni I + a_ei V Q_V)
 * ```
 * ⟨Q_V⟩, the mean firing of connected regions, is the coupling input `"QV"` (send Q_V with a
 * sigmoidal coupling: cmax = Q_Vmax, midpoint V_T, width δ_V / 2). Defaults are TVB's
 * (Breakspear et al. 2003; δ_V = 0.65 is the chaotic regime). Dimensionless units.
 */
export const larterBreakspear = {
  name: "larterBreakspear",
  title: "Larter–Breakspear (2003)",
  timeUnit: "1",
  variables: {
    V: variable(0, "1", "mean pyramidal membrane potential"),
    W: variable(0, "1", "fraction of open potassium channels"),
    Z: variable(0, "1", "mean inhibitory membrane potential"),
  },
  parameters: PARAMETERS,
  inputs: ["QV"],
  coupling: { variables: ["V"], inputs: ["QV"] },
  observables: {
    QV: (o, s, p) => larterBreakspearQV(o, s.V, p),
  },
  rhs(o, s, p, u) {
    const mCa = activation(o, s.V, p.TCa, p.dCa);
    const mNa = activation(o, s.V, p.TNa, p.dNa);
    const mK = activation(o, s.V, p.TK, p.dK);
    const QV = larterBreakspearQV(o, s.V, p);
    const QZ = o.mul(p.QZmax, activation(o, s.Z, p.ZT, p.dZ));
    const local = o.mul(o.sub(1, p.C), QV);
    const remote: Value<typeof QV> = o.mul(p.C, u.QV);
    const excitation = o.add(local, remote);
    const calcium = o.mul(
      o.mul(o.add(p.gCa, o.mul(o.mul(p.rNMDA, p.aee), excitation)), mCa),
      o.sub(s.V, p.VCa),
    );
    const potassium = o.mul(o.mul(p.gK, s.W), o.sub(s.V, p.VK));
    const leak = o.mul(p.gL, o.sub(s.V, p.VL));
    const sodium = o.mul(o.add(o.mul(p.gNa, mNa), o.mul(p.aee, excitation)), o.sub(s.V, p.VNa));
    const inhibition = o.mul(o.mul(p.aie, s.Z), QZ);
    const dV = o.add(
      o.neg(o.add(o.add(o.add(o.add(calcium, potassium), leak), sodium), inhibition)),
      o.mul(p.ane, p.Iext),
    );
    return {
      V: o.mul(p.tScale, dV),
      W: o.div(o.mul(o.mul(p.tScale, p.phi), o.sub(mK, s.W)), p.tauK),
      Z: o.mul(o.mul(p.tScale, p.b), o.add(o.mul(p.ani, p.Iext), o.mul(o.mul(p.aei, s.V), QV))),
    };
  },
} satisfies MassModel<"V" | "W" | "Z", keyof typeof PARAMETERS, "QV">;
