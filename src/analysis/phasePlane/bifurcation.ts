/**
 * One-parameter bifurcation diagrams by sweep: every value of a parameter runs as one batch row of
 * a network, and the attractor's range of a readout after the transient is recorded; for
 * two-variable models the fixed points and their stability are added from the phase plane.
 */
import { ValueError } from "../../base/errors.ts";
import { Rng } from "../../base/random.ts";
import { type Tensor, cast, fromData, treeMap } from "../../core/index.ts";
import type { MassNetwork, MassParams } from "../../models/mass/network.ts";
import { simulate } from "../../models/mass/simulate.ts";
import { type PlanarFixedPoint, phasePlane } from "./phasePlane.ts";

/** Options of {@link bifurcationSweep}. */
export interface BifurcationOptions {
  /** A model parameter of the network (one value for every node). */
  readonly parameter: string;
  readonly values: readonly number[];
  /** Steps simulated per value. */
  readonly steps: number;
  /** Steps dropped as the transient (default steps / 2). */
  readonly transient?: number;
  /** The readout whose range is recorded (default the network's first readout), node 0. */
  readonly observe?: string;
  /** For two-variable models: the phase-plane window where fixed points are searched. */
  readonly plane?: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  /** Noise seed for noisy networks (default 0). */
  readonly seed?: number;
}

/** One branch point of the diagram. */
export interface BifurcationPoint {
  readonly value: number;
  /** Minimum and maximum of the readout after the transient: equal on a fixed point, apart on a cycle. */
  readonly min: number;
  readonly max: number;
  /** Fixed points and their stability (two-variable models with `plane` only). */
  readonly fixedPoints?: readonly PlanarFixedPoint[];
}

/**
 * Sweeps `parameter` over `values`, simulating all of them at once (the batch axis), and returns
 * the attractor's extent per value.
 * @example
 * const net = massNetwork({ model: "hopf", dt: 0.1, observe: ["x"] });
 * bifurcationSweep(net, { parameter: "a", values: [-0.1, 0, 0.1, 0.2], steps: 5000 });
 * // max ≈ √a above a = 0, 0 below
 */
export function bifurcationSweep(net: MassNetwork, options: BifurcationOptions): BifurcationPoint[] {
  const where = "bifurcationSweep";
  if (!(options.parameter in net.model.parameters)) {
    throw new ValueError(
      `${where}: parameter must be one of ${Object.keys(net.model.parameters).join(", ")}, got "${options.parameter}"`,
    );
  }
  const B = options.values.length;
  if (B === 0) throw new ValueError(`${where}: give at least one value`);
  const transient = options.transient ?? Math.floor(options.steps / 2);
  if (!Number.isInteger(transient) || transient < 0 || transient >= options.steps) {
    throw new ValueError(`${where}: transient must be an integer in [0, ${options.steps}), got ${transient}`);
  }
  const observe = options.observe ?? (net.dynamics.observe[0] as string);
  const base = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
  const column = fromData(Float64Array.from(options.values), [B, 1]);
  const params: MassParams = { ...base, model: { ...base.model, [options.parameter]: column } };
  const run = simulate(net, params, {
    steps: options.steps,
    batch: B,
    record: [observe],
    ...(net.dynamics.noise ? { rng: Rng.fromSeed(options.seed ?? 0) } : {}),
  });
  const trace = run.traces[observe] as Tensor; // [T, B, N]
  const N = net.nodes;
  return options.values.map((value, b) => {
    let min = Infinity;
    let max = -Infinity;
    for (let t = transient; t < options.steps; t++) {
      const v = trace.data[(t * B + b) * N] as number;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const fixedPoints = options.plane
      ? phasePlane(net.model, { ...options.plane, parameters: { [options.parameter]: value } }).fixedPoints
      : undefined;
    return { value, min, max, ...(fixedPoints ? { fixedPoints } : {}) };
  });
}
