/**
 * Chaotic flows as data (BrainPy's `brainpy.datasets` chaotic systems, plus Rössler): equations,
 * default parameters, initial state, integrator and step. Times are dimensionless.
 */
import { ValueError } from "../../base/errors.ts";
import { type Integrator, type Series, type VectorField, record } from "./ode.ts";

/** A flow declaration. */
export interface Flow<P extends Record<string, number>> {
  readonly name: string;
  readonly variables: readonly string[];
  readonly defaults: P;
  readonly init: readonly number[];
  readonly method: Integrator;
  readonly dt: number;
  field(p: P): VectorField;
}

/** Options of a flow generator: parameters, initial state, step and integrator. */
export type FlowOptions<P extends Record<string, number>> = Partial<P> & {
  readonly init?: readonly number[];
  readonly dt?: number;
  readonly method?: Integrator;
};

const flow = <P extends Record<string, number>>(f: Flow<P>): Flow<P> => f;

/** Lorenz (1963): ẋ = σ(y−x), ẏ = x(ρ−z) − y, ż = xy − βz. */
export const lorenz = flow({
  name: "lorenz",
  variables: ["x", "y", "z"],
  defaults: { sigma: 10, rho: 28, beta: 8 / 3 },
  init: [8, 1, 1],
  method: "rk4",
  dt: 0.001,
  field:
    ({ sigma, rho, beta }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      o[0] = sigma * (y - x);
      o[1] = x * (rho - z) - y;
      o[2] = x * y - beta * z;
    },
});

/** Rössler (1976): ẋ = −y − z, ẏ = x + ay, ż = b + z(x − c). */
export const rossler = flow({
  name: "rossler",
  variables: ["x", "y", "z"],
  defaults: { a: 0.2, b: 0.2, c: 5.7 },
  init: [-0.1, 0, 0.02],
  method: "rk4",
  dt: 0.01,
  field:
    ({ a, b, c }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      o[0] = -y - z;
      o[1] = x + a * y;
      o[2] = b + z * (x - c);
    },
});

/** Double scroll (Chua-type circuit with diodes). */
export const doubleScroll = flow({
  name: "doubleScroll",
  variables: ["V1", "V2", "I"],
  defaults: { R1: 1.2, R2: 3.44, R4: 0.193, beta: 11.6, Ir: 2 * 2.25e-5 },
  init: [0.37926545, 0.058339, -0.08167691],
  method: "rk4",
  dt: 0.01,
  field:
    ({ R1, R2, R4, beta, Ir }) =>
    (_t, [v1 = 0, v2 = 0, i = 0], o) => {
      const d = v1 - v2;
      const g = 2 * Ir * Math.sinh(beta * d);
      o[0] = v1 / R1 - d / R2 - g;
      o[1] = d / R2 + g - i;
      o[2] = v2 - R4 * i;
    },
});

/** Rabinovich–Fabrikant. */
export const rabinovichFabrikant = flow({
  name: "rabinovichFabrikant",
  variables: ["x", "y", "z"],
  defaults: { alpha: 1.1, gamma: 0.803 },
  init: [-1, 0, 0.5],
  method: "rk4",
  dt: 0.001,
  field:
    ({ alpha, gamma }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      o[0] = y * (z - 1 + x * x) + gamma * x;
      o[1] = x * (3 * z + 1 - x * x) + gamma * y;
      o[2] = -2 * z * (alpha + x * y);
    },
});

/** Chen's system (forward Euler, as BrainPy integrates it). */
export const chen = flow({
  name: "chen",
  variables: ["x", "y", "z"],
  defaults: { a: 40, b: 3, c: 28 },
  init: [-0.1, 0.5, -0.6],
  method: "euler",
  dt: 0.001,
  field:
    ({ a, b, c }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      o[0] = a * (y - x);
      o[1] = (c - a) * x - x * z + c * y;
      o[2] = x * y - b * z;
    },
});

/** Lü–Chen system with control input u. */
export const luChen = flow({
  name: "luChen",
  variables: ["x", "y", "z"],
  defaults: { a: 36, b: 3, c: 20, u: -15.15 },
  init: [0.1, 0.3, -0.6],
  method: "rk4",
  dt: 0.001,
  field:
    ({ a, b, c, u }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      o[0] = a * (y - x);
      o[1] = x - x * z + c * y + u;
      o[2] = x * y - b * z;
    },
});

