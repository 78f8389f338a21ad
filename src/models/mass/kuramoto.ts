/** The Kuramoto phase oscillator. */
import { type MassModel, param, variable } from "./model.ts";

/**
 * Kuramoto phase oscillator (Kuramoto 1975): each node is a phase θ with natural frequency ω,
 * ```
 * dθ_i/dt = ω_i + u_i,     u_i = K Σ_j W_ij sin(θ_j − θ_i)     (the Kuramoto coupling)
 * ```
 * With all-to-all weights 1/N and natural frequencies drawn from a density g(ω) symmetric about its
 * centre, incoherence loses stability at K_c = 2 / (π g(0)). ω in rad/ms; observables sin θ and
 * cos θ (phases are unbounded; the order parameter uses both).
 */
export const kuramoto = {
  name: "kuramoto",
  title: "Kuramoto oscillator",
  timeUnit: "ms",
  variables: {
    theta: variable(0, "rad", "phase"),
  },
  parameters: {
    omega: param(0, "rad/ms", "natural frequency"),
  },
  inputs: ["theta"],
  coupling: { variables: ["theta"], inputs: ["theta"] },
  observables: {
    sin: (o, s) => o.sin(s.theta),
    cos: (o, s) => o.cos(s.theta),
  },
  rhs(o, s, p, u) {
    return { theta: o.add(p.omega, u.theta) };
  },
} satisfies MassModel<"theta", "omega", "theta">;
