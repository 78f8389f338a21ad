/**
 * {@link massNetwork}: any neural-mass model on N nodes — one node, independent nodes, or a
 * network over a connectome with conduction delays — as a cell. Its `step` is the differentiable
 * step-by-step path (tensors); its `sequence` is the fused kernel (see `simulate.ts`), with the
 * same values and gradients.
 */
import { ShapeError, ValueError } from "../../base/errors.ts";
import {
  type Rng,
  type Tensor,
  broadcastTo,
  concat,
  fromData,
  gather,
  matmul,
  mul,
  reshape,
  sliceAxis,
  sum,
  tensor,
  transpose,
} from "../../core/index.ts";
import { fillNormals } from "../../base/ziggurat.ts";
import type { Cell } from "../cell.ts";
import { nonNegative, oneOf, positive, positiveInt } from "../validate.ts";
import { type Value, tensorAlgebra } from "./algebra.ts";
import { type Connectome, type ConnectomeOptions, connectome, delaySteps, rowSums } from "./connectome.ts";
import { type CouplingName, couplingNamed } from "./coupling.ts";
import {
  type Dynamics,
  INTEGRATORS,
  type IntegratorName,
  type NoiseTarget,
  checkObserve,
  networkStep,
  sentChannels,
} from "./dynamics.ts";
import {
  type AnyMassModel,
  type ParameterSpec,
  parameterNames,
  variableNames,
  variableSpec,
} from "./model.ts";
import { massModelNamed } from "./registry.ts";
import { simulate } from "./simulate.ts";

/** Noise options of a network. */
export interface NoiseOptions {
  /** `"white"` (default) or `"ou"` (Ornstein–Uhlenbeck). */
  readonly kind?: "white" | "ou";
  /** Amplitude σ: the diffusion coefficient of white noise, the stationary std of OU noise. A parameter. */
  readonly sigma: number;
  /** OU correlation time in the model's time unit (required for `"ou"`). */
  readonly tau?: number;
  /**
   * Variables (white or OU) or inputs (OU only) receiving noise, each its own independent process;
   * default: every variable for white noise, every input for OU noise.
   */
  readonly into?: readonly string[];
}

/** The long-range coupling of a network. */
export interface CouplingOptions {
  readonly name: CouplingName;
  /** The variables sent (default: the model's). */
  readonly variables?: readonly string[];
  /** The inputs receiving the coupling's outputs (default: the model's). */
  readonly inputs?: readonly string[];
}

/** Per-node values: one number for every node, or one per node. */
export type PerNode = number | readonly number[];

/** Options of {@link massNetwork}. */
export interface MassNetworkOptions {
  /** The node model, or its registry name. */
  readonly model: AnyMassModel | string;
  /** The number of nodes without a connectome (default 1); must match the connectome when given. */
  readonly nodes?: number;
  /** Weights (target-major) and tract lengths in mm. */
  readonly connectome?: ConnectomeOptions | Connectome;
  /** Conduction speed in mm/ms (m/s); with tract lengths it sets the delays. */
  readonly speed?: number;
  /** The coupling (default `"linear"` when there is a connectome). */
  readonly coupling?: CouplingName | CouplingOptions;
  /** The step, in the model's time unit. */
  readonly dt: number;
  /** `"euler"`, `"heun"` (default) or `"rk4"` (deterministic only). */
  readonly integrator?: IntegratorName;
  readonly noise?: NoiseOptions;
  /** Model parameters overriding the published defaults, per node or for all. */
  readonly parameters?: Readonly<Record<string, PerNode>>;
  /** Coupling parameters (`gain` and the coupling's own). */
  readonly couplingParameters?: Readonly<Record<string, PerNode>>;
  /** Initial values of the variables overriding the model's. */
  readonly initial?: Readonly<Record<string, PerNode>>;
  /** The inputs receiving external stimulation; the cell's input is `[B, stimulus.length · N]`. */
  readonly stimulus?: readonly string[];
  /** What each step reads out (variables or readouts; default the model's first readout, else its first variable). */
  readonly observe?: readonly string[];
}

/** The resolved options, JSON-serialisable (the connectome as nested arrays). */
export interface MassNetworkConfig {
  readonly model: string;
  readonly nodes: number;
  readonly connectome?: {
    readonly weights: number[][];
    readonly lengths?: number[][];
    readonly labels?: readonly string[];
  };
  readonly speed?: number;
  readonly coupling?: {
    readonly name: CouplingName;
    readonly variables: string[];
    readonly inputs: string[];
  };
  readonly dt: number;
  readonly integrator: IntegratorName;
  readonly noise?: {
    readonly kind: "white" | "ou";
    readonly sigma: number;
    readonly tau?: number;
    readonly into: string[];
  };
  readonly parameters: Record<string, PerNode>;
  readonly couplingParameters: Record<string, PerNode>;
  readonly initial: Record<string, PerNode>;
  readonly stimulus: string[];
  readonly observe: string[];
}

