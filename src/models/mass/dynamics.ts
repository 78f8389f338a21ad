/**
 * One network step, written once against {@link Algebra}: the coupling's receiving side, the
 * model's right-hand side, an integrator (Euler, Heun or RK4; Euler–Maruyama and stochastic Heun
 * with white noise) and Ornstein–Uhlenbeck noise. The step-by-step cell runs it on tensors; the
 * fused kernel runs the traced program.
 */
import { ValueError } from "../../base/errors.ts";
import type { Algebra, Value } from "./algebra.ts";
import type { Coupling } from "./coupling.ts";
import { type AnyMassModel, type Named, variableNames } from "./model.ts";

/** The integrators. */
export type IntegratorName = "euler" | "heun" | "rk4";

export const INTEGRATORS: readonly IntegratorName[] = ["euler", "heun", "rk4"];

/** Where one noise process enters: additively into a variable's equation, or into an input. */
export interface NoiseTarget {
  readonly kind: "variable" | "input";
  readonly name: string;
}

/** The noise of a network, resolved. */
export interface NoiseSpec {
  /**
   * `"white"`: `dx = f dt + σ dW` (Euler–Maruyama with `"euler"`, stochastic Heun with `"heun"`);
   * `"ou"`: Ornstein–Uhlenbeck processes η with correlation time τ and stationary std σ, each
   * added to its target (`dx/dt = f + η`, or the input plus η).
   */
  readonly kind: "white" | "ou";
  /** OU correlation time, in the model's time unit. */
  readonly tau: number;
  readonly targets: readonly NoiseTarget[];
}

/** Everything a step needs to know besides the numbers. */
export interface Dynamics {
  readonly model: AnyMassModel;
  readonly variables: readonly string[];
  readonly integrator: IntegratorName;
  readonly dt: number;
  readonly noise: NoiseSpec | null;
  readonly coupling: {
    readonly def: Coupling;
    /** Indices of the sent variables. */
    readonly sent: readonly number[];
    /** The model inputs receiving the coupling's outputs, in order. */
    readonly inputs: readonly string[];
  } | null;
  /** The model inputs receiving external stimulation, in order. */
  readonly stimulus: readonly string[];
  /** What each step reads out: variable or observable names. */
  readonly observe: readonly string[];
}

/** The values one step reads. */
export interface StepArgs<T> {
  /** Model variables, in order. */
  readonly state: readonly T[];
  /** OU processes, one per noise target (empty for white noise). */
  readonly ou: readonly T[];
  readonly params: Named<string, T>;
  readonly couplingParams: Named<string, T>;
  /** Noise amplitude σ (absent without noise). */
  readonly sigma: T | undefined;
  /** Delayed weighted sums, one per coupling channel. */
  readonly sums: readonly T[];
  /** Σ_j W_ij of the receiving node. */
  readonly rowSum: Value<T>;
  /** One value per stimulated input. */
  readonly stimulus: readonly Value<T>[];
  /** Standard normals, one per noise target. */
  readonly normals: readonly T[];
}

/** What one step produces. */
export interface StepResult<T> {
  readonly state: T[];
  readonly ou: T[];
  readonly observed: Value<T>[];
}

/** The sent variables' channels (the coupling's source side). */
export function sentChannels<T>(
  o: Algebra<T>,
  d: Dynamics,
  state: readonly T[],
  cp: Named<string, T>,
): Value<T>[] {
  if (!d.coupling) return [];
  return d.coupling.def.pre(
    o,
    d.coupling.sent.map((i) => state[i] as T),
    cp,
  );
}

