/**
 * Connectome generators: a ring lattice, a Watts–Strogatz small world, and a random geometric
 * graph with tract lengths from positions in space. All are symmetric with an empty diagonal.
 */
import { ValueError } from "../../base/errors.ts";
import type { Rng } from "../../base/random.ts";
import { positive, positiveInt, inRange } from "../validate.ts";
import type { Connectome } from "./connectome.ts";

function undirected(n: number, edges: Iterable<readonly [number, number, number]>): Float64Array {
  const w = new Float64Array(n * n);
  for (const [i, j, v] of edges) {
    w[i * n + j] = v;
    w[j * n + i] = v;
  }
  return w;
}

/**
 * A ring lattice: each region connects to its `neighbours` nearest regions on each side with
 * weight 1; with `spacingMm`, tract lengths are the distances along the ring.
 * @example const c = ringConnectome(20, { neighbours: 2, spacingMm: 10 });
 */
export function ringConnectome(
  n: number,
  options: { neighbours?: number; spacingMm?: number } = {},
): Connectome {
  const where = "ringConnectome";
  positiveInt(where, "n", n);
  const k = options.neighbours ?? 1;
  if (!Number.isInteger(k) || k < 1 || 2 * k >= n) {
    throw new ValueError(`${where}: neighbours must be an integer in [1, ${Math.ceil(n / 2) - 1}], got ${k}`);
  }
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let s = 1; s <= k; s++) edges.push([i, (i + s) % n, 1]);
  const weights = undirected(n, edges);
  if (options.spacingMm === undefined) return { n, weights };
  const spacing = positive(where, "spacingMm", options.spacingMm);
  const lengths = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) lengths[i * n + j] = Math.min(Math.abs(i - j), n - Math.abs(i - j)) * spacing;
  }
  return { n, weights, lengths };
}

/**
 * Watts–Strogatz small world (Nature 1998): a ring lattice with `neighbours` on each side whose
 * edges are each rewired, with probability `rewire`, to a uniformly chosen new partner.
 */
export function smallWorldConnectome(
  n: number,
  options: { rng: Rng; neighbours?: number; rewire?: number },
): Connectome {
  const where = "smallWorldConnectome";
  const ring = ringConnectome(n, { neighbours: options.neighbours ?? 2 });
  const p = inRange(where, "rewire", options.rewire ?? 0.1, 0, 1);
  const w = ring.weights;
  const k = options.neighbours ?? 2;
  for (let s = 1; s <= k; s++) {
    for (let i = 0; i < n; i++) {
      const j = (i + s) % n;
      if (!options.rng.bernoulli(p)) continue;
      const free: number[] = [];
      for (let m = 0; m < n; m++) if (m !== i && w[i * n + m] === 0) free.push(m);
      if (free.length === 0) continue;
      const m = options.rng.choice(free);
      w[i * n + j] = 0;
      w[j * n + i] = 0;
      w[i * n + m] = 1;
      w[m * n + i] = 1;
    }
  }
  return { n, weights: w };
}

/**
 * A random geometric connectome: regions uniform in a cube of side `extentMm`, each pair connected
 * with probability `exp(−d / lengthScaleMm)` scaled to the target `density` (the exponential
 * distance rule of cortical wiring), weight `exp(−d / lengthScaleMm)`, tract length d (mm).
 */
export function randomGeometricConnectome(
  n: number,
  options: { rng: Rng; extentMm?: number; lengthScaleMm?: number; density?: number },
): Connectome {
  const where = "randomGeometricConnectome";
  positiveInt(where, "n", n);
  const extent = positive(where, "extentMm", options.extentMm ?? 100);
  const scale = positive(where, "lengthScaleMm", options.lengthScaleMm ?? 30);
  const density = inRange(where, "density", options.density ?? 0.3, 0, 1);
  const { rng } = options;
  const pos = Array.from({ length: n }, () => [0, 0, 0].map(() => rng.uniform() * extent));
  const lengths = new Float64Array(n * n);
  const affinity: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const [a, b] = [pos[i] as number[], pos[j] as number[]];
      lengths[i * n + j] = Math.hypot(
        (a[0] as number) - (b[0] as number),
        (a[1] as number) - (b[1] as number),
        (a[2] as number) - (b[2] as number),
      );
      if (j > i) affinity.push(Math.exp(-(lengths[i * n + j] as number) / scale));
    }
  }
  const mean = affinity.reduce((s, a) => s + a, 0) / Math.max(1, affinity.length);
  const gain = density / mean;
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = Math.exp(-(lengths[i * n + j] as number) / scale);
      if (rng.uniform() < Math.min(1, gain * a)) edges.push([i, j, a]);
    }
  }
  return { n, weights: undirected(n, edges), lengths };
}