/** Parameters: the model's, the coupling's and the noise amplitude; each `[]`, `[N]`, `[B, 1]` or `[B, N]`. */
export type MassParams = {
  readonly model: Readonly<Record<string, Tensor>>;
  readonly coupling?: Readonly<Record<string, Tensor>>;
  readonly noise?: { readonly sigma: Tensor };
};

/**
 * State: each variable `[B, N]`; `noise.<target>` `[B, N]` for OU noise; `history` `[B, (H−1)·k·N]`
 * (the sent channels at the previous H−1 steps, newest first) when there are delays.
 */
export type MassState = { readonly [name: string]: Tensor | { readonly [target: string]: Tensor } };

/** A neural-mass network as a cell, with what the fused kernel and analyses need. */
export interface MassNetwork extends Cell<MassParams, MassState, MassNetworkConfig> {
  readonly model: AnyMassModel;
  readonly dynamics: Dynamics;
  readonly nodes: number;
  readonly connectome: Connectome | null;
  /** `[N·N]` delays in steps, or null. */
  readonly delays: Int32Array | null;
  /** Ring length: the largest delay + 1. */
  readonly ringLength: number;
  /** Channels sent per node. */
  readonly channels: number;
  /** The coupling's parameter specs. */
  readonly couplingParameters: Readonly<Record<string, ParameterSpec>>;
  /** The parameter names in kernel order: model, coupling, noise. */
  readonly parameterOrder: readonly {
    readonly group: "model" | "coupling" | "noise";
    readonly name: string;
  }[];
}

const RESERVED = ["noise", "history"];

function perNode(where: string, name: string, v: PerNode, n: number, spec?: ParameterSpec): PerNode {
  const check = (x: number, at: string) => {
    if (!Number.isFinite(x)) throw new ValueError(`${where}: ${at} must be a finite number, got ${x}`);
    if (spec?.min !== undefined && x < spec.min) {
      throw new ValueError(`${where}: ${at} must be >= ${spec.min} (${spec.unit}), got ${x}`);
    }
    if (spec?.max !== undefined && x > spec.max) {
      throw new ValueError(`${where}: ${at} must be <= ${spec.max} (${spec.unit}), got ${x}`);
    }
  };
  if (typeof v === "number") {
    check(v, name);
    return v;
  }
  if (v.length !== n) {
    throw new ValueError(
      `${where}: ${name} must be one number or ${n} per-node values, got ${v.length} values`,
    );
  }
  v.forEach((x, i) => check(x, `${name}[${i}]`));
  return [...v];
}

function overrides(
  where: string,
  what: string,
  given: Readonly<Record<string, PerNode>> | undefined,
  specs: Readonly<Record<string, ParameterSpec>>,
  n: number,
): Record<string, PerNode> {
  const out: Record<string, PerNode> = {};
  for (const [name, v] of Object.entries(given ?? {})) {
    const spec = specs[name];
    if (!spec) {
      throw new ValueError(`${where}: ${what} must be among ${Object.keys(specs).join(", ")}, got "${name}"`);
    }
    out[name] = perNode(where, `${what}.${name}`, v, n, spec);
  }
  return out;
}

const asMatrix = (data: Float64Array, n: number) =>
  Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)));

