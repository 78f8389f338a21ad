/** The Van der Pol relaxation oscillator in Liénard form. */
import { type MassModel, param, variable } from "./model.ts";

/**
 * Van der Pol oscillator (van der Pol 1926), Liénard form (Kaplan & Glass 1995):
 * ```
 * dx/dt = μ (x − x³/3 − y) + u_x
 * dy/dt = x / μ + u_y
 * ```
 * equivalent to `x'' − μ (1 − x²) x' + x = 0`. For every μ > 0 a stable limit cycle surrounds the
 * unstable origin; large μ gives relaxation oscillations. Dimensionless time.
 */
export const vanDerPol = {
  name: "vanDerPol",
  title: "Van der Pol oscillator",
  timeUnit: "1",
  variables: {
    x: variable(0.1, "1", "position"),
    y: variable(0, "1", "Liénard variable"),
  },
  parameters: {
    mu: param(1, "1", "nonlinear damping", { min: 0 }),
  },
  inputs: ["x", "y"],
  coupling: { variables: ["x"], inputs: ["x"] },
  observables: {},
  rhs(o, s, p, u) {
    const cubic = o.div(o.mul(s.x, o.mul(s.x, s.x)), 3);
    return {
      x: o.add(o.mul(p.mu, o.sub(o.sub(s.x, cubic), s.y)), u.x),
      y: o.add(o.div(s.x, p.mu), u.y),
    };
  },
} satisfies MassModel<"x" | "y", "mu", "x" | "y">;
