/**
 * The spiking recipe (S4c): from a spiking run config to everything a `Trainer` needs to fit the
 * spiking classifier on random spike trains by BPTT through surrogate gradients: the whole
 * training set as every update's batch, cross-entropy on the maximum over time of the readout,
 * Adam, and after every epoch the training accuracy (the tutorial's metric) and the accuracy on
 * fresh spike trains. The labels are coin flips, so the held-out accuracy stays at chance: it shows
 * that the network memorises, which is what the benchmark asks of it.
 */
import { type DataStream, Rng } from "../../base/random.ts";
import type { Tree } from "../../core/tree.ts";
import type { SequenceModel } from "../../models/model.ts";
import { type SpikingClassifier, spikingClassifier } from "../../models/spiking/network.ts";
import { type SpikeTrainSet, randomSpikeTrains } from "../../tasks/synthetic/spikeTrains.ts";
import { adam } from "../../optim/adam.ts";
import { softmaxCrossEntropy } from "../../train/losses.ts";
import { accuracy } from "../../train/metrics.ts";
import type { TrainerOptions } from "../../train/trainer.ts";
import { asConfigError } from "./configErrors.ts";
import type { SpikingConfig } from "./spikingConfig.ts";
import {
  type SpikeTrainTensors,
  spikeLogits,
  spikeTrainAccuracy,
  spikeTrainTensors,
} from "../../train/spikeTrains.ts";

/** The two classes of the random spike trains. */
const CLASSES = 2;

/** What {@link spikingRecipe} returns. */
export interface SpikingRecipe {
  readonly config: SpikingConfig;
  /** The spiking classifier. */
  readonly net: SpikingClassifier;
  /** The same classifier over any parameter tree (runs handle every model through one path). */
  readonly model: SequenceModel;
  /** The training spike trains, all of them in every update. */
  readonly train: SpikeTrainTensors;
  /** Fresh spike trains from the evaluation stream of the evaluation seed. */
  readonly heldOut: SpikeTrainSet;
  /** Loss, Adam and the `trainAccuracy` and `heldOutAccuracy` metrics; add callbacks and build a `Trainer`. */
  readonly trainerOptions: TrainerOptions<Tree, null>;
  /** Every update sees the whole training set, so a batch carries nothing. */
  readonly batches: () => null;
  readonly fitOptions: { readonly epochs: number; readonly stepsPerEpoch: number; readonly seed: number };
  /** The initial weights, from the training seed's `"init"` stream. */
  initialParams(): Tree;
}

/**
 * `nSamples` random spike trains with the config's data options, from the training (`"data"`) or
 * held-out (`"eval"`) stream of `seed`.
 * @throws ConfigError when the generator refuses the options
 */
export function configuredSpikeTrains(
  data: SpikingConfig["data"],
  nSamples: number,
  seed: number,
  stream: DataStream,
): SpikeTrainSet {
  return asConfigError("the data section is invalid", () =>
    randomSpikeTrains({
      nSamples,
      numStep: data.steps,
      nInputs: data.inputs,
      rateHz: data.rateHz,
      dtMs: data.dtMs,
      seed,
      stream,
    }),
  );
}

/**
 * Builds the recipe of a spiking run config.
 * @throws ConfigError when the data or model options are refused (e.g. a step longer than a time constant)
 * @example
 * const recipe = spikingRecipe(parseRunConfig({ kind: "spiking" }) as SpikingConfig);
 * const state = new Trainer(recipe.trainerOptions).fit(recipe.initialParams(), recipe.batches, recipe.fitOptions);
 */
export function spikingRecipe(config: SpikingConfig): SpikingRecipe {
  const { data, training, evaluation } = config;
  const train = spikeTrainTensors(configuredSpikeTrains(data, data.samples, training.seed, "data"));
  const heldOut = configuredSpikeTrains(data, evaluation.samples, evaluation.seed, "eval");
  const net = asConfigError("the model section does not fit the data", () =>
    spikingClassifier({ nIn: data.inputs, nHidden: config.model.hidden, nOut: CLASSES, dtMs: data.dtMs }),
  );
  // The classifier accepts only its own parameter tree; the run handles every model as a Tree.
  const model = net as unknown as SequenceModel;
  return {
    config,
    net,
    model,
    train,
    heldOut,
    trainerOptions: {
      loss: (params) => softmaxCrossEntropy(spikeLogits(model, params, train.xs), train.labels),
      optimizer: adam({ lr: training.lr }),
      evaluate: (params) => ({
        trainAccuracy: accuracy(spikeLogits(model, params, train.xs), train.labels),
        heldOutAccuracy: spikeTrainAccuracy(model, params, heldOut),
      }),
    },
    batches: () => null,
    fitOptions: { epochs: training.epochs, stepsPerEpoch: training.stepsPerEpoch, seed: training.seed },
    initialParams: () => model.init(Rng.fromSeed(training.seed).fold("init")),
  };
}