/** Resolves and checks the options of {@link massNetwork}. */
export function massNetworkConfig(o: MassNetworkOptions): MassNetworkConfig {
  const where = "massNetwork";
  const model = typeof o.model === "string" ? massModelNamed(where, o.model) : o.model;
  const vars = variableNames(model);
  for (const v of vars) {
    if (RESERVED.includes(v)) throw new ValueError(`${where}: ${model.name} may not name a variable "${v}"`);
  }
  const c = o.connectome ? ("n" in o.connectome ? o.connectome : connectome(o.connectome)) : undefined;
  const nodes = c ? c.n : positiveInt(where, "nodes", o.nodes ?? 1);
  if (c && o.nodes !== undefined && o.nodes !== c.n) {
    throw new ShapeError(`${where}: nodes must match the connectome's ${c.n} regions, got ${o.nodes}`);
  }
  if (o.speed !== undefined) {
    positive(where, "speed", o.speed);
    if (!c?.lengths) throw new ValueError(`${where}: speed needs a connectome with tract lengths`);
  }
  if (c?.lengths && o.speed === undefined) {
    throw new ValueError(
      `${where}: the connectome has tract lengths; give a conduction speed (mm/ms) to set delays`,
    );
  }
  const dt = positive(where, "dt", o.dt);
  const integrator = oneOf(where, "integrator", o.integrator ?? "heun", INTEGRATORS);
  let coupling: MassNetworkConfig["coupling"];
  if (c) {
    const spec =
      typeof o.coupling === "string" ? { name: o.coupling } : (o.coupling ?? { name: "linear" as const });
    const def = couplingNamed(where, spec.name);
    const variables = [...(spec.variables ?? model.coupling.variables)];
    variables.forEach((v) => oneOf(where, "coupling.variables", v, vars));
    if (def.sends !== undefined && variables.length !== def.sends) {
      throw new ValueError(
        `${where}: the ${def.name} coupling sends ${def.sends} variable(s), got ${variables.length} (${variables.join(", ")})`,
      );
    }
    const inputs = [...(spec.inputs ?? model.coupling.inputs)];
    inputs.forEach((v) => oneOf(where, "coupling.inputs", v, model.inputs));
    if (inputs.length !== def.outputs(variables.length)) {
      throw new ValueError(
        `${where}: the ${def.name} coupling of ${variables.length} variable(s) feeds ${def.outputs(variables.length)} input(s), got ${inputs.length} (${inputs.join(", ")})`,
      );
    }
    coupling = { name: def.name, variables, inputs };
  } else if (o.coupling !== undefined) {
    throw new ValueError(`${where}: a coupling needs a connectome`);
  }
  let noise: MassNetworkConfig["noise"];
  if (o.noise) {
    const kind = oneOf(where, "noise.kind", o.noise.kind ?? "white", ["white", "ou"] as const);
    const sigma = nonNegative(where, "noise.sigma", o.noise.sigma);
    const into = [...(o.noise.into ?? (kind === "white" ? vars : model.inputs))];
    for (const name of into) {
      const isVar = vars.includes(name);
      if (!isVar && !(kind === "ou" && model.inputs.includes(name))) {
        throw new ValueError(
          `${where}: noise.into must name variables (${vars.join(", ")})${kind === "ou" ? ` or inputs (${model.inputs.join(", ")})` : ""} of ${model.name}, got "${name}"`,
        );
      }
    }
    if (new Set(into).size !== into.length) throw new ValueError(`${where}: noise.into names a target twice`);
    if (kind === "ou") {
      positive(where, "noise.tau", o.noise.tau ?? Number.NaN);
    } else if (integrator === "rk4") {
      throw new ValueError(
        `${where}: rk4 is deterministic; use "heun" (stochastic Heun) or "euler" (Euler–Maruyama) with white noise`,
      );
    }
    noise = { kind, sigma, ...(kind === "ou" ? { tau: o.noise.tau as number } : {}), into };
  }
  const stimulus = [...(o.stimulus ?? [])];
  stimulus.forEach((s) => oneOf(where, "stimulus", s, model.inputs));
  const firstReadout = Object.keys(model.observables)[0] ?? (vars[0] as string);
  const observe = [...checkObserve(where, model, o.observe ?? [firstReadout])];
  if (observe.length === 0) throw new ValueError(`${where}: observe must name at least one readout`);
  const couplingSpecs = coupling ? couplingNamed(where, coupling.name).parameters : {};
  const initialSpecs = Object.fromEntries(
    vars.map((v) => [v, { value: 0, unit: variableSpec(model, v).unit, doc: "" } satisfies ParameterSpec]),
  );
  return {
    model: model.name,
    nodes,
    ...(c
      ? {
          connectome: {
            weights: asMatrix(c.weights, c.n),
            ...(c.lengths ? { lengths: asMatrix(c.lengths, c.n) } : {}),
            ...(c.labels ? { labels: c.labels } : {}),
          },
        }
      : {}),
    ...(o.speed !== undefined ? { speed: o.speed } : {}),
    ...(coupling ? { coupling } : {}),
    dt,
    integrator,
    ...(noise ? { noise } : {}),
    parameters: overrides(where, "parameters", o.parameters, model.parameters, nodes),
    couplingParameters: overrides(where, "couplingParameters", o.couplingParameters, couplingSpecs, nodes),
    initial: overrides(where, "initial", o.initial, initialSpecs, nodes),
    stimulus,
    observe,
  };
}

const valueTensor = (v: PerNode) => (typeof v === "number" ? tensor(v, []) : tensor([...v]));

