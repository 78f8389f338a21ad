/** Analysis of trained models and their behaviour: PCA, fixed points, psychometric fits, accuracy tables. */
export { type SymmetricEigen, symmetricEigen } from "../linalg/symmetricEigen.ts";
export { type Complex, modulus, eigenvalues } from "../linalg/eigenvalues.ts";
export { solveLinear } from "../linalg/solve.ts";
export { type PCA, type PCAOptions, pca } from "./pca.ts";
export { type TrajectoryPCA, trajectoryPCA } from "./trajectoryPCA.ts";
export { type StateMap, speed } from "./fixedPoints/stateMap.ts";
export { jacobians } from "./fixedPoints/jacobian.ts";
export { type Refined, refineFixedPoints } from "./fixedPoints/refine.ts";
export { type Stability, type StabilitySummary, classifyStability } from "./fixedPoints/stability.ts";
export { sampleStates } from "./fixedPoints/sampleStates.ts";
export {
  type FixedPoint,
  type FixedPointOptions,
  type FixedPointSearch,
  findFixedPoints,
} from "./fixedPoints/findFixedPoints.ts";
export { erfc, normalCdf, normalPdf } from "./behaviour/normal.ts";
export { type ChoiceFraction, choiceFractions } from "./behaviour/choiceFractions.ts";
export {
  type PsychometricLink,
  type PsychometricOptions,
  type PsychometricFit,
  fitPsychometric,
} from "./behaviour/psychometric.ts";
export {
  type ScoredTrial,
  type ConditionValue,
  type ConditionAccuracy,
  accuracyBy,
} from "./behaviour/accuracyBy.ts";
export { type MonitorOptions, type MonitorResult, monitor } from "./monitor.ts";
export {
  type FcdOptions,
  type Fcd,
  functionalConnectivity,
  functionalCovariance,
  upperTriangle,
  pearson,
  fcDynamics,
  ksDistance,
} from "./signals/connectivity.ts";
export { type WelchOptions, type Spectrum, welch, peakFrequency } from "./signals/spectrum.ts";
export { orderParameter } from "./signals/order.ts";
export {
  type PhasePlaneOptions,
  type PhasePlane,
  type PlanarFixedPoint,
  type PlanarStability,
  phasePlane,
  planarField,
  classifyPlanar,
} from "./phasePlane/phasePlane.ts";
export {
  type BifurcationOptions,
  type BifurcationPoint,
  bifurcationSweep,
} from "./phasePlane/bifurcation.ts";
export { type TaskVarianceOptions, type TaskVariance, taskVariance } from "./population/taskVariance.ts";
export { type KMeansOptions, type KMeans, kMeans, silhouette } from "./population/kMeans.ts";
export {
  type ClusterUnitsOptions,
  type UnitClusters,
  clusterUnits,
  clusterOrder,
} from "./population/clusterUnits.ts";
export { type LesionEffects, OUTGOING_WEIGHTS, lesionUnits, lesionEffects } from "./population/lesion.ts";
export {
  type ConditionLabel,
  type ConditionAverage,
  type SelectivityOptions,
  conditionAverages,
  selectivity,
} from "./population/psth.ts";
export {
  type RegressionAxesOptions,
  type RegressionAxes,
  regressionAxes,
} from "./population/regressionAxes.ts";
export { constantInputMap, periodMeanInput } from "./fixedPoints/constantInput.ts";
export { procrustesSimilarity } from "./population/procrustes.ts";
