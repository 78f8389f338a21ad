/** The FitzHugh–Nagumo model of excitability. */
import { type MassModel, param, variable } from "./model.ts";

/**
 * FitzHugh–Nagumo (FitzHugh 1961; Nagumo et al. 1962):
 * ```
 * dv/dt = v − v³/3 − w + I + u
 * dw/dt = (v + a − b w) / τ
 * ```
 * a fast activator v and a slow recovery variable w. With FitzHugh's a = 0.7, b = 0.8, τ = 12.5
 * the rest state is stable for I = 0 and loses stability to a limit cycle for I between about
 * 0.33 and 1.42. Dimensionless time.
 */
export const fitzHughNagumo = {
  name: "fitzHughNagumo",
  title: "FitzHugh–Nagumo",
  timeUnit: "1",
  variables: {
    v: variable(-1.2, "1", "membrane potential (activator)"),
    w: variable(-0.6, "1", "recovery variable"),
  },
  parameters: {
    a: param(0.7, "1", "recovery offset"),
    b: param(0.8, "1", "recovery self-coupling", { min: 0 }),
    tau: param(12.5, "1", "recovery time scale (1/ε)", { min: 0 }),
    I: param(0, "1", "external current"),
  },
  inputs: ["v"],
  coupling: { variables: ["v"], inputs: ["v"] },
  observables: {},
  rhs(o, s, p, u) {
    const cubic = o.div(o.mul(s.v, o.mul(s.v, s.v)), 3);
    return {
      v: o.add(o.add(o.sub(o.sub(s.v, cubic), s.w), p.I), u.v),
      w: o.div(o.sub(o.add(s.v, p.a), o.mul(p.b, s.w)), p.tau),
    };
  },
} satisfies MassModel<"v" | "w", "a" | "b" | "tau" | "I", "v">;
