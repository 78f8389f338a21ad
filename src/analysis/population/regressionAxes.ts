/**
 * Task-relevant axes by targeted dimensionality reduction (Mante, Sussillo, Shenoy & Newsome 2013,
 * Nature 503:78): regress every unit's activity on task variables, denoise the coefficients in the
 * top principal subspace, and orthogonalise them into axes to project trajectories on.
 */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import { cholesky, choleskySolve } from "../../linalg/cholesky.ts";
import { pca } from "../pca.ts";

/** Options of {@link regressionAxes}. */
export interface RegressionAxesOptions {
  /** Principal components spanning the denoising subspace (default min(12, H), Mante et al.'s 12). */
  readonly components?: number;
  /** Z-score each unit over all steps and trials before regressing (default true, as Mante et al.). */
  readonly zscore?: boolean;
}

/** Task-relevant axes found by {@link regressionAxes}. */
export interface RegressionAxes {
  /** Regressor names, in the order of the axes. */
  readonly names: readonly string[];
  /** Denoised time-resolved coefficients `β_v(t)` `[V, T, H]` (float64). */
  readonly coefficients: Tensor;
  /** Per regressor, the step `t_max = argmaxₜ ‖β_v(t)‖` whose coefficients define its axis. */
  readonly peakSteps: readonly number[];
  /** Orthonormal axes `[V, H]` (float64): the QR factor Q of `[β_1(t_max), …, β_V(t_max)]`, in order. */
  readonly axes: Tensor;
  /**
   * Coordinates on the axes `[..., V]` of activity `[..., H]` (e.g. `[T, B, H]` or condition means
   * `[T, H]`), normalised as in the fit: `((r − mean) / scale) · axesᵀ`.
   */
  project(activity: Tensor): Tensor;
}

/**
 * Finds task-relevant axes of `activity` (`[T, B, H]`, trials aligned in time) for the per-trial
 * task variables in `regressors` (name → `[B]`, e.g. `{ choice, coherence, context }`): at each step
 * t, least squares over trials `r[t, b, :] = β_0(t) + Σ_v F[b, v] β_v(t) + ε`; the coefficients are
 * projected on the span of the top principal components of all `T·B` (normalised) states,
 * `β ← D β` with `D = Σ_k p_k p_kᵀ`; each regressor's vector at its peak norm is kept, and the
 * vectors are orthonormalised in the given order (Gram–Schmidt, i.e. the Q of a QR factorisation),
 * so the first axis is the first regressor's direction and each later one its part orthogonal to
 * the earlier ones.
 * @example
 * const tdr = regressionAxes(hidden, { choice, coherence });
 * const onAxes = tdr.project(conditionAverages(hidden, labels)[0].mean); // [T, 2]
 */
