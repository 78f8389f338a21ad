/** k-means clustering (Lloyd's algorithm, k-means++ seeding, seeded restarts) and silhouette scores. */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Rng } from "../../base/random.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Draws the k-means++ seeds of every restart. */
  readonly rng: Rng;
  /** Independent restarts; the one of lowest inertia is kept (default 10). */
  readonly restarts?: number;
  /** Lloyd iterations per restart at most (default 100); a restart stops when no label changes. */
  readonly maxIterations?: number;
}

/** A k-means partition. */
export interface KMeans {
  /** Cluster of each row `[N]`, in `0 … k−1`. */
  readonly labels: Int32Array;
  /** Cluster centres `[k, D]` (float64). */
  readonly centroids: Tensor;
  /** Sum of squared distances of the rows to their centres. */
  readonly inertia: number;
}

function rowsOf(where: string, X: Tensor): [number, number] {
  if (X.rank !== 2) throw new ShapeError(`${where}: X must have shape [N, D], got ${fmtShape(X.shape)}`);
  return X.shape as [number, number];
}

function dist2(x: ArrayLike<number>, i: number, c: ArrayLike<number>, j: number, D: number): number {
  let s = 0;
  for (let d = 0; d < D; d++) s += ((x[i * D + d] as number) - (c[j * D + d] as number)) ** 2;
  return s;
}

/** k-means++ seeds: the first row uniformly, each next with probability ∝ squared distance to the nearest seed. */
function seeds(x: ArrayLike<number>, N: number, D: number, k: number, rng: Rng): Float64Array {
  const c = new Float64Array(k * D);
  const near = new Float64Array(N).fill(Infinity);
  let pick = rng.integer(0, N);
  for (let j = 0; j < k; j++) {
    for (let d = 0; d < D; d++) c[j * D + d] = x[pick * D + d] as number;
    let total = 0;
    for (let i = 0; i < N; i++) {
      near[i] = Math.min(near[i] as number, dist2(x, i, c, j, D));
      total += near[i] as number;
    }
    if (total === 0) pick = rng.integer(0, N);
    else {
      let u = rng.uniform() * total;
      pick = N - 1;
      for (let i = 0; i < N; i++) {
        u -= near[i] as number;
        if (u < 0) {
          pick = i;
          break;
        }
      }
    }
  }
  return c;
}

function lloyd(x: ArrayLike<number>, N: number, D: number, c: Float64Array, k: number, iterations: number) {
  const labels = new Int32Array(N).fill(-1);
  let inertia = 0;
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    inertia = 0;
    for (let i = 0; i < N; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const d = dist2(x, i, c, j, D);
        if (d < bestD) [best, bestD] = [j, d];
      }
      if (labels[i] !== best) [labels[i], changed] = [best, true];
      inertia += bestD;
    }
    if (!changed) break;
    const counts = new Float64Array(k);
    const sums = new Float64Array(k * D);
    for (let i = 0; i < N; i++) {
      const j = labels[i] as number;
      counts[j] = (counts[j] as number) + 1;
      for (let d = 0; d < D; d++) sums[j * D + d] = (sums[j * D + d] as number) + (x[i * D + d] as number);
    }
    // An emptied cluster keeps its old centre rather than becoming NaN.
    for (let j = 0; j < k; j++)
      if ((counts[j] as number) > 0)
        for (let d = 0; d < D; d++) c[j * D + d] = (sums[j * D + d] as number) / (counts[j] as number);
  }
  return { labels, inertia };
}

/**
 * Partitions the N rows of `X` (`[N, D]`) into k clusters minimising the inertia
 * `Σᵢ ‖xᵢ − c_{label(i)}‖²`: Lloyd's iterations from k-means++ seeds, `restarts` times, keeping the best.
 * @example const { labels } = kMeans(normalized, 4, { rng: Rng.fromSeed(0) });
 */
export function kMeans(X: Tensor, k: number, options: KMeansOptions): KMeans {
  const [N, D] = rowsOf("kMeans", X);
  if (!Number.isInteger(k) || k < 1 || k > N) {
    throw new ValueError(`kMeans: k must be an integer in [1, N = ${N}], got ${k}`);
  }
  const restarts = options.restarts ?? 10;
  if (!Number.isInteger(restarts) || restarts < 1) {
    throw new ValueError(`kMeans: restarts must be an integer >= 1, got ${restarts}`);
  }
  let best: KMeans | undefined;
  for (let r = 0; r < restarts; r++) {
    const c = seeds(X.data, N, D, k, options.rng);
    const { labels, inertia } = lloyd(X.data, N, D, c, k, options.maxIterations ?? 100);
    if (!best || inertia < best.inertia) best = { labels, centroids: fromData(c, [k, D]), inertia };
  }
  return best as KMeans;
}

/**
 * The mean silhouette of a partition of the rows of `X` (`[N, D]`): for row i with mean distance
 * `a(i)` to the other rows of its cluster and `b(i)` the least mean distance to another cluster,
 * `s(i) = (b − a) / max(a, b)` (0 for a row alone in its cluster). In [−1, 1]; higher is better separated.
 * @example silhouette(normalized, kMeans(normalized, 3, { rng }).labels)
 */
export function silhouette(X: Tensor, labels: ArrayLike<number>): number {
  const [N, D] = rowsOf("silhouette", X);
  if (labels.length !== N) {
    throw new ShapeError(`silhouette: labels must have length N = ${N}, got ${labels.length}`);
  }
  const k = Math.max(...Array.from(labels)) + 1;
  const size = new Float64Array(k);
  for (let i = 0; i < N; i++) size[labels[i] as number] = (size[labels[i] as number] as number) + 1;
  let total = 0;
  const sums = new Float64Array(k);
  for (let i = 0; i < N; i++) {
    sums.fill(0);
    for (let j = 0; j < N; j++) {
      if (j !== i)
        sums[labels[j] as number] =
          (sums[labels[j] as number] as number) + Math.sqrt(dist2(X.data, i, X.data, j, D));
    }
    const own = labels[i] as number;
    if ((size[own] as number) <= 1) continue;
    const a = (sums[own] as number) / ((size[own] as number) - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++)
      if (c !== own && (size[c] as number) > 0) b = Math.min(b, (sums[c] as number) / (size[c] as number));
    if (b === Infinity) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / N;
}
