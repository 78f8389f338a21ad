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
