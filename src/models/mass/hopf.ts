/**
 * The Hopf (Stuart–Landau) oscillator: the normal form of a supercritical Hopf bifurcation, in
 * Cartesian coordinates z = x + iy.
 */
import { type MassModel, param, variable } from "./model.ts";

/**
 * Hopf / Stuart–Landau normal form (Kuznetsov 2004; whole-brain use: Deco et al., Sci. Rep. 2017):
 * ```
 * dz/dt = (a + iω) z − β |z|² z + u
 * dx/dt = (a − β (x² + y²)) x − ω y + u_x
 * dy/dt = (a − β (x² + y²)) y + ω x + u_y
 * ```
 * For a < 0 the origin is a stable focus; for a > 0 a stable limit cycle of radius √(a/β) and
 * angular frequency ω. Defaults are brainmass's (a = 0.25, ω = 0.2, β = 1, time in ms); the
 * whole-brain literature uses a ≈ −0.02 and ω = 2π f with f the node's BOLD peak frequency.
 * Coupling is usually diffusive on both x and y.
 */
export const hopf = {
  name: "hopf",
  title: "Hopf / Stuart–Landau normal form",
  timeUnit: "ms",
  variables: {
    x: variable(0.1, "1", "real part of z"),
    y: variable(0, "1", "imaginary part of z"),
  },
  parameters: {
    a: param(0.25, "1/ms", "bifurcation parameter (distance to the Hopf bifurcation)"),
    omega: param(0.2, "rad/ms", "angular frequency"),
    beta: param(1, "1/ms", "nonlinear saturation", { min: 0 }),
  },
  inputs: ["x", "y"],
  coupling: { variables: ["x", "y"], inputs: ["x", "y"] },
  observables: {},
  rhs(o, s, p, u) {
    const growth = o.sub(p.a, o.mul(p.beta, o.add(o.mul(s.x, s.x), o.mul(s.y, s.y))));
    return {
      x: o.add(o.sub(o.mul(growth, s.x), o.mul(p.omega, s.y)), u.x),
      y: o.add(o.add(o.mul(growth, s.y), o.mul(p.omega, s.x)), u.y),
    };
  },
} satisfies MassModel<"x" | "y", "a" | "omega" | "beta", "x" | "y">;
