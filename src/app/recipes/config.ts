/**
 * The run config of supervised training on a cognitive task (kind `supervised`, the default): task,
 * model, training and evaluation, as one schema. The schema is the single source of truth: it gives the defaults, the TypeScript
 * type and the validation of config files and command-line flags.
 */
import { z } from "zod";
import { ACTIVATIONS } from "../../models/activation.ts";
import { taskNameProblem } from "./multitask.ts";
import { lazySchema, positiveInt, seed } from "./schemaParts.ts";
import { SUPERVISED_TASKS } from "./supervisedTasks.ts";

export { SUPERVISED_TASKS };

/**
 * Recurrent models the supervised recipe builds: a cell with a linear readout at every step (HORN:
 * harmonic oscillators with S0's constants α 0.2, ω 2π/28, γ 0.01, read out from their positions).
 */
export const MODEL_TYPES = ["leakyRNN", "vanillaRNN", "gru", "lstm", "horn"] as const;

/** Optimizers the supervised recipe builds. */
export const OPTIMIZERS = ["adam", "adamw", "sgd", "rmsprop"] as const;

/**
 * The task when the config has no `task` section: PerceptualDecisionMaking with S3's timing (dt 20
 * ms, 1 s stimulus). A `task` section that is present takes the named task's own defaults instead.
 */
export const DEFAULT_TASK = {
  name: "PerceptualDecisionMaking",
  options: { dtMs: 20, timing: { stimulus: 1000 } },
} as const;

function buildSupervisedConfigSchema() {
  const taskSchema = z.strictObject({
    /**
     * A registered task (`braints tasks` lists them); or several, trained as one network with a rule
     * input: a collection (`yang19`) or a comma-separated list (`yang19.go,yang19.anti`).
     */
    name: z
      .string()
      .superRefine((name, ctx) => {
        const problem = taskNameProblem(name);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      })
      .default("PerceptualDecisionMaking"),
    /** Options of the task (of every task of a multitask run): `dtMs`, `timing`, `cohs`, ...; the tasks check them. */
    options: z.record(z.string(), z.unknown()).default({}),
  });

  const modelSchema = z.strictObject({
    type: z.enum(MODEL_TYPES).default("leakyRNN"),
    /** Hidden units. */
    hidden: positiveInt(4096).default(64),
    /** Time constant of the leaky RNN (ms); `alpha = task dtMs / tauMs`. */
    tauMs: z.number().positive().default(100),
    /** Nonlinearity of the leaky and vanilla RNNs. */
    activation: z.enum(ACTIVATIONS).default("relu"),
    /** Recurrent noise of the leaky RNN during training. */
    sigmaRec: z.number().min(0).default(0),
    /** Dale's law for the leaky RNN: the fraction of excitatory units (e.g. 0.8); absent: unconstrained. */
    excitatoryFraction: z.number().gt(0).lt(1).optional(),
    /** Learn the initial hidden state (leaky and vanilla RNNs). */
    trainableH0: z.boolean().default(false),
  });

  const trainingSchema = z.strictObject({
    /** Epochs; a checkpoint is written after each. */
    epochs: positiveInt(1_000_000).default(20),
    /** Updates per epoch, each on a fresh batch of trials. */
    stepsPerEpoch: positiveInt(1_000_000).default(100),
    batchSize: positiveInt(65_536).default(16),
    optimizer: z.enum(OPTIMIZERS).default("adam"),
    lr: z.number().positive().max(10).default(0.01),
    /** Rescale gradients to this global norm when larger. */
    clipNorm: z.number().positive().optional(),
    /** L2 penalty coefficient on every parameter. */
    l2: z.number().min(0).default(0),
    /** Steps the loss weighs: every step (NeuroGym's supervised default) or only the response periods. */
    lossOn: z.enum(["all", "decision"]).default("all"),
    /** Seed of the initial parameters, the training batches and the recurrent noise (one stream each). */
    seed: seed().default(0),
  });

  const evaluationSchema = z.strictObject({
    /** Held-out trials scored after every epoch. */
    trials: positiveInt(1_000_000).default(512),
    /**
     * Seed of the held-out trials, drawn from its evaluation stream: never training trials, whatever
     * the seeds; apart from the training seed, so runs with different training seeds compare on one set.
     */
    seed: seed().default(1_000_000),
  });

  return z.strictObject({
    kind: z.literal("supervised").default("supervised"),
    task: taskSchema.default({ ...DEFAULT_TASK, options: { ...DEFAULT_TASK.options } }),
    model: modelSchema.default(modelSchema.parse({})),
    training: trainingSchema.default(trainingSchema.parse({})),
    evaluation: evaluationSchema.default(evaluationSchema.parse({})),
  });
}

/** The schema of a supervised run config, built on first call; every section and field has a default. */
export const supervisedConfigSchema = lazySchema(buildSupervisedConfigSchema);

/** A validated supervised run config with every default filled in. */
export type SupervisedConfig = z.infer<ReturnType<typeof supervisedConfigSchema>>;
/** A supervised config as a user writes it: any subset of the fields. */
export type SupervisedConfigInput = z.input<ReturnType<typeof supervisedConfigSchema>>;
