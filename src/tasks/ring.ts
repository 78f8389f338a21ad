/**
 * Ring encodings shared by NeuroGym tasks: `dimRing` units with preferred angles
 * `theta_k = 2πk / dimRing`, each responding to a stimulus direction `phi`.
 */

/** Preferred angles `2πk / n`, k = 0..n-1. */
export function ringAngles(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (2 * Math.PI * k) / n;
  return out;
}

const shared = new Map<number, Float64Array>();

/**
 * {@link ringAngles} of `n` units, made once per ring size and shared: tasks read it on every
 * trial and must not write to it.
 */
export function sharedRingAngles(n: number): Float64Array {
  let a = shared.get(n);
  if (a === undefined) {
    a = ringAngles(n);
    shared.set(n, a);
  }
  return a;
}

/** Coherence ring: `0.5 + (coh / 200) · cos(theta_k − phi)` (random-dot tasks, coh in %). */
export function coherenceRing(theta: Float64Array, phi: number, coh: number): Float64Array {
  const out = new Float64Array(theta.length);
  for (let k = 0; k < out.length; k++) out[k] = 0.5 + (coh / 200) * Math.cos((theta[k] as number) - phi);
  return out;
}

/** Match ring: `0.5 + 0.5 · cos(theta_k − phi)` (match-to-sample tasks). */
export function matchRing(theta: Float64Array, phi: number): Float64Array {
  const out = new Float64Array(theta.length);
  for (let k = 0; k < out.length; k++) out[k] = 0.5 + 0.5 * Math.cos((theta[k] as number) - phi);
  return out;
}

/** Reach ring: `cos(theta_k − phi)` (reaching and anti-reach tasks). */
export function cosineRing(theta: Float64Array, phi: number): Float64Array {
  const out = new Float64Array(theta.length);
  for (let k = 0; k < out.length; k++) out[k] = Math.cos((theta[k] as number) - phi);
  return out;
}

/** The ring encodings {@link sharedRing} keeps. */
export type RingKind = "cosine" | "coherence" | "match";

/** The rings of one kind and size kept so far: phi → coherence → ring. */
interface RingTable {
  readonly rings: Map<number, Map<number, Float64Array>>;
  size: number;
}

/** Rings kept per kind and size; past this many, {@link sharedRing} makes each one afresh. */
const MAX_KEPT_RINGS = 4096;
const ringTables: Readonly<Record<RingKind, Map<number, RingTable>>> = {
  cosine: new Map(),
  coherence: new Map(),
  match: new Map(),
};

/**
 * The ring of `n` units for direction `phi` ({@link cosineRing}, {@link matchRing}, or
 * {@link coherenceRing} with coherence `coh`) on the angles of {@link ringAngles}, made once per
 * `(kind, n, phi, coh)` and shared: the same values as the function it names, for tasks that show
 * one of a few directions and coherences trial after trial (AntiReach computed 32 cosines a trial).
 * Tasks must not write to it. Past 4,096 rings of one kind and size (directions drawn from a
 * continuum), further rings are made afresh instead of kept.
 */
export function sharedRing(kind: RingKind, n: number, phi: number, coh = 0): Float64Array {
  const bySize = ringTables[kind];
  let table = bySize.get(n);
  if (table === undefined) {
    table = { rings: new Map(), size: 0 };
    bySize.set(n, table);
  }
  let byCoh = table.rings.get(phi);
  const hit = byCoh?.get(coh);
  if (hit !== undefined) return hit;
  const theta = sharedRingAngles(n);
  const ring =
    kind === "cosine"
      ? cosineRing(theta, phi)
      : kind === "match"
        ? matchRing(theta, phi)
        : coherenceRing(theta, phi, coh);
  if (table.size < MAX_KEPT_RINGS) {
    if (byCoh === undefined) table.rings.set(phi, (byCoh = new Map()));
    byCoh.set(coh, ring);
    table.size++;
  }
  return ring;
}

/** Wraps an angle to [0, 2π). */
export function wrapAngle(a: number): number {
  const r = a % (2 * Math.PI);
  return r < 0 ? r + 2 * Math.PI : r;
}

/** Circular distance `min(|a|, 2π − |a|)` of an angle difference in [−2π, 2π]. */
export function circularDistance(a: number): number {
  const x = Math.abs(a);
  return Math.min(x, 2 * Math.PI - x);
}
