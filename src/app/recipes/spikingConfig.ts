/**
 * The run config of spike-train classification (kind `spiking`, S4c): BrainPy's random spike trains,
 * the spiking classifier and its BPTT training. Defaults are the tutorial's.
 */
import { z } from "zod";
import { lazySchema, positiveInt, seed } from "./schemaParts.ts";

function buildSpikingConfigSchema() {
  const dataSchema = z.strictObject({
    /** Training samples (all of them form every update's batch, as in the tutorial). */
    samples: positiveInt(65_536).default(256),
    /** Steps per sample (`numStep`). */
    steps: positiveInt(1_000_000).default(2000),
    /** Input channels. */
    inputs: positiveInt(100_000).default(100),
    /** Firing rate of every input (Hz). */
    rateHz: z.number().positive().max(10_000).default(5),
    /** Step (ms). */
    dtMs: z.number().positive().max(100).default(0.1),
  });

  const modelSchema = z.strictObject({
    /** LIF neurons of the hidden layer. */
    hidden: positiveInt(4096).default(10),
  });

  const trainingSchema = z.strictObject({
    /** Epochs; a checkpoint is written after each. */
    epochs: positiveInt(1_000_000).default(30),
    /** Adam updates per epoch, each on the whole training set. */
    stepsPerEpoch: positiveInt(1_000_000).default(50),
    lr: z.number().positive().max(10).default(2e-3),
    /** Seed of the training spike trains, their labels and the initial weights (one stream each). */
    seed: seed().default(0),
  });

  const evaluationSchema = z.strictObject({
    /** Fresh spike trains (same generator, another seed) scored after every epoch. */
    samples: positiveInt(65_536).default(256),
    /** Seed of the held-out spike trains (its evaluation stream: never the training set, whatever the seeds). */
    seed: seed().default(1_000_000),
  });

  return z.strictObject({
    kind: z.literal("spiking"),
    data: dataSchema.default(dataSchema.parse({})),
    model: modelSchema.default(modelSchema.parse({})),
    training: trainingSchema.default(trainingSchema.parse({})),
    evaluation: evaluationSchema.default(evaluationSchema.parse({})),
  });
}

/** The schema of a spiking run config, built on first call; `kind` is required, every other field has a default. */
export const spikingConfigSchema = lazySchema(buildSpikingConfigSchema);

/** A validated spiking run config with every default filled in. */
export type SpikingConfig = z.infer<ReturnType<typeof spikingConfigSchema>>;
