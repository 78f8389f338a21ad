/**
 * The neural-mass model contract: state variables, parameters with units and published defaults,
 * input channels, and a right-hand side written once against {@link Algebra}. A model is data plus
 * pure functions; {@link massNetwork} turns one into a cell (one node, many uncoupled nodes, or a
 * network over a connectome).
 */
import type { Algebra, Value } from "./algebra.ts";

/** A model parameter: its published default, unit and meaning. */
export interface ParameterSpec {
  /** The published default (in the model's units, see {@link MassModel.timeUnit}). */
  readonly value: number;
  /** Unit, e.g. `"ms"`, `"nA"`, `"1/ms"`, `"1"` for dimensionless. */
  readonly unit: string;
  readonly doc: string;
  /** Values outside `[min, max]` are rejected when a network is built. */
  readonly min?: number;
  readonly max?: number;
}

/** A state variable: its default initial value, unit and meaning. */
export interface VariableSpec {
  readonly initial: number;
  readonly unit: string;
  readonly doc: string;
}

/** Values of type T keyed by name. */
export type Named<K extends string, T> = { readonly [key in K]: T };

/** A readout of the state: `(o, state, params, inputs) → value` per node. */
export type Observable<V extends string, P extends string, I extends string> = <T>(
  o: Algebra<T>,
  s: Named<V, T>,
  p: Named<P, T>,
  u: Named<I, Value<T>>,
) => Value<T>;

/**
 * A neural-mass model: `ds/dt = f(s, p, u)` per node, with state s, parameters p and inputs u (the
 * long-range coupling and external stimulation arrive through the inputs).
 */
export interface MassModel<V extends string = string, P extends string = string, I extends string = string> {
  /** Registry name, e.g. `"jansenRit"`. */
  readonly name: string;
  /** Display name with the reference, e.g. `"Jansen–Rit (1995)"`. */
  readonly title: string;
  /** The unit of time of the equations (and so of `dt`): `"ms"`, `"s"` or `"1"` (dimensionless). */
  readonly timeUnit: string;
  /** State variables in order. */
  readonly variables: Named<V, VariableSpec>;
  readonly parameters: Named<P, ParameterSpec>;
  /** Input channels: where coupling, stimulation and input noise enter; the first is the default. */
  readonly inputs: readonly I[];
  /** The default long-range coupling: which variables are sent, which inputs receive the result. */
  readonly coupling: { readonly variables: readonly V[]; readonly inputs: readonly I[] };
  /** Named readouts besides the state variables (e.g. the EEG proxy, firing rates). */
  readonly observables: Readonly<Record<string, Observable<V, P, I>>>;
  /** The right-hand side `ds/dt`, elementwise over nodes. */
  rhs<T>(o: Algebra<T>, s: Named<V, T>, p: Named<P, T>, u: Named<I, Value<T>>): Named<V, Value<T>>;
}

/** Any model, whatever its names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a model's name unions vary; callers only read it through strings
export type AnyMassModel = MassModel<any, any, any>;

/** The variable names of a model, in order. */
export function variableNames(model: AnyMassModel): string[] {
  return Object.keys(model.variables);
}

/** The spec of one of a model's variables. */
export function variableSpec(model: AnyMassModel, name: string): VariableSpec {
  return (model.variables as Record<string, VariableSpec>)[name] as VariableSpec;
}

/** The parameter names of a model, in order. */
export function parameterNames(model: AnyMassModel): string[] {
  return Object.keys(model.parameters);
}

/** The published default of every parameter. */
export function defaultParameters(model: AnyMassModel): Record<string, number> {
  return Object.fromEntries(
    Object.entries(model.parameters as Record<string, ParameterSpec>).map(([k, s]) => [k, s.value]),
  );
}

/** A parameter spec, compactly: `param(135, "1", "average number of synapses", { min: 0 })`. */
export function param(
  value: number,
  unit: string,
  doc: string,
  range: { readonly min?: number; readonly max?: number } = {},
): ParameterSpec {
  return { value, unit, doc, ...range };
}

/** A state-variable spec, compactly. */
export function variable(initial: number, unit: string, doc: string): VariableSpec {
  return { initial, unit, doc };
}
