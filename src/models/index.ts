/** Models: cells, sequence models, readouts, initialisers; see `cell.ts` and `model.ts` for the contracts. */
export {
  type Cell,
  type StepContext,
  type StepResult,
  type RunOptions,
  type RunResult,
  type ParamsOf,
  type StateOf,
  runCell,
  runToFinal,
  stepStreams,
} from "./cell.ts";
export {
  type SequenceModel,
  type SequenceOutput,
  type ApplyOptions,
  type TimeReadout,
  type SequenceParams,
  type SequenceModelConfig,
  TIME_READOUTS,
  readOverTime,
  reduceOverTime,
  sequenceModel,
} from "./model.ts";
export { ACTIVATIONS, type Activation, activationFns } from "./activation.ts";
export { dense } from "./dense.ts";
export {
  type LinearReadoutConfig,
  type LinearReadoutParams,
  type Readout,
  linearReadout,
} from "./readout/linear.ts";
export {
  type LeakyRNNOptions,
  type LeakyRNNConfig,
  type LeakyRNNParams,
  type LeakyRNNState,
  type LeakyRNNCell,
  type UpdateOrder,
  leakyRNN,
} from "./rnn/leaky.ts";
export { type VanillaRNNOptions, vanillaRNN } from "./rnn/vanilla.ts";
export { type LeakyRNNModelOptions, leakyRNNModel } from "./rnn/model.ts";
export { daleSigns, signConstrained, connectivityMask } from "./rnn/dale.ts";
export { type GatedConfig, type GatedParams } from "./rnn/gates.ts";
export { gru } from "./rnn/gru.ts";
export { type LSTMState, lstm } from "./rnn/lstm.ts";
export {
  type HORNOptions,
  type HORNConfig,
  type HORNParams,
  type HORNState,
  type HORNConstant,
  horn,
  heterogeneousOscillators,
} from "./horn/horn.ts";
export { type HORNNetworkOptions, type HORNNetworkParams, hornNetwork } from "./horn/network.ts";
export {
  SURROGATES,
  SURROGATE_DEFAULT_SCALE,
  type SurrogateName,
  type SurrogateSpec,
  spikeFunction,
  surrogateDerivatives,
} from "./spiking/surrogate.ts";
export { type LIFOptions, type LIFConfig, type LIFParams, type LIFState, lif } from "./spiking/lif.ts";
export { type ExpSynapseOptions, type ExpSynapseParams, expSynapse } from "./spiking/synapse.ts";
export { type LeakyIntegratorOptions, leakyIntegrator } from "./spiking/integrator.ts";
export { inputGroup, poissonGroup, poissonSpikeTrains } from "./spiking/sources.ts";
export {
  type SpikingClassifierOptions,
  type SpikingClassifierParams,
  type SpikingClassifierState,
  type SpikingClassifier,
  spikingClassifier,
} from "./spiking/network.ts";
export {
  type FanMode,
  type VarianceScalingOptions,
  fans,
  varianceScaling,
  kaimingNormal,
  kaimingUniform,
  xavierNormal,
  xavierUniform,
  pytorchUniform,
} from "./init/variance.ts";
export { orthogonal } from "./init/orthogonal.ts";
export { type GaussianSpectralOptions, spectralRadius, gaussianSpectral } from "./init/spectral.ts";
export { INIT_NAMES, type InitName, type InitSpec, type InitContext, initWeight } from "./init/spec.ts";
export { type ESNOptions, type ESNConfig, esn } from "./reservoir/esn.ts";
export {
  type NVAROptions,
  type NVARConfig,
  type NVARState,
  type NVARCell,
  nvar,
  combinationsWithReplacement,
} from "./reservoir/nvar.ts";
export { type ParameterRow, countParameters, modelSummary } from "./summary.ts";
export { type Buildable, MODEL_NAMES, modelFromConfig } from "./registry.ts";
export * from "./mass/index.ts";
