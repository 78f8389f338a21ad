/**
 * {@link simulate}: runs a {@link MassNetwork} for T steps in the fused kernel — the traced step
 * program over all nodes, delays in a ring buffer — as one differentiable operation whose
 * backward pass is the kernel's adjoint, recomputing checkpointed segments.
 */
import { ShapeError, ValueError } from "../../base/errors.ts";
import {
  type Rng,
  type Tensor,
  broadcastTo,
  customVjp,
  fromData,
  reshape,
  sliceAxis,
  stack,
  unstack,
} from "../../core/index.ts";
import type { Program } from "../../kernels/js/massProgram.ts";
import {
  type MassKernel,
  type MassTape,
  massNetworkBackward,
  massNetworkForward,
} from "../../kernels/js/massNetwork.ts";
import { rowSums } from "./connectome.ts";
import { networkStep, sentChannels } from "./dynamics.ts";
import type { MassNetwork, MassParams, MassState } from "./network.ts";
import { trace } from "./trace.ts";

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Number of steps (required without a stimulus; must match its length with one). */
  readonly steps?: number;
  /** `[T, B, stimulus.length · N]` external stimulation. */
  readonly stimulus?: Tensor;
  /** Batch size without a stimulus or initial state (default 1). */
  readonly batch?: number;
  /** Initial state (default `net.initialState(params, B)`). */
  readonly state0?: MassState;
  /** Noise source (required with noise); advanced by one fork per step. */
  readonly rng?: Rng;
  /** Average the readouts over windows of this many steps (default 1; must divide T). */
  readonly every?: number;
  /** Segment length of the checkpointed backward pass (default about √(T · ring)). */
  readonly checkpoint?: number;
  /** Variables or readouts to return as `traces` besides the network's readouts. */
  readonly record?: readonly string[];
}

/** What {@link simulate} returns. */
export interface Simulation {
  /** `[T / every, B, observe.length · N]` window-averaged readouts. */
  readonly observed: Tensor;
  /** The state after the last step (continue with `state0: final`). */
  readonly final: MassState;
  /** `[T / every, B, N]` per recorded name. */
  readonly traces: Record<string, Tensor>;
}

interface Programs {
  readonly step: Program;
  readonly pre: Program;
}

const cache = new WeakMap<MassNetwork, Map<string, Programs>>();

/** The network's step and pre programs for a list of readouts (traced once, then cached). */
export function networkPrograms(net: MassNetwork, observe: readonly string[]): Programs {
  let byKey = cache.get(net);
  if (!byKey) {
    byKey = new Map();
    cache.set(net, byKey);
  }
  const key = observe.join("\u0000");
  const found = byKey.get(key);
  if (found) return found;
  const d = { ...net.dynamics, observe };
  const vars = d.variables.length;
  const ou = d.noise?.kind === "ou" ? d.noise.targets.length : 0;
  const ns = vars + ou;
  const k = net.channels;
  const m = d.stimulus.length;
  const nx = d.noise ? d.noise.targets.length : 0;
  const np = net.parameterOrder.length;
  const groups = <T>(values: readonly T[]) => {
    const out = {
      model: {} as Record<string, T>,
      coupling: {} as Record<string, T>,
      sigma: undefined as T | undefined,
    };
    net.parameterOrder.forEach(({ group, name }, i) => {
      const v = values[i] as T;
      if (group === "noise") out.sigma = v;
      else out[group][name] = v;
    });
    return out;
  };
  const step = trace(ns + k + 1 + m + nx + np, (o, x) => {
    const p = groups(x.slice(ns + k + 1 + m + nx));
    const r = networkStep(o, d, {
      state: x.slice(0, vars),
      ou: x.slice(vars, ns),
      params: p.model,
      couplingParams: p.coupling,
      sigma: p.sigma,
      sums: x.slice(ns, ns + k),
      rowSum: x[ns + k] as (typeof x)[0],
      stimulus: x.slice(ns + k + 1, ns + k + 1 + m),
      normals: x.slice(ns + k + 1 + m, ns + k + 1 + m + nx),
    });
    return [...r.state, ...r.ou, ...r.observed];
  });
  const pre = trace(ns + np, (o, x) => sentChannels(o, d, x.slice(0, vars), groups(x.slice(ns)).coupling));
  const programs = { step, pre };
  byKey.set(key, programs);
  return programs;
}

