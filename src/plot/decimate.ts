/**
 * Downsampling of long series for plots. Specs embed their data, so a 100,000-step trace would make a
 * multi-megabyte SVG; we keep at most {@link MAX_POINTS_PER_LINE} points per line.
 */

/** The default cap on points per plotted line. */
export const MAX_POINTS_PER_LINE = 2000;

/**
 * The indices to keep from a series of `values`: all of them when there are at most `maxPoints`,
 * otherwise min–max decimation: the series is cut into `maxPoints / 2` equal buckets and each keeps
 * its smallest and its largest sample, in time order. Unlike taking every k-th sample, this keeps
 * spikes, peaks and threshold crossings visible.
 * @param values the series `[T]`
 * @param maxPoints the cap (at least 2)
 * @returns increasing indices into `values`, at most `maxPoints` of them
 */
export function decimateIndices(values: ArrayLike<number>, maxPoints = MAX_POINTS_PER_LINE): number[] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let iMin = lo;
    let iMax = lo;
    for (let i = lo + 1; i < hi; i++) {
      if ((values[i] as number) < (values[iMin] as number)) iMin = i;
      if ((values[i] as number) > (values[iMax] as number)) iMax = i;
    }
    out.push(Math.min(iMin, iMax));
    if (iMax !== iMin) out.push(Math.max(iMin, iMax));
  }
  return out;
}

/**
 * `min(n, maxPoints)` evenly spaced indices from 0 to n − 1 (both included): the downsampling for
 * paths such as state-space trajectories, where no single coordinate should decide what is kept.
 */
export function evenIndices(n: number, maxPoints = MAX_POINTS_PER_LINE): number[] {
  const m = Math.min(n, maxPoints);
  if (m <= 1) return m === 1 ? [0] : [];
  return Array.from({ length: m }, (_, k) => Math.round((k * (n - 1)) / (m - 1)));
}
