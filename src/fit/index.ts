/** Fitting model parameters to data: bounded, transformed parameters, objectives, gradient and gradient-free backends. */
export {
  type FitParameterSpec,
  type FitParameters,
  type ResolvedParameter,
  type ResolvedParameters,
  resolveParameters,
  toConstrained,
  toUnconstrained,
} from "./parameters.ts";
export {
  type Objective,
  timeSeriesRmse,
  fcCorrelation,
  fcRmse,
  covarianceRmse,
  fcdKs,
  spectralPeak,
  weightedSum,
  objective,
} from "./objectives.ts";
export { type CmaesOptions, type CmaesResult, cmaes } from "./cmaes.ts";
export {
  type FitProblem,
  type FitBackend,
  type GradientBackend,
  type CmaesBackend,
  type RandomBackend,
  type GridBackend,
  type FitResult,
  type FitProgress,
  Fitter,
} from "./fitter.ts";
export { type NetworkProblemOptions, networkProblem } from "./network.ts";
