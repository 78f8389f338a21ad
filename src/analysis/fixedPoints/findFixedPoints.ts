/**
 * Fixed and slow points of a state map in the manner of Sussillo & Barak (2013): minimise the speed
 * `q(h) = ½ ‖F(h) − h‖²` from many starting states with Adam, polish the slow minima with
 * Levenberg–Marquardt, keep those with q below a tolerance, merge duplicates, and linearise F
 * around each survivor.
 */
import { valueAndGrad } from "../../core/autodiff.ts";
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { cast } from "../../core/ops/layout.ts";
import { sum } from "../../core/ops/reduce.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import { refineFixedPoints } from "./refine.ts";
import { adam } from "../../optim/adam.ts";
import { type LearningRate, exponentialDecay } from "../../optim/schedule.ts";
import { type Complex, eigenvalues } from "../../linalg/eigenvalues.ts";
import { jacobians } from "./jacobian.ts";
import { type StabilitySummary, classifyStability } from "./stability.ts";
import { type StateMap, speed } from "./stateMap.ts";

/** Options of {@link findFixedPoints}. */
export interface FixedPointOptions {
  /** Starting states `[N, H]`, e.g. from `sampleStates`. */
  readonly initialStates: Tensor;
  /** Maximum Adam steps (default 2000); Adam stops early once every q is below `refineBelow`. */
  readonly steps?: number;
  /** Adam learning rate (default `exponentialDecay(0.05, 0.998)`: large moves first, fine ones later). */
  readonly lr?: LearningRate;
  /** Adam minima with q below this are refined by Levenberg–Marquardt (default 1e-4). */
  readonly refineBelow?: number;
  /** Maximum Levenberg–Marquardt steps per point (default 30). */
  readonly refineSteps?: number;
  /** A refined point with q below this is a fixed point (default 1e-10). */
  readonly tolerance?: number;
  /** Points closer than this (Euclidean) are one fixed point; the slowest is kept (default 1e-3). */
  readonly uniqueDistance?: number;
  /** Eigenvalue moduli within this of 1 count as marginal (default 1e-3). */
  readonly marginalTolerance?: number;
}

/** One fixed point with its linearisation. */
export interface FixedPoint extends StabilitySummary {
  /** The state `h*` `[H]`. */
  readonly state: Float64Array;
  /** Its speed `q(h*)`. */
  readonly q: number;
  /** `∂F/∂h` at `h*`, `[H, H]` row-major. */
  readonly jacobian: Float64Array;
  /** The Jacobian's eigenvalues, largest modulus first. */
  readonly eigenvalues: Complex[];
}

/** The outcome of {@link findFixedPoints}. */
export interface FixedPointSearch {
  /** Distinct fixed points, slowest first. */
  readonly fixedPoints: FixedPoint[];
  /** Every state after the Adam stage `[N, H]` (float64), fixed or not: slow points are among them. */
  readonly states: Tensor;
  /** The speed of every state after the Adam stage `[N]`. */
  readonly q: Float64Array;
  /** Adam steps taken. */
  readonly steps: number;
}

/** Indices of the points with q below `below`, slowest first, skipping any within `minDistance` of one kept. */
function distinctSlowest(
  points: readonly Float64Array[],
  q: Float64Array,
  below: number,
  minDistance: number,
): number[] {
  const order = points.map((_, i) => i).filter((i) => (q[i] as number) < below);
  order.sort((a, b) => (q[a] as number) - (q[b] as number));
  const kept: number[] = [];
  for (const i of order) {
    const p = points[i] as Float64Array;
    const far = (k: number) => Math.hypot(...p.map((v, j) => v - (points[k]?.[j] as number))) > minDistance;
    if (kept.every(far)) kept.push(i);
  }
  return kept;
}

/** Minimises q for every row of `h0` at once with Adam; stops when all are below `stopBelow`. */
function descend(F: StateMap, h0: Tensor, lr: LearningRate, maxSteps: number, stopBelow: number) {
  const optimizer = adam({ lr });
  const loss = valueAndGrad(
    (p: { h: Tensor }) => {
      const q = speed(F, p.h);
      return [sum(q), q] as const;
    },
    { hasAux: true },
  );
  let params = { h: cast(h0, "float64") };
  let state = optimizer.init(params);
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    const { grads, aux } = loss(params);
    if (aux.data.every((q) => q < stopBelow)) break;
    ({ params, state } = optimizer.update(grads, state, params));
  }
  return { states: params.h, q: Float64Array.from(speed(F, params.h).data), steps };
}

/**
 * Finds the fixed points of the map `F` (`[N, H] → [N, H]`) reachable from `initialStates`: Adam on
 * q for all starting states at once (float64), Levenberg–Marquardt polish of the distinct minima,
 * then each fixed point's Jacobian, eigenvalues and stability (see {@link classifyStability}).
 * @example
 * const F = (h: Tensor) => cell.step(params, h, input).state;
 * const { fixedPoints } = findFixedPoints(F, { initialStates: sampleStates(states, 128, rng, 0.02) });
 */
export function findFixedPoints(F: StateMap, options: FixedPointOptions): FixedPointSearch {
  const h0 = options.initialStates;
  if (h0.rank !== 2) {
    throw new ShapeError(`findFixedPoints: initialStates must have shape [N, H], got ${fmtShape(h0.shape)}`);
  }
  const H = h0.shape[1] as number;
  const tolerance = options.tolerance ?? 1e-10;
  const refineBelow = options.refineBelow ?? 1e-4;
  if (!(tolerance > 0 && refineBelow >= tolerance)) {
    throw new ValueError(
      `findFixedPoints: need 0 < tolerance <= refineBelow, got tolerance ${tolerance}, refineBelow ${refineBelow}`,
    );
  }
  const minDistance = options.uniqueDistance ?? 1e-3;
  const lr = options.lr ?? exponentialDecay(0.05, 0.998);
  const search = descend(F, h0, lr, options.steps ?? 2000, refineBelow);
  const rows = Array.from({ length: h0.shape[0] as number }, (_, i) =>
    Float64Array.from(search.states.data.subarray(i * H, (i + 1) * H)),
  );
  const candidates = distinctSlowest(rows, search.q, refineBelow, minDistance).map(
    (i) => rows[i] as Float64Array,
  );
  const refined = refineFixedPoints(F, candidates, options.refineSteps ?? 30, tolerance * 1e-6);
  const kept = distinctSlowest(refined.states, refined.q, tolerance, minDistance);
  const points = kept.map((i) => refined.states[i] as Float64Array);
  const stacked = new Float64Array(points.length * H);
  points.forEach((p, n) => stacked.set(p, n * H));
  const Js = points.length === 0 ? [] : jacobians(F, fromData(stacked, [points.length, H]));
  const fixedPoints = kept.map((i, n) => {
    const jacobian = Js[n] as Float64Array;
    const eig = eigenvalues(jacobian, H);
    return {
      state: points[n] as Float64Array,
      q: refined.q[i] as number,
      jacobian,
      eigenvalues: eig,
      ...classifyStability(eig, options.marginalTolerance),
    };
  });
  return { fixedPoints, ...search };
}