/** Chua's circuit with the piecewise-linear diode. */
export const chua = flow({
  name: "chua",
  variables: ["x", "y", "z"],
  defaults: { alpha: 10, beta: 14.514, gamma: 0, a: -1.197, b: -0.646 },
  init: [0.001, 0, 0],
  method: "rk4",
  dt: 0.001,
  field:
    ({ alpha, beta, gamma, a, b }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      const fx = b * x + 0.5 * (a - b) * (Math.abs(x + 1) - Math.abs(x - 1));
      o[0] = alpha * (y - x) - alpha * fx;
      o[1] = x - y + z;
      o[2] = -beta * y - gamma * z;
    },
});

/** Modified Chua circuit (sine nonlinearity). */
export const modifiedChua = flow({
  name: "modifiedChua",
  variables: ["x", "y", "z"],
  defaults: { alpha: 10.82, beta: 14.286, a: 1.3, b: 0.11, d: 0 },
  init: [1, 1, 0],
  method: "rk4",
  dt: 0.001,
  field:
    ({ alpha, beta, a, b, d }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      o[0] = alpha * (y + b * Math.sin((Math.PI * x) / (2 * a) + d));
      o[1] = x - y + z;
      o[2] = -beta * y;
    },
});

/** Modified Lorenz system (multi-wing). */
export const modifiedLorenz = flow({
  name: "modifiedLorenz",
  variables: ["x", "y", "z"],
  defaults: { a: 10, b: 8 / 3, c: 137 / 5 },
  init: [-8, 4, 10],
  method: "rk4",
  dt: 0.001,
  field:
    ({ a, b, c }) =>
    (_t, [x = 0, y = 0, z = 0], o) => {
      const r = 3 * Math.sqrt(x * x + y * y);
      const x2y2 = x * x - y * y;
      o[0] = (-(a + 1) * x + a - c + z * y) / 3 + ((1 - a) * x2y2 + 2 * (a + c - z) * x * y) / r;
      o[1] = ((c - a - z) * x - (a + 1) * y) / 3 + (2 * (a - 1) * x * y + (a + c - z) * x2y2) / r;
      o[2] = (3 * x * x * y - y * y * y) / 2 - b * z;
    },
});

/** Piecewise-linear Duffing oscillator, forced by γ·cos(ωt) with γ = 0.14 + i/20. */
export const pwlDuffing = flow({
  name: "pwlDuffing",
  variables: ["x", "y"],
  defaults: { e: 0.25, m0: -0.0845, m1: 0.66, omega: 1, i: -14 },
  init: [0, 0],
  method: "rk4",
  dt: 0.001,
  field: ({ e, m0, m1, omega, i }) => {
    const gamma = 0.14 + i / 20;
    return (t, [x = 0, y = 0], o) => {
      o[0] = y;
      o[1] =
        -m1 * x - 0.5 * (m0 - m1) * (Math.abs(x + 1) - Math.abs(x - 1)) - e * y + gamma * Math.cos(omega * t);
    };
  },
});

/**
 * Integrates a flow for `duration` time units.
 * @example
 * const { ts, vars } = flowSeries(lorenz, 100, { dt: 0.01 }); // 10,000 steps of x, y, z
 */
export function flowSeries<P extends Record<string, number>>(
  f: Flow<P>,
  duration: number,
  opts: FlowOptions<P> = {} as FlowOptions<P>,
): Series {
  const { init = f.init, dt = f.dt, method = f.method, ...params } = opts;
  if (!(dt > 0) || !(duration >= 0)) {
    throw new ValueError(
      `${f.name}Series: need dt > 0 and duration >= 0, got dt ${dt}, duration ${duration}`,
    );
  }
  if (init.length !== f.variables.length) {
    throw new ValueError(
      `${f.name}Series: init must have ${f.variables.length} values (${f.variables.join(", ")}), got ${init.length}`,
    );
  }
  for (const k of Object.keys(params)) {
    if (!(k in f.defaults)) {
      throw new ValueError(
        `${f.name}Series: unknown parameter '${k}'; parameters are ${Object.keys(f.defaults).join(", ")}`,
      );
    }
  }
  const p = { ...f.defaults, ...params } as P;
  return record(f.variables, f.field(p), init, dt, duration, method);
}

/** All flows by name. */
export const flows = {
  lorenz,
  rossler,
  doubleScroll,
  rabinovichFabrikant,
  chen,
  luChen,
  chua,
  modifiedChua,
  modifiedLorenz,
  pwlDuffing,
} as const;
