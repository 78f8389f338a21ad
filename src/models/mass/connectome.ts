/**
 * Connectomes: who projects to whom, how strongly, over which tract lengths. Weights are
 * target-major: `W[i][j]` is the weight from region j onto region i. Delays follow from tract
 * lengths and a conduction speed, `d_ij = round(L_ij / (v dt))` steps.
 */
import { ShapeError, ValueError } from "../../base/errors.ts";
import { Tensor } from "../../core/index.ts";

/** A validated connectome of n regions. */
export interface Connectome {
  readonly n: number;
  /** `[n·n]` row-major, `weights[i·n + j]` from j onto i. */
  readonly weights: Float64Array;
  /** `[n·n]` tract lengths in mm, when known. */
  readonly lengths?: Float64Array;
  /** Region names, when known. */
  readonly labels?: readonly string[];
}

/** A matrix given as rows, as a flat row-major array, or as a `[n, n]` tensor. */
export type WeightMatrix = readonly (readonly number[])[] | Tensor;

/** What {@link connectome} accepts. */
export interface ConnectomeOptions {
  readonly weights: WeightMatrix;
  /** Tract lengths in mm, the same shape as the weights. */
  readonly lengths?: WeightMatrix;
  readonly labels?: readonly string[];
}

function square(where: string, name: string, m: WeightMatrix): { n: number; data: Float64Array } {
  if (m instanceof Tensor) {
    if (m.rank !== 2 || m.shape[0] !== m.shape[1]) {
      throw new ShapeError(
        `${where}: ${name} must be a square [n, n] matrix, got shape [${m.shape.join(", ")}]`,
      );
    }
    return { n: m.shape[0] as number, data: Float64Array.from(m.data) };
  }
  const n = m.length;
  const bad = m.findIndex((row) => row.length !== n);
  if (n === 0 || bad >= 0) {
    throw new ShapeError(
      `${where}: ${name} must be a square [n, n] matrix, got ${n} rows${bad >= 0 ? ` with row ${bad} of length ${m[bad]?.length}` : ""}`,
    );
  }
  return { n, data: Float64Array.from(m.flat()) };
}

/**
 * Checks and packs a connectome: square finite weights, lengths (if any) of the same shape,
 * finite and non-negative, labels (if any) one per region.
 * @example const c = connectome({ weights: [[0, 1], [1, 0]], lengths: [[0, 40], [40, 0]] });
 */
export function connectome(options: ConnectomeOptions): Connectome {
  const where = "connectome";
  const w = square(where, "weights", options.weights);
  const badW = w.data.findIndex((v) => !Number.isFinite(v));
  if (badW >= 0) {
    throw new ValueError(
      `${where}: weights must be finite, got ${w.data[badW]} at [${Math.floor(badW / w.n)}, ${badW % w.n}]`,
    );
  }
  let lengths: Float64Array | undefined;
  if (options.lengths !== undefined) {
    const l = square(where, "lengths", options.lengths);
    if (l.n !== w.n) {
      throw new ShapeError(
        `${where}: lengths must match the weights' shape [${w.n}, ${w.n}], got [${l.n}, ${l.n}]`,
      );
    }
    const bad = l.data.findIndex((v) => !(Number.isFinite(v) && v >= 0));
    if (bad >= 0) {
      throw new ValueError(
        `${where}: tract lengths must be finite and >= 0 (mm), got ${l.data[bad]} at [${Math.floor(bad / w.n)}, ${bad % w.n}]`,
      );
    }
    lengths = l.data;
  }
  if (options.labels !== undefined && options.labels.length !== w.n) {
    throw new ValueError(
      `${where}: labels must name each of the ${w.n} regions, got ${options.labels.length}`,
    );
  }
  return {
    n: w.n,
    weights: w.data,
    ...(lengths ? { lengths } : {}),
    ...(options.labels ? { labels: [...options.labels] } : {}),
  };
}

/**
 * Conduction delays in steps, `round(L_ij / (speed · dt))`.
 * @param speed conduction speed in mm/ms (= m/s)
 * @param dt the step in ms
 */
export function delaySteps(c: Connectome, speed: number, dt: number): Int32Array {
  if (!c.lengths) {
    throw new ValueError(`delaySteps: the connectome has no tract lengths; give lengths to get delays`);
  }
  if (!(Number.isFinite(speed) && speed > 0)) {
    throw new ValueError(`delaySteps: conduction speed must be a finite number > 0 (mm/ms), got ${speed}`);
  }
  return Int32Array.from(c.lengths, (l) => Math.round(l / (speed * dt)));
}

/** Σ_j W_ij for every region i. */
export function rowSums(c: Connectome): Float64Array {
  const out = new Float64Array(c.n);
  for (let i = 0; i < c.n; i++) {
    let s = 0;
    for (let j = 0; j < c.n; j++) s += c.weights[i * c.n + j] as number;
    out[i] = s;
  }
  return out;
}

/** The connectome with weights scaled so that the largest is 1 (or the largest row sum, `by: "rowSum"`). */
export function normalizeWeights(c: Connectome, by: "max" | "rowSum" = "max"): Connectome {
  const scale = by === "max" ? Math.max(...c.weights.map(Math.abs)) : Math.max(...rowSums(c).map(Math.abs));
  if (!(scale > 0)) throw new ValueError(`normalizeWeights: the weights are all zero`);
  return { ...c, weights: c.weights.map((w) => w / scale) };
}
