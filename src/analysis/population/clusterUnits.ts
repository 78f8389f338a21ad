/** Clusters of units by their task-variance profiles, k chosen by silhouette (Yang et al. 2019). */
import { ValueError } from "../../base/errors.ts";
import type { Rng } from "../../base/random.ts";
import type { Tensor } from "../../core/tensor.ts";
import { type KMeans, kMeans, silhouette } from "./kMeans.ts";

/** Options of {@link clusterUnits}. */
export interface ClusterUnitsOptions {
  /** Draws the k-means seeds. */
  readonly rng: Rng;
  /** Smallest k tried (default 2). */
  readonly kMin?: number;
  /** Largest k tried (default min(20, N − 1)). */
  readonly kMax?: number;
  /** k-means restarts per k (default 10). */
  readonly restarts?: number;
}

/** The clustering {@link clusterUnits} chose. */
export interface UnitClusters extends KMeans {
  /** The chosen number of clusters: the k of highest mean silhouette. */
  readonly k: number;
  /** Every k tried with its mean silhouette. */
  readonly silhouettes: readonly { readonly k: number; readonly score: number }[];
  /** Row indices ordered by cluster, for the sorted heatmap: see {@link clusterOrder}. */
  readonly order: readonly number[];
}

/**
 * Clusters the rows of `X` (`[N, D]`, e.g. the normalised task variances of the active units) by
 * k-means for every k in `[kMin, kMax]` and keeps the k whose partition has the highest mean
 * silhouette.
 * @example const { labels, k, order } = clusterUnits(normalizedActive, { rng: Rng.fromSeed(0) });
 */
export function clusterUnits(X: Tensor, options: ClusterUnitsOptions): UnitClusters {
  const N = X.shape[0] as number;
  const kMin = options.kMin ?? 2;
  const kMax = options.kMax ?? Math.min(20, N - 1);
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin || kMax >= N) {
    throw new ValueError(
      `clusterUnits: need integers 2 <= kMin <= kMax < N = ${N}, got kMin ${kMin}, kMax ${kMax}`,
    );
  }
  let best: (KMeans & { k: number; score: number }) | undefined;
  const silhouettes: { k: number; score: number }[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const fit = kMeans(X, k, { rng: options.rng, restarts: options.restarts ?? 10 });
    const score = silhouette(X, fit.labels);
    silhouettes.push({ k, score });
    if (!best || score > best.score) best = { ...fit, k, score };
  }
  const chosen = best as KMeans & { k: number };
  return {
    labels: chosen.labels,
    centroids: chosen.centroids,
    inertia: chosen.inertia,
    k: chosen.k,
    silhouettes,
    order: clusterOrder(chosen.labels, chosen.centroids),
  };
}

/**
 * Row indices grouped by cluster, the clusters ordered by the column where their centre peaks (for
 * task variances: the task each cluster serves most, as in Yang et al.'s Fig. 2), then by index.
 * @param labels cluster of each row `[N]`
 * @param centroids cluster centres `[k, D]`
 */
export function clusterOrder(labels: ArrayLike<number>, centroids: Tensor): number[] {
  const [k, D] = centroids.shape as [number, number];
  const peak = Array.from({ length: k }, (_, c) => {
    const row = Array.from(centroids.data.subarray(c * D, (c + 1) * D));
    return row.indexOf(Math.max(...row));
  });
  const rank = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => (peak[a] as number) - (peak[b] as number) || a - b,
  );
  const position = new Int32Array(k);
  rank.forEach((c, r) => (position[c] = r));
  return Array.from({ length: labels.length }, (_, i) => i).sort(
    (a, b) => (position[labels[a] as number] as number) - (position[labels[b] as number] as number) || a - b,
  );
}