/** One step of the network (per node, elementwise): see the module comment. */
export function networkStep<T>(o: Algebra<T>, d: Dynamics, a: StepArgs<T>): StepResult<T> {
  const { model, variables, dt, noise } = d;
  const u: Record<string, Value<T>> = Object.fromEntries(model.inputs.map((name: string) => [name, 0]));
  const addTo = (name: string, v: Value<T>) => {
    u[name] = o.add(u[name] as Value<T>, v);
  };
  if (d.coupling) {
    const out = d.coupling.def.post(
      o,
      d.coupling.sent.map((i) => a.state[i] as T),
      a.sums,
      a.rowSum,
      a.couplingParams,
    );
    d.coupling.inputs.forEach((name, k) => addTo(name, out[k] as Value<T>));
  }
  d.stimulus.forEach((name, k) => addTo(name, a.stimulus[k] as Value<T>));
  const forcing: Value<T>[] = variables.map(() => 0);
  const white: Value<T>[] = variables.map(() => 0);
  if (noise) {
    const sigma = a.sigma as T;
    noise.targets.forEach((target, k) => {
      const vi = variables.indexOf(target.name);
      if (noise.kind === "white") {
        white[vi] = o.mul(o.mul(sigma, Math.sqrt(dt)), a.normals[k] as T);
      } else if (target.kind === "variable") {
        forcing[vi] = o.add(forcing[vi] as Value<T>, o.mul(sigma, a.ou[k] as T));
      } else {
        addTo(target.name, o.mul(sigma, a.ou[k] as T));
      }
    });
  }
  const named = (x: readonly T[]) => Object.fromEntries(variables.map((v, i) => [v, x[i] as T]));
  const f = (x: readonly T[]): T[] => {
    const r = model.rhs(o, named(x), a.params, u) as Record<string, Value<T>>;
    return variables.map((v, i) => o.add(r[v] as Value<T>, forcing[i] as Value<T>));
  };
  const axpy = (x: readonly T[], h: number, k: readonly T[]) =>
    x.map((xi, i) => o.add(xi, o.mul(h, k[i] as T)));
  const plusNoise = (x: readonly T[]) => x.map((xi, i) => o.add(xi, white[i] as Value<T>));
  let next: T[];
  if (d.integrator === "euler") {
    next = plusNoise(axpy(a.state, dt, f(a.state)));
  } else if (d.integrator === "heun") {
    const k1 = f(a.state);
    const k2 = f(plusNoise(axpy(a.state, dt, k1)));
    next = plusNoise(
      axpy(
        a.state,
        dt / 2,
        k1.map((v, i) => o.add(v, k2[i] as T)),
      ),
    );
  } else {
    const k1 = f(a.state);
    const k2 = f(axpy(a.state, dt / 2, k1));
    const k3 = f(axpy(a.state, dt / 2, k2));
    const k4 = f(axpy(a.state, dt, k3));
    const sum = k1.map((v, i) => o.add(o.add(v, o.mul(2, o.add(k2[i] as T, k3[i] as T))), k4[i] as T));
    next = axpy(a.state, dt / 6, sum);
  }
  const ou =
    noise?.kind === "ou"
      ? a.ou.map((eta, k) => {
          const decay = Math.exp(-dt / noise.tau);
          return o.add(o.mul(decay, eta), o.mul(Math.sqrt(1 - decay * decay), a.normals[k] as T));
        })
      : [];
  const observed = d.observe.map((name) => {
    const vi = variables.indexOf(name);
    if (vi >= 0) return next[vi] as T;
    const readout = model.observables[name];
    if (!readout) throw new ValueError(`networkStep: unknown readout "${name}"`);
    return readout(o, named(next), a.params, u);
  });
  return { state: next, ou, observed };
}

/** Checks that every name is a variable or observable of the model. */
export function checkObserve(
  where: string,
  model: AnyMassModel,
  names: readonly string[],
): readonly string[] {
  const known = [...variableNames(model), ...Object.keys(model.observables)];
  for (const name of names) {
    if (!known.includes(name)) {
      throw new ValueError(
        `${where}: observe must name variables or readouts of ${model.name} (${known.join(", ")}), got "${name}"`,
      );
    }
  }
  return names;
}
