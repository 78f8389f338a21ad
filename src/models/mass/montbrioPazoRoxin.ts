/** The Montbrió–Pazó–Roxin exact mean field of quadratic integrate-and-fire neurons. */
import { type MassModel, param, variable } from "./model.ts";

/**
 * Montbrió–Pazó–Roxin (Phys. Rev. X 2015): the exact firing-rate equations of an infinite network
 * of all-to-all coupled quadratic integrate-and-fire neurons with Lorentzian-distributed
 * excitabilities (centre η̄, half-width Δ):
 * ```
 * τ dr/dt = Δ / (π τ) + 2 r v
 * τ dv/dt = v² + η̄ + J τ r − (π τ r)² + I + u
 * ```
 * r is the population firing rate (1/ms), v the mean membrane potential. Defaults are the paper's
 * bistable set Δ = 1, η̄ = −5, J = 15, with τ = 1 ms as in brainmass (the paper's time is in units
 * of τ). Coupling sends r into the current.
 */
export const montbrioPazoRoxin = {
  name: "montbrioPazoRoxin",
  title: "Montbrió–Pazó–Roxin (2015)",
  timeUnit: "ms",
  variables: {
    r: variable(0.1, "1/ms", "population firing rate"),
    v: variable(-2, "1", "mean membrane potential"),
  },
  parameters: {
    tau: param(1, "ms", "membrane time constant", { min: 0 }),
    delta: param(1, "1", "half-width of the excitability distribution", { min: 0 }),
    eta: param(-5, "1", "centre of the excitability distribution"),
    J: param(15, "1", "synaptic weight"),
    I: param(0, "1", "external current"),
  },
  inputs: ["I"],
  coupling: { variables: ["r"], inputs: ["I"] },
  observables: {},
  rhs(o, s, p, u) {
    const pitr = o.mul(o.mul(Math.PI, p.tau), s.r);
    return {
      r: o.div(o.add(o.div(p.delta, o.mul(Math.PI, p.tau)), o.mul(o.mul(2, s.r), s.v)), p.tau),
      v: o.div(
        o.add(
          o.add(
            o.sub(o.add(o.add(o.mul(s.v, s.v), p.eta), o.mul(o.mul(p.J, p.tau), s.r)), o.mul(pitr, pitr)),
            p.I,
          ),
          u.I,
        ),
        p.tau,
      ),
    };
  },
} satisfies MassModel<"r" | "v", "tau" | "delta" | "eta" | "J" | "I", "I">;
