/**
 * Objectives of a fit: functions of a simulated signal `[T, N]` (time × regions or channels) to a
 * scalar loss, marked differentiable when the gradient backend can use them.
 */
import { ShapeError, ValueError } from "../base/errors.ts";
import { type Tensor, add, div, mean, mul, scalar, sqrt, sub, sum, tensor } from "../core/index.ts";
import {
  fcDynamics,
  functionalConnectivity,
  functionalCovariance,
  ksDistance,
  pearson,
  upperTriangle,
} from "../analysis/signals/connectivity.ts";
import { peakFrequency, welch } from "../analysis/signals/spectrum.ts";

/** A loss of a simulated signal. */
export interface Objective {
  readonly name: string;
  /** True when `loss` is built from differentiable tensor operations. */
  readonly differentiable: boolean;
  /** `[T, N]` signal → scalar loss `[]`. */
  loss(signal: Tensor): Tensor;
}

const asTensor = (x: Tensor | readonly (readonly number[])[]) =>
  Array.isArray(x)
    ? tensor(
        (x as number[][]).map((r) => [...r]),
        undefined,
        "float64",
      )
    : (x as Tensor);

function sameShape(where: string, signal: Tensor, target: Tensor): void {
  if (signal.shape.join() !== target.shape.join()) {
    throw new ShapeError(
      `${where}: the signal [${signal.shape.join(", ")}] must have the target's shape [${target.shape.join(", ")}]`,
    );
  }
}

/** Root-mean-square error between the signal and a target time series of the same shape. Differentiable. */
export function timeSeriesRmse(target: Tensor): Objective {
  return {
    name: "timeSeriesRmse",
    differentiable: true,
    loss(signal) {
      sameShape("timeSeriesRmse", signal, target);
      const d = sub(signal, target);
      return sqrt(mean(mul(d, d)));
    },
  };
}

function checkFc(where: string, target: Tensor, diagonal = false): Tensor {
  if (target.rank !== 2 || target.shape[0] !== target.shape[1]) {
    throw new ShapeError(`${where}: the target FC must be square [N, N], got [${target.shape.join(", ")}]`);
  }
  return upperTriangle(target, { diagonal });
}

/** `1 − r` between the upper triangles of the signal's FC and a target FC `[N, N]`. Differentiable. */
export function fcCorrelation(targetFc: Tensor | readonly (readonly number[])[]): Objective {
  const target = checkFc("fcCorrelation", asTensor(targetFc));
  return {
    name: "fcCorrelation",
    differentiable: true,
    loss: (signal) => sub(1, pearson(upperTriangle(functionalConnectivity(signal)), target)),
  };
}

/** RMSE between the upper triangles of the signal's FC and a target FC `[N, N]`. Differentiable. */
export function fcRmse(targetFc: Tensor | readonly (readonly number[])[]): Objective {
  const target = checkFc("fcRmse", asTensor(targetFc));
  return {
    name: "fcRmse",
    differentiable: true,
    loss(signal) {
      const d = sub(upperTriangle(functionalConnectivity(signal)), target);
      return sqrt(mean(mul(d, d)));
    },
  };
}

/**
 * Relative RMSE between the signal's FC as covariance ({@link functionalCovariance}) and a target
 * covariance `[N, N]`, over the upper triangle with the diagonal (the variances):
 * `‖triu(C − C*)‖ / ‖triu(C*)‖`. The correlation FC of a linear network does not depend on its
 * noise amplitude σ; the covariance scales as σ², so this objective identifies σ where
 * {@link fcRmse} and {@link fcCorrelation} cannot. Differentiable.
 */
export function covarianceRmse(targetCovariance: Tensor | readonly (readonly number[])[]): Objective {
  const target = checkFc("covarianceRmse", asTensor(targetCovariance), true);
  let squares = 0;
  for (const v of target.data) squares += v * v;
  const norm = Math.sqrt(squares);
  if (!(norm > 0)) throw new ValueError(`covarianceRmse: the target covariance must not be all zero`);
  return {
    name: "covarianceRmse",
    differentiable: true,
    loss(signal) {
      const d = sub(upperTriangle(functionalCovariance(signal), { diagonal: true }), target);
      return div(sqrt(sum(mul(d, d))), norm);
    },
  };
}

/**
 * The Kolmogorov–Smirnov distance between the signal's FCD values and a target's
 * (see {@link fcDynamics}). Not differentiable: use a gradient-free backend.
 */
export function fcdKs(
  targetValues: ArrayLike<number>,
  windows: { window: number; step?: number },
): Objective {
  if (targetValues.length === 0) throw new ValueError(`fcdKs: the target FCD values are empty`);
  const target = Float64Array.from(targetValues);
  return {
    name: "fcdKs",
    differentiable: false,
    loss: (signal) => scalar(ksDistance(fcDynamics(signal, windows).values, target), "float64"),
  };
}

/**
 * `|f_peak − target|` where f_peak is the peak of the Welch spectrum of the channels' mean (or of
 * one channel). Not differentiable: use a gradient-free backend.
 */
export function spectralPeak(
  targetFrequency: number,
  options: { fs: number; segment?: number; band?: { min?: number; max?: number }; channel?: number },
): Objective {
  if (!(targetFrequency > 0))
    throw new ValueError(`spectralPeak: target frequency must be > 0, got ${targetFrequency}`);
  return {
    name: "spectralPeak",
    differentiable: false,
    loss(signal) {
      if (signal.rank !== 2)
        throw new ShapeError(`spectralPeak: the signal must be [T, N], got [${signal.shape.join(", ")}]`);
      const [T, N] = signal.shape as [number, number];
      const x = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        if (options.channel !== undefined) x[t] = signal.data[t * N + options.channel] as number;
        else for (let j = 0; j < N; j++) x[t] = (x[t] as number) + (signal.data[t * N + j] as number) / N;
      }
      const spectrum = welch(x, { fs: options.fs, ...(options.segment ? { segment: options.segment } : {}) });
      return scalar(Math.abs(peakFrequency(spectrum, options.band ?? {}) - targetFrequency), "float64");
    },
  };
}

/** `Σ w_k L_k`: differentiable when every term is. */
export function weightedSum(
  terms: readonly { readonly weight: number; readonly objective: Objective }[],
): Objective {
  if (terms.length === 0) throw new ValueError(`weightedSum: give at least one term`);
  terms.forEach(({ weight }, i) => {
    if (!Number.isFinite(weight))
      throw new ValueError(`weightedSum: term ${i} weight must be finite, got ${weight}`);
  });
  return {
    name: terms.map((t) => `${t.weight}·${t.objective.name}`).join(" + "),
    differentiable: terms.every((t) => t.objective.differentiable),
    loss: (signal) => terms.map((t) => mul(t.objective.loss(signal), t.weight)).reduce((a, b) => add(a, b)),
  };
}

/** An objective from any loss function (mark it differentiable if it is built from tensor operations). */
export function objective(name: string, loss: (signal: Tensor) => Tensor, differentiable = true): Objective {
  return { name, differentiable, loss };
}