export function regressionAxes(
  activity: Tensor,
  regressors: Readonly<Record<string, ArrayLike<number>>>,
  options: RegressionAxesOptions = {},
): RegressionAxes {
  if (activity.rank !== 3) {
    throw new ShapeError(
      `regressionAxes: activity must have shape [T, B, H], got ${fmtShape(activity.shape)}`,
    );
  }
  const [T, B, H] = activity.shape as [number, number, number];
  const names = Object.keys(regressors);
  const V = names.length;
  if (V === 0 || V > H) throw new ValueError(`regressionAxes: need 1 to H = ${H} regressors, got ${V}`);
  for (const n of names) {
    if (regressors[n]?.length !== B) {
      throw new ShapeError(
        `regressionAxes: regressor ${n} must have one value per trial (B = ${B}), got ${regressors[n]?.length}`,
      );
    }
  }
  const k = options.components ?? Math.min(12, H);
  if (!Number.isInteger(k) || k < V || k > H) {
    throw new ValueError(
      `regressionAxes: components must be an integer in [${V} (regressors), ${H}], got ${k}`,
    );
  }
  // Normalise units.
  const N = T * B;
  const mean = new Float64Array(H);
  const scale = new Float64Array(H).fill(1);
  const x = activity.data;
  for (let r = 0; r < N; r++)
    for (let i = 0; i < H; i++) mean[i] = (mean[i] as number) + (x[r * H + i] as number) / N;
  if (options.zscore ?? true) {
    const v = new Float64Array(H);
    for (let r = 0; r < N; r++)
      for (let i = 0; i < H; i++)
        v[i] = (v[i] as number) + ((x[r * H + i] as number) - (mean[i] as number)) ** 2 / N;
    v.forEach((s, i) => (scale[i] = s > 0 ? Math.sqrt(s) : 1));
  }
  const z = new Float64Array(N * H);
  for (let r = 0; r < N; r++)
    for (let i = 0; i < H; i++)
      z[r * H + i] = ((x[r * H + i] as number) - (mean[i] as number)) / (scale[i] as number);

  // Design matrix [B, V + 1] with an intercept; its normal matrix is shared by every step.
  const P = V + 1;
  const F = new Float64Array(B * P);
  for (let b = 0; b < B; b++) {
    F[b * P] = 1;
    names.forEach((n, v) => (F[b * P + v + 1] = regressors[n]?.[b] as number));
  }
  const FtF = new Float64Array(P * P);
  for (let b = 0; b < B; b++)
    for (let p = 0; p < P; p++)
      for (let q = 0; q < P; q++)
        FtF[p * P + q] = (FtF[p * P + q] as number) + (F[b * P + p] as number) * (F[b * P + q] as number);
  let L: Float64Array;
  try {
    L = cholesky(FtF, P);
  } catch {
    throw new ValueError(
      `regressionAxes: the regressors (${names.join(", ")}) and an intercept must be linearly independent over the trials, got a singular design: drop a constant or collinear regressor`,
    );
  }

  const components = pca(fromData(z, [N, H]), { components: k }).components.data;
  const beta = new Float64Array(V * T * H);
  const FtR = new Float64Array(P * H);
  const raw = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    FtR.fill(0);
    for (let b = 0; b < B; b++)
      for (let p = 0; p < P; p++) {
        const f = F[b * P + p] as number;
        for (let i = 0; i < H; i++)
          FtR[p * H + i] = (FtR[p * H + i] as number) + f * (z[(t * B + b) * H + i] as number);
      }
    const coef = choleskySolve(L, P, FtR, H);
    for (let v = 0; v < V; v++) {
      raw.set(coef.subarray((v + 1) * H, (v + 2) * H));
      const out = beta.subarray((v * T + t) * H, (v * T + t + 1) * H);
      for (let c = 0; c < k; c++) {
        const pc = components.subarray(c * H, (c + 1) * H);
        let dot = 0;
        for (let i = 0; i < H; i++) dot += (pc[i] as number) * (raw[i] as number);
        for (let i = 0; i < H; i++) out[i] = (out[i] as number) + dot * (pc[i] as number);
      }
    }
  }

  const peakSteps = names.map((_, v) => {
    let best = 0;
    let bestNorm = -1;
    for (let t = 0; t < T; t++) {
      const norm = beta.subarray((v * T + t) * H, (v * T + t + 1) * H).reduce((s, c) => s + c * c, 0);
      if (norm > bestNorm) [best, bestNorm] = [t, norm];
    }
    return best;
  });
  const axes = new Float64Array(V * H);
  peakSteps.forEach((t, v) => {
    const a = axes.subarray(v * H, (v + 1) * H);
    a.set(beta.subarray((v * T + t) * H, (v * T + t + 1) * H));
    for (let u = 0; u < v; u++) {
      const q = axes.subarray(u * H, (u + 1) * H);
      const dot = a.reduce((s, c, i) => s + c * (q[i] as number), 0);
      for (let i = 0; i < H; i++) a[i] = (a[i] as number) - dot * (q[i] as number);
    }
    const norm = Math.hypot(...a);
    if (!(norm > 1e-12)) {
      throw new ValueError(
        `regressionAxes: regressor ${names[v]} has no direction apart from the earlier ones (its coefficients' norm is ${norm}); drop it or reorder the regressors`,
      );
    }
    for (let i = 0; i < H; i++) a[i] = (a[i] as number) / norm;
  });

  return {
    names,
    coefficients: fromData(beta, [V, T, H]),
    peakSteps,
    axes: fromData(axes, [V, H]),
    project(y: Tensor): Tensor {
      if (y.rank < 1 || y.shape[y.rank - 1] !== H) {
        throw new ShapeError(
          `regressionAxes.project: activity must have shape [..., ${H}], got ${fmtShape(y.shape)}`,
        );
      }
      const M = y.size / H;
      const out = new Float64Array(M * V);
      for (let m = 0; m < M; m++)
        for (let v = 0; v < V; v++) {
          let s = 0;
          for (let i = 0; i < H; i++)
            s +=
              (((y.data[m * H + i] as number) - (mean[i] as number)) / (scale[i] as number)) *
              (axes[v * H + i] as number);
          out[m * V + v] = s;
        }
      return fromData(out, [...y.shape.slice(0, -1), V]);
    },
  };
}
