/** Neural-mass models, couplings, connectomes and the network cell that runs them. */
export { type Algebra, type Value, tensorAlgebra, numberAlgebra } from "./algebra.ts";
export {
  type MassModel,
  type AnyMassModel,
  type ParameterSpec,
  type VariableSpec,
  type Named,
  type Observable,
  variableNames,
  parameterNames,
  defaultParameters,
} from "./model.ts";
export { Sym, trace } from "./trace.ts";
export { hopf } from "./hopf.ts";
export { vanDerPol } from "./vanDerPol.ts";
export { fitzHughNagumo } from "./fitzHughNagumo.ts";
export { wilsonCowan, wilsonCowanSigmoid, WILSON_COWAN_LIMIT_CYCLE } from "./wilsonCowan.ts";
export { wilsonCowanAdaptation } from "./wilsonCowanAdaptation.ts";
export { jansenRit, jansenRitSigmoid } from "./jansenRit.ts";
export { wongWang, wongWangStimulus, abbottChance } from "./wongWang.ts";
export { wongWangDeco } from "./wongWangDeco.ts";
export { montbrioPazoRoxin } from "./montbrioPazoRoxin.ts";
export { kuramoto } from "./kuramoto.ts";
export { larterBreakspear, larterBreakspearQV } from "./larterBreakspear.ts";
export { thresholdLinear } from "./thresholdLinear.ts";
export { balloonWindkessel } from "./balloonWindkessel.ts";
export { type HrfOptions, canonicalHrf, convolveHrf, leadFieldReadout } from "./forward.ts";
export { MASS_MODELS, massModelNamed } from "./registry.ts";
export { type Coupling, type CouplingName, COUPLINGS, COUPLING_NAMES } from "./coupling.ts";
export {
  type Connectome,
  type ConnectomeOptions,
  type WeightMatrix,
  connectome,
  delaySteps,
  rowSums,
  normalizeWeights,
} from "./connectome.ts";
export { ringConnectome, smallWorldConnectome, randomGeometricConnectome } from "./generators.ts";
export {
  type IntegratorName,
  type NoiseSpec,
  type NoiseTarget,
  type Dynamics,
  INTEGRATORS,
  networkStep,
} from "./dynamics.ts";
export {
  type MassNetwork,
  type MassNetworkOptions,
  type MassNetworkConfig,
  type MassParams,
  type MassState,
  type NoiseOptions,
  type CouplingOptions,
  type PerNode,
  massNetwork,
  massNetworkConfig,
  massNetworkFromConfig,
} from "./network.ts";
export { type SimulateOptions, type Simulation, simulate } from "./simulate.ts";
