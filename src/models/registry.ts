/**
 * Rebuilds a model from its `{ name, config }`, as stored in a checkpoint: every factory of this
 * folder, keyed by the name it puts on what it builds.
 */
import { ValueError } from "../base/errors.ts";
import type { Cell } from "./cell.ts";
import { hornNetwork, type HORNNetworkOptions } from "./horn/network.ts";
import { type HORNOptions, horn } from "./horn/horn.ts";
import { type SequenceModel, type SequenceModelConfig, sequenceModel } from "./model.ts";
import { type LinearReadoutConfig, type Readout, linearReadout } from "./readout/linear.ts";
import { type ESNOptions, esn } from "./reservoir/esn.ts";
import { type NVAROptions, nvar } from "./reservoir/nvar.ts";
import type { GatedConfig } from "./rnn/gates.ts";
import { gru } from "./rnn/gru.ts";
import { type LeakyRNNOptions, leakyRNNConfig, leakyRNNFromConfig } from "./rnn/leaky.ts";
import { lstm } from "./rnn/lstm.ts";
import { type LeakyIntegratorOptions, leakyIntegrator } from "./spiking/integrator.ts";
import { type LIFOptions, lif } from "./spiking/lif.ts";
import { type SpikingClassifierOptions, spikingClassifier } from "./spiking/network.ts";
import { inputGroup, poissonGroup } from "./spiking/sources.ts";
import { type ExpSynapseOptions, expSynapse } from "./spiking/synapse.ts";

/** Anything {@link modelFromConfig} can build. */
export type Buildable = Cell | SequenceModel | Readout;

/* Configs come from JSON: each builder trusts the stored shape and the factory re-validates it. */
const rnn = (name: string) => (c: unknown) =>
  leakyRNNFromConfig(name, leakyRNNConfig(name, c as LeakyRNNOptions));

const builders: Record<string, (config: unknown) => Buildable> = {
  leakyRNN: rnn("leakyRNN"),
  vanillaRNN: rnn("vanillaRNN"),
  gru: (c) => gru(c as GatedConfig),
  lstm: (c) => lstm(c as GatedConfig),
  horn: (c) => horn(c as HORNOptions),
  hornNetwork: (c) => hornNetwork(c as HORNNetworkOptions),
  lif: (c) => lif(c as LIFOptions),
  expSynapse: (c) => expSynapse(c as ExpSynapseOptions),
  leakyIntegrator: (c) => leakyIntegrator(c as LeakyIntegratorOptions),
  inputGroup: (c) => inputGroup(c as { n: number }),
  poissonGroup: (c) => poissonGroup(c as { n: number; rateHz: number; dtMs: number }),
  spikingClassifier: (c) => spikingClassifier(c as SpikingClassifierOptions),
  esn: (c) => esn(c as ESNOptions),
  nvar: (c) => nvar(c as NVAROptions),
  linearReadout: (c) => linearReadout(c as LinearReadoutConfig),
  sequenceModel: (c) => {
    const { cell, readout, timeReadout } = c as SequenceModelConfig<unknown, unknown>;
    return sequenceModel(modelFromConfig(cell) as Cell, modelFromConfig(readout) as Readout, { timeReadout });
  },
};

/** The names {@link modelFromConfig} knows. */
export const MODEL_NAMES: readonly string[] = Object.keys(builders);

/**
 * Builds the model a `{ name, config }` pair describes (the `name` and `config` fields of any cell,
 * readout or sequence model of this library).
 * @example const again = modelFromConfig(JSON.parse(JSON.stringify({ name: model.name, config: model.config })));
 */
export function modelFromConfig(spec: { readonly name: string; readonly config: unknown }): Buildable {
  const build = builders[spec.name];
  if (!build) {
    throw new ValueError(
      `modelFromConfig: name must be one of ${MODEL_NAMES.join(", ")}, got "${spec.name}"`,
    );
  }
  return build(spec.config);
}