/** The parameter lanes `[np, B, N]`, in the network's kernel order. */
export function parameterLanes(net: MassNetwork, params: MassParams, B: number): Tensor {
  const N = net.nodes;
  const lanes = net.parameterOrder.map(({ group, name }) => {
    const t = group === "noise" ? params.noise?.sigma : params[group]?.[name];
    if (!t) throw new ValueError(`simulate: params.${group}.${name} is missing`);
    try {
      return broadcastTo(t, [B, N]);
    } catch {
      throw new ShapeError(
        `simulate: params.${group}.${name} must have shape [], [${N}], [${B}, 1] or [${B}, ${N}], got [${t.shape.join(", ")}]`,
      );
    }
  });
  return stack(lanes);
}

const f64 = (t: Tensor) => (t.data instanceof Float64Array ? t.data : Float64Array.from(t.data));

/**
 * Runs `net` for T steps in the fused kernel; differentiable with respect to the parameters, the
 * initial state and the stimulus (through the kernel's checkpointed adjoint).
 * @example
 * const net = massNetwork({ model: "hopf", connectome: c, coupling: "diffusive", dt: 0.1, noise: { sigma: 0.02 } });
 * const { observed } = simulate(net, net.init(rng), { steps: 10_000, rng, every: 10 }); // [1000, 1, N]
 */
