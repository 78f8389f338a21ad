/** PCA of recurrent hidden states over time and trials, returning per-trial trajectories. */
import { ShapeError, fmtShape } from "../base/errors.ts";
import { type Tensor, fromData } from "../core/tensor.ts";
import { reshape } from "../core/ops/layout.ts";
import { type PCA, pca } from "./pca.ts";

/** The result of {@link trajectoryPCA}. */
export interface TrajectoryPCA {
  /** The PCA fitted on every time point of every trial. */
  readonly pca: PCA;
  /** Per-trial trajectories `[B, T, k]` (float64), ready for `pcaTrajectories`. */
  readonly trajectories: Tensor;
}

/**
 * Fits PCA on all `T · B` states of `hidden` (`[T, B, H]`, time-major) and projects each trial,
 * returning trajectories trial-major (`[B, T, k]`).
 * @param components how many components (default 2)
 * @example const { trajectories, pca } = trajectoryPCA(states, 3);
 */
export function trajectoryPCA(hidden: Tensor, components = 2): TrajectoryPCA {
  if (hidden.rank !== 3) {
    throw new ShapeError(`trajectoryPCA: hidden must have shape [T, B, H], got ${fmtShape(hidden.shape)}`);
  }
  const [T, B, H] = hidden.shape as [number, number, number];
  const flat = reshape(hidden, [T * B, H]);
  const fit = pca(flat, { components });
  const projected = fit.project(flat).data;
  const k = components;
  const out = new Float64Array(B * T * k);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < k; c++) out[(b * T + t) * k + c] = projected[(t * B + b) * k + c] as number;
    }
  }
  return { pca: fit, trajectories: fromData(out, [B, T, k]) };
}
