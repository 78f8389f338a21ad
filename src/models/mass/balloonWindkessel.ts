/** The Balloon–Windkessel haemodynamic model: neural activity to BOLD signal. */
import { type MassModel, param, variable } from "./model.ts";

const PARAMETERS = {
  kappa: param(0.65, "1/s", "rate of signal decay", { min: 0 }),
  gamma: param(0.41, "1/s", "rate of flow-dependent elimination", { min: 0 }),
  tau: param(0.98, "s", "haemodynamic transit time", { min: 0 }),
  alpha: param(0.32, "1", "Grubb's exponent (vessel stiffness)", { min: 0 }),
  rho: param(0.34, "1", "resting oxygen extraction fraction", { min: 0, max: 1 }),
  V0: param(0.02, "1", "resting blood volume fraction", { min: 0 }),
};

/**
 * Balloon–Windkessel (Buxton et al. 1998; Friston et al., NeuroImage 2000), driven by neural
 * activity z: vasodilatory signal s, inflow f, volume v and deoxyhaemoglobin q,
 * ```
 * ds/dt = z − κ s − γ (f − 1)
 * df/dt = s
 * τ dv/dt = f − v^{1/α}
 * τ dq/dt = f (1 − (1 − ρ)^{1/f}) / ρ − v^{1/α} q / v
 * BOLD = V0 (k1 (1 − q) + k2 (1 − q/v) + k3 (1 − v)),  k1 = 7ρ, k2 = 2, k3 = 2ρ − 0.2
 * ```
 * with the published κ = 0.65 /s, γ = 0.41 /s, τ = 0.98 s, α = 0.32, ρ = 0.34, V0 = 0.02. Time in
 * seconds: run it with `dt` in s on the neural signal (the stimulus input `"z"`), e.g. through
 * `massNetwork(balloonWindkessel, { nodes, dt: 0.001, stimulus: ["z"], observe: ["bold"] })`.
 */
export const balloonWindkessel = {
  name: "balloonWindkessel",
  title: "Balloon–Windkessel haemodynamics",
  timeUnit: "s",
  variables: {
    s: variable(0, "1/s", "vasodilatory signal"),
    f: variable(1, "1", "normalised blood inflow"),
    v: variable(1, "1", "normalised blood volume"),
    q: variable(1, "1", "normalised deoxyhaemoglobin content"),
  },
  parameters: PARAMETERS,
  inputs: ["z"],
  coupling: { variables: ["s"], inputs: ["z"] },
  observables: {
    bold: (o, s, p) => {
      const k1 = o.mul(7, p.rho);
      const k3 = o.sub(o.mul(2, p.rho), 0.2);
      const terms = o.add(
        o.add(o.mul(k1, o.sub(1, s.q)), o.mul(2, o.sub(1, o.div(s.q, s.v)))),
        o.mul(k3, o.sub(1, s.v)),
      );
      return o.mul(p.V0, terms);
    },
  },
  rhs(o, s, p, u) {
    const outflow = o.exp(o.div(o.log(s.v), p.alpha)); // v^{1/α}
    const extraction = o.div(o.sub(1, o.exp(o.div(o.log(o.sub(1, p.rho)), s.f))), p.rho);
    return {
      s: o.sub(o.sub(u.z, o.mul(p.kappa, s.s)), o.mul(p.gamma, o.sub(s.f, 1))),
      f: s.s,
      v: o.div(o.sub(s.f, outflow), p.tau),
      q: o.div(o.sub(o.mul(s.f, extraction), o.div(o.mul(outflow, s.q), s.v)), p.tau),
    };
  },
} satisfies MassModel<"s" | "f" | "v" | "q", keyof typeof PARAMETERS, "z">;