export function simulate(net: MassNetwork, params: MassParams, options: SimulateOptions = {}): Simulation {
  const where = "simulate";
  const N = net.nodes;
  const d = net.dynamics;
  const m = d.stimulus.length;
  const stim = options.stimulus;
  if (stim && (stim.rank !== 3 || stim.shape[2] !== m * N)) {
    throw new ShapeError(
      `${where}: stimulus must be [T, B, ${m * N}] (${m} stimulated input(s) × ${N} nodes), got [${stim.shape.join(", ")}]`,
    );
  }
  if (!stim && m > 0)
    throw new ValueError(`${where}: the network stimulates ${d.stimulus.join(", ")}; give a stimulus`);
  const T = stim ? (stim.shape[0] as number) : (options.steps ?? 0);
  if (options.steps !== undefined && options.steps !== T) {
    throw new ValueError(`${where}: steps must equal the stimulus length ${T}, got ${options.steps}`);
  }
  if (!Number.isInteger(T) || T < 1)
    throw new ValueError(`${where}: steps must be a positive integer, got ${T}`);
  const firstVar = d.variables[0] as string;
  const B =
    (stim?.shape[1] as number | undefined) ??
    ((options.state0?.[firstVar] as Tensor | undefined)?.shape[0] as number | undefined) ??
    options.batch ??
    1;
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1 || T % every !== 0) {
    throw new ValueError(`${where}: every must be a positive integer dividing the ${T} steps, got ${every}`);
  }
  const noisy = d.noise !== null;
  if (noisy && !options.rng) throw new ValueError(`${where}: the network is noisy; give an rng`);
  const record = options.record ?? [];
  const observe = [...d.observe, ...record];
  for (const name of record) {
    if (!d.variables.includes(name) && !(name in d.model.observables)) {
      throw new ValueError(
        `${where}: record must name variables or readouts of ${d.model.name}, got "${name}"`,
      );
    }
  }
  const programs = networkPrograms(net, observe);
  const ouTargets = d.noise?.kind === "ou" ? d.noise.targets.map((t) => t.name) : [];
  const ns = d.variables.length + ouTargets.length;
  const k = net.channels;
  const H = net.ringLength;
  const state0 = options.state0 ?? net.initialState(params, B);
  const stateLeaves = [
    ...d.variables.map((v) => state0[v] as Tensor),
    ...ouTargets.map((t) => (state0["noise"] as Record<string, Tensor>)[t] as Tensor),
  ];
  stateLeaves.forEach((t, i) => {
    if (!t || t.shape[0] !== B || t.shape[1] !== N) {
      throw new ShapeError(
        `${where}: state0 leaf ${i} must be [${B}, ${N}], got ${t ? `[${t.shape.join(", ")}]` : "nothing"}`,
      );
    }
  });
  const history = H > 1 ? (state0["history"] as Tensor | undefined) : undefined;
  if (H > 1 && (!history || history.shape[1] !== (H - 1) * k * N)) {
    throw new ShapeError(`${where}: state0.history must be [${B}, ${(H - 1) * k * N}]`);
  }
  const lanes = parameterLanes(net, params, B);
  const dtype = lanes.dtype;
  const nc = observe.length;
  const kernel: MassKernel = {
    shape: {
      B,
      N,
      T,
      ns,
      k,
      m,
      nx: d.noise ? d.noise.targets.length : 0,
      np: net.parameterOrder.length,
      c: nc,
      H,
      every,
    },
    step: programs.step,
    pre: programs.pre,
    weights: net.connectome?.weights ?? new Float64Array(N * N),
    delays: net.delays,
    rowSum: net.connectome ? rowSums(net.connectome) : new Float64Array(N),
  };
  const checkpoint =
    options.checkpoint ?? Math.max(1, Math.ceil(Math.sqrt(T * (1 + (H * k) / Math.max(1, ns)))));
  const sizes = { observed: (T / every) * B * nc * N, final: ns * B * N, history: B * (H - 1) * k * N };
  const inputs: Tensor[] = [
    stack(stateLeaves),
    lanes,
    ...(history ? [history] : []),
    ...(stim ? [stim] : []),
  ];
  let tape: MassTape | undefined;
  const pack = (parts: readonly Float64Array[]) => {
    const n = sizes.observed + sizes.final + sizes.history;
    const out = dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return fromData(out, [n]);
  };
  const run = customVjp(
    "massNetwork",
    (state, params_, ...rest) => {
      tape = massNetworkForward(
        kernel,
        {
          state0: f64(state as Tensor),
          params: f64(params_ as Tensor),
          history0: history ? f64(rest[0] as Tensor) : new Float64Array(0),
          stimulus: stim ? (rest[history ? 1 : 0] as Tensor).data : null,
          rng: options.rng ?? null,
        },
        checkpoint,
      );
      const o = tape.outputs;
      return pack([o.observed, o.final, o.history]);
    },
    (g, ins) => {
      const gd = f64(g);
      const grads = massNetworkBackward(
        tape as MassTape,
        gd.subarray(0, sizes.observed),
        gd.subarray(sizes.observed, sizes.observed + sizes.final),
        gd.subarray(sizes.observed + sizes.final),
      );
      const like = (t: Tensor, data: Float64Array) =>
        fromData(t.dtype === "float64" ? data : Float32Array.from(data), [...t.shape]);
      return [
        like(ins[0] as Tensor, grads.state0),
        like(ins[1] as Tensor, grads.params),
        ...(history ? [like(ins[2] as Tensor, grads.history0)] : []),
        ...(stim && grads.stimulus ? [like(ins[history ? 3 : 2] as Tensor, grads.stimulus)] : []),
      ];
    },
  );
  // The kernel draws from forks of options.rng, advancing it T times like runCell's step streams.
  const packed = run(...inputs);
  const observedAll = reshape(sliceAxis(packed, 0, 0, sizes.observed), [T / every, B, nc * N]);
  const finalLeaves = unstack(
    reshape(sliceAxis(packed, 0, sizes.observed, sizes.observed + sizes.final), [ns, B, N]),
    0,
  );
  const final: Record<string, Tensor | Record<string, Tensor>> = {};
  d.variables.forEach((v, i) => (final[v] = finalLeaves[i] as Tensor));
  if (ouTargets.length > 0) {
    final["noise"] = Object.fromEntries(
      ouTargets.map((t, q) => [t, finalLeaves[d.variables.length + q] as Tensor]),
    );
  }
  if (H > 1)
    final["history"] = reshape(sliceAxis(packed, 0, sizes.observed + sizes.final), [B, (H - 1) * k * N]);
  const c0 = d.observe.length;
  const traces = Object.fromEntries(
    record.map((name, q) => [name, sliceAxis(observedAll, 2, (c0 + q) * N, (c0 + q + 1) * N)]),
  );
  const observed = record.length > 0 ? sliceAxis(observedAll, 2, 0, c0 * N) : observedAll;
  return { observed, final, traces };
}