/**
 * A neural-mass model on N nodes as a cell: `step(params, state, x)` advances every node by one
 * integrator step; `x` `[B, stimulus.length · N]` is the external stimulation; the output
 * `[B, observe.length · N]` holds the readouts (readout-major). With a connectome, node i receives
 * `post(Σ_j W_ij pre(x_j(t − d_ij)))` through the coupling (see `coupling.ts`).
 *
 * @example
 * const net = massNetwork({ model: "jansenRit", dt: 0.1, noise: { sigma: 0.05, into: ["y4"] } });
 * const params = net.init(Rng.fromSeed(0));
 * const { observed } = simulate(net, params, { steps: 20_000, rng: Rng.fromSeed(1), every: 10 });
 */
export function massNetwork(options: MassNetworkOptions): MassNetwork {
  const config = massNetworkConfig(options);
  const model =
    typeof options.model === "string" ? massModelNamed("massNetwork", options.model) : options.model;
  return massNetworkFromConfig(config, model);
}

/** Builds the network a resolved config describes (`model` overrides the registry lookup, for custom models). */
export function massNetworkFromConfig(config: MassNetworkConfig, model?: AnyMassModel): MassNetwork {
  const m = model ?? massModelNamed("massNetwork", config.model);
  const N = config.nodes;
  const vars = variableNames(m);
  const c = config.connectome ? connectome(config.connectome) : null;
  const delays = c?.lengths ? delaySteps(c, config.speed as number, config.dt) : null;
  const H = delays ? Math.max(0, ...delays) + 1 : 1;
  const couplingDef = config.coupling ? couplingNamed("massNetwork", config.coupling.name) : null;
  const dynamics: Dynamics = {
    model: m,
    variables: vars,
    integrator: config.integrator,
    dt: config.dt,
    noise: config.noise
      ? {
          kind: config.noise.kind,
          tau: config.noise.tau ?? 1,
          targets: config.noise.into.map((name): NoiseTarget => ({
            kind: vars.includes(name) ? "variable" : "input",
            name,
          })),
        }
      : null,
    coupling:
      couplingDef && config.coupling
        ? {
            def: couplingDef,
            sent: config.coupling.variables.map((v) => vars.indexOf(v)),
            inputs: config.coupling.inputs,
          }
        : null,
    stimulus: config.stimulus,
    observe: config.observe,
  };
  const k = couplingDef ? couplingDef.channels(config.coupling?.variables.length ?? 0) : 0;
  const ouTargets = config.noise?.kind === "ou" ? config.noise.into : [];
  const weightsT = c ? transpose(fromData(c.weights.slice(), [N, N])) : null;
  const rowSum = c ? fromData(rowSums(c), [N]) : null;
  const parameterOrder = [
    ...parameterNames(m).map((name) => ({ group: "model" as const, name })),
    ...Object.keys(couplingDef?.parameters ?? {}).map((name) => ({ group: "coupling" as const, name })),
    ...(config.noise ? [{ group: "noise" as const, name: "sigma" }] : []),
  ];
  const sendIndices =
    delays &&
    Array.from({ length: k }, (_, ch) => {
      const idx = new Int32Array(N * N);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) idx[i * N + j] = ((delays[i * N + j] as number) * k + ch) * N + j;
      }
      return idx;
    });
  const weightsNN = c ? fromData(c.weights.slice(), [N, N]) : null;

  /** `S_c = Σ_j W_ij ch_c(t − d_ij)` for every channel, from the current channels and the history. */
  function delayedSums(current: readonly Value<Tensor>[], history: Tensor | undefined, B: number) {
    const cur = current.map((x) => broadcastTo(typeof x === "number" ? tensor(x, []) : x, [B, N]));
    if (!sendIndices) {
      return { sums: cur.map((x) => matmul(x, weightsT as Tensor)), history: undefined };
    }
    const full = concat([...cur, ...(history ? [history] : [])], 1); // [B, H·k·N]
    const sums = sendIndices.map((idx) =>
      sum(mul(reshape(gather(full, idx, 1), [B, N, N]), weightsNN as Tensor), 2),
    );
    return { sums, history: H > 1 ? sliceAxis(full, 1, 0, (H - 1) * k * N) : undefined };
  }

  const net: MassNetwork = {
    name: "massNetwork",
    config,
    nIn: config.stimulus.length * N,
    nOut: config.observe.length * N,
    model: m,
    dynamics,
    nodes: N,
    connectome: c,
    delays,
    ringLength: H,
    channels: k,
    couplingParameters: couplingDef?.parameters ?? {},
    parameterOrder,
    init(_rng: Rng) {
      const group = (specs: Readonly<Record<string, ParameterSpec>>, given: Record<string, PerNode>) =>
        Object.fromEntries(
          Object.entries(specs).map(([name, s]) => [name, valueTensor(given[name] ?? s.value)]),
        );
      return {
        model: group(m.parameters, config.parameters),
        ...(couplingDef ? { coupling: group(couplingDef.parameters, config.couplingParameters) } : {}),
        ...(config.noise ? { noise: { sigma: tensor(config.noise.sigma, []) } } : {}),
      };
    },
    initialState(params, B) {
      const dtype = params.model[parameterNames(m)[0] as string]?.dtype ?? "float32";
      const state: Record<string, Tensor | Record<string, Tensor>> = {};
      for (const v of vars) {
        const x0 = config.initial[v] ?? variableSpec(m, v).initial;
        state[v] = broadcastTo(typeof x0 === "number" ? tensor(x0, [], dtype) : tensor([...x0], [N], dtype), [
          B,
          N,
        ]);
      }
      if (ouTargets.length > 0) {
        state["noise"] = Object.fromEntries(
          ouTargets.map((t) => [t, broadcastTo(tensor(0, [], dtype), [B, N])]),
        );
      }
      if (H > 1) {
        const x = vars.map((v) => state[v] as Tensor);
        const ch = sentChannels(tensorAlgebra, dynamics, x, params.coupling ?? {}).map((t) =>
          broadcastTo(typeof t === "number" ? tensor(t, [], dtype) : t, [B, N]),
        );
        const once = concat(ch, 1); // [B, k·N]
        state["history"] = concat(
          Array.from({ length: H - 1 }, () => once),
          1,
        );
      }
      return state;
    },
    step(params, state, x, ctx = {}) {
      const xs = vars.map((v) => state[v] as Tensor);
      const B = xs[0]?.shape[0] as number;
      const ou = ouTargets.map((t) => (state["noise"] as Record<string, Tensor>)[t] as Tensor);
      const current = sentChannels(tensorAlgebra, dynamics, xs, params.coupling ?? {});
      const delayed = k > 0 ? delayedSums(current, state["history"] as Tensor | undefined, B) : null;
      const nNormals = dynamics.noise ? dynamics.noise.targets.length : 0;
      let normals: Tensor[] = [];
      if (nNormals > 0) {
        if (!ctx.rng)
          throw new ValueError(
            `massNetwork: a noisy network needs an rng (runCell's or simulate's rng option)`,
          );
        const draws = fillNormals(ctx.rng, new Float64Array(nNormals * B * N));
        const dtype = xs[0]?.dtype ?? "float32";
        const t = fromData(dtype === "float64" ? draws : Float32Array.from(draws), [nNormals, B, N]);
        normals = Array.from({ length: nNormals }, (_, q) => reshape(sliceAxis(t, 0, q, q + 1), [B, N]));
      }
      const stimulus = config.stimulus.map((_, q) => sliceAxis(x, 1, q * N, (q + 1) * N));
      const r = networkStep(tensorAlgebra, dynamics, {
        state: xs,
        ou,
        params: params.model,
        couplingParams: params.coupling ?? {},
        sigma: params.noise?.sigma,
        sums: delayed?.sums ?? [],
        rowSum: rowSum ?? 0,
        stimulus,
        normals,
      });
      const next: Record<string, Tensor | Record<string, Tensor>> = {};
      vars.forEach((v, i) => (next[v] = r.state[i] as Tensor));
      if (ouTargets.length > 0)
        next["noise"] = Object.fromEntries(ouTargets.map((t, q) => [t, r.ou[q] as Tensor]));
      if (delayed?.history) next["history"] = delayed.history;
      const observed = r.observed.map((y) => broadcastTo(typeof y === "number" ? tensor(y, []) : y, [B, N]));
      return { state: next, output: observed.length === 1 ? (observed[0] as Tensor) : concat(observed, 1) };
    },
    sequence(params, xs, runOptions) {
      const run = simulate(net, params, {
        stimulus: xs,
        ...(runOptions.state0 ? { state0: runOptions.state0 } : {}),
        ...(runOptions.rng ? { rng: runOptions.rng } : {}),
        ...(runOptions.checkpoint ? { checkpoint: runOptions.checkpoint } : {}),
        ...(runOptions.record ? { record: runOptions.record } : {}),
      });
      return { final: run.final, outputs: run.observed, traces: run.traces };
    },
  };
  return net;
}
