/**
 * Spike encoders: rates or probabilities → binary spike trains `[T, n]` (time-major).
 */
import type { Rng } from "../../base/random.ts";
import { ValueError } from "../../base/errors.ts";

/** Fills `out` (length T·n, time-major) with Bernoulli spikes, P(spike at t, i) = p[i]. */
function bernoulliInto(out: Float32Array | Uint8Array, p: ArrayLike<number>, T: number, rng: Rng): void {
  const n = p.length;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) if (rng.uniform() < (p[i] as number)) out[t * n + i] = 1;
  }
}

/**
 * Bernoulli encoding: each of `n` inputs spikes independently per step with its probability.
 * @returns spikes `[numStep, n]` as 0/1 floats.
 */
export function bernoulliEncode(probabilities: ArrayLike<number>, numStep: number, rng: Rng): Float32Array {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (!(p >= 0 && p <= 1)) {
      throw new ValueError(`bernoulliEncode: probabilities must lie in [0, 1], got ${p} at index ${i}`);
    }
  }
  const out = new Float32Array(numStep * probabilities.length);
  bernoulliInto(out, probabilities, numStep, rng);
  return out;
}

/**
 * Poisson-rate encoding as BrainPy's `PoissonGroup` does it: a spike in a step of `dtMs` with
 * probability `rate·dt/1000` (clamped to 1).
 * @param ratesHz firing rates per input `[n]` (Hz).
 * @returns spikes `[numStep, n]` as 0/1 floats.
 */
export function poissonEncode(
  ratesHz: ArrayLike<number>,
  numStep: number,
  dtMs: number,
  rng: Rng,
): Float32Array {
  const p = Array.from(ratesHz, (r, i) => {
    if (!(r >= 0) || !Number.isFinite(r)) {
      throw new ValueError(`poissonEncode: rates must be finite and >= 0 Hz, got ${r} at index ${i}`);
    }
    return Math.min(1, (r * dtMs) / 1000);
  });
  const out = new Float32Array(numStep * p.length);
  bernoulliInto(out, p, numStep, rng);
  return out;
}

/**
 * Sparse Bernoulli spikes with one probability `p` for every element of `out`, drawn by skipping
 * geometric gaps (same distribution as one draw per element, far fewer draws when p is small).
 */
export function sparseBernoulliFill(out: Uint8Array | Float32Array, p: number, rng: Rng): void {
  if (p <= 0) return;
  if (p >= 1) {
    out.fill(1);
    return;
  }
  const logq = Math.log1p(-p);
  let i = -1;
  for (;;) {
    i += 1 + Math.floor(Math.log(1 - rng.uniform()) / logq);
    if (i >= out.length) return;
    out[i] = 1;
  }
}
