/** Linear stability of fixed points of discrete-time maps from their Jacobian eigenvalues. */
import { type Complex, modulus } from "../../linalg/eigenvalues.ts";

/**
 * The kind of a fixed point of a map: `stable` (all |λ| < 1), `marginal` (none above 1 but some on
 * the unit circle, e.g. a line attractor), `saddle` (some |λ| > 1, some not) or `unstable` (all > 1).
 */
export type Stability = "stable" | "marginal" | "saddle" | "unstable";

/** The classification of one fixed point. */
export interface StabilitySummary {
  readonly stability: Stability;
  /** Number of eigenvalues with |λ| > 1 + tolerance. */
  readonly unstableModes: number;
  /** Number of eigenvalues with ||λ| − 1| ≤ tolerance. */
  readonly marginalModes: number;
}

/**
 * Classifies a fixed point of a discrete-time map by the moduli of its Jacobian's eigenvalues;
 * moduli within `tolerance` of 1 count as marginal (default 1e-3).
 */
export function classifyStability(eigenvalues: readonly Complex[], tolerance = 1e-3): StabilitySummary {
  const moduli = eigenvalues.map(modulus);
  const unstableModes = moduli.filter((m) => m > 1 + tolerance).length;
  const marginalModes = moduli.filter((m) => Math.abs(m - 1) <= tolerance).length;
  const stability: Stability =
    unstableModes === 0
      ? marginalModes === 0
        ? "stable"
        : "marginal"
      : unstableModes === moduli.length
        ? "unstable"
        : "saddle";
  return { stability, unstableModes, marginalModes };
}
