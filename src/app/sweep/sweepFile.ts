/**
 * The sweep file: a base run config, axes over its key paths, seeds, the search (grid or random
 * with a budget), the objective and optional early stopping, as one schema.
 *
 * ```yaml
 * base:                                  # a run config, as `braints train --config` reads it
 *   model: { hidden: 16 }
 *   training: { epochs: 4, stepsPerEpoch: 25 }
 * axes:                                  # a config key path and its values
 *   model.tauMs: [50, 200]               # a list
 *   model.hidden: { range: [16, 48, 16] }  # 16, 32, 48
 *   training.lr: { logUniform: [0.001, 0.03], count: 2 }
 * seeds: 3                               # seeds 0, 1, 2 (or a list); they set training.seed
 * search: grid                           # or { random: 20 }: 20 draws of every axis
 * ```
 *
 * The base may also be a `braints fit` config (`kind: fit`, or its `network` and `backend`
 * sections): every trial is then a fit, and the seeds set `simulation.seed`.
 */
import { z } from "zod";
import { type ParseConfigOptions, isRecord, parseWithSchema } from "../recipes/parseConfig.ts";
import { RUN_KINDS, type RunKind } from "../recipes/runConfig.ts";
import { lazySchema, positiveInt, seed } from "../recipes/schemaParts.ts";
import { isFitConfigShape } from "../fit/fitKeys.ts";
import type { AxisSpec } from "./axes.ts";

const AXIS_FORMS = "a list of values, { range: [start, stop, step] } or { logUniform: [lo, hi], count }";

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Why `x` is not an {@link AxisSpec} (the message goes on with the value), or undefined when it is one. */
function axisProblem(x: unknown): string | undefined {
  if (Array.isArray(x)) return undefined;
  if (!isRecord(x)) return `must be ${AXIS_FORMS}`;
  const keys = Object.keys(x).sort().join(",");
  if (keys === "range") {
    const r = x["range"];
    if (Array.isArray(r) && r.length === 3 && r.every(finite)) return undefined;
    return "range must be [start, stop, step] (three numbers)";
  }
  if (keys === "logUniform" || keys === "count,logUniform") {
    const r = x["logUniform"];
    if (!(Array.isArray(r) && r.length === 2 && r.every(finite))) {
      return "logUniform must be [lo, hi] (two numbers)";
    }
    const count = x["count"];
    if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 1)) {
      return "count must be an integer >= 1";
    }
    return undefined;
  }
  return `must be ${AXIS_FORMS}`;
}

/** What a sweep's trials are: runs of a config kind, or fits (`braints fit` configs). */
export type SweepKind = RunKind | "fit";

/**
 * The config key a sweep's seeds set, by the base config's kind: a forecast's reservoir seed; a
 * fit's simulation noise seed, which is also the target's when the target is simulated without its own.
 */
export const SEED_KEYS: Readonly<Record<SweepKind, string>> = {
  supervised: "training.seed",
  spiking: "training.seed",
  forecast: "model.seed",
  fit: "simulation.seed",
};

function buildSweepFileSchema() {
  const axis = z.unknown().superRefine((x, ctx) => {
    const problem = axisProblem(x);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  }) as unknown as z.ZodType<AxisSpec>;
  return z.strictObject({
    /**
     * The config every trial starts from (a run config of any kind, or a `braints fit` config), or
     * the path of its file relative to the sweep file.
     */
    base: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
    /** Config key path → values; trials take every combination (grid) or random draws. */
    axes: z.record(z.string(), axis).default({}),
    /** The training seeds of every configuration: a count (0, 1, ...) or a list. */
    seeds: z.union([positiveInt(10_000), z.array(seed()).min(1)]).optional(),
    /** The key the seeds set (default by kind: `training.seed`, `model.seed` for forecasts, `simulation.seed` for fits). */
    seedKey: z.string().optional(),
    /** `grid` (every combination) or `{ random: budget }` (that many random configurations). */
    search: z.union([z.literal("grid"), z.strictObject({ random: positiveInt(100_000) })]).default("grid"),
    /** Seed of the log-uniform draws and of the random search. */
    sampleSeed: seed().default(0),
    /** What ranks trials: a key of the runs' per-epoch metrics, or `trainLoss` (fits: `loss`, the best); default by kind. */
    objective: z.strictObject({ metric: z.string(), goal: z.enum(["max", "min"]) }).optional(),
    /**
     * Successive halving (ASHA): at epochs `minEpochs`, `minEpochs·reduction`, ... a trial goes on
     * only if its objective is in the best 1/`reduction` of the trials that have reached that epoch.
     */
    earlyStopping: z
      .strictObject({
        minEpochs: positiveInt(1_000_000).default(1),
        reduction: z.number().int().min(2).max(100).default(3),
      })
      .optional(),
  });
}

/** The schema of a sweep file, built on first use. */
export const sweepFileSchema = lazySchema(buildSweepFileSchema);

/** A checked sweep file (the base not yet checked: the plan checks each trial's whole config). */
export type SweepFile = z.output<ReturnType<typeof sweepFileSchema>>;

/**
 * Checks the shape of a sweep file's contents (parsed JSON or YAML).
 * @throws ConfigError naming every key that is wrong, with its value and what is allowed
 */
export function parseSweepFile(input: unknown, options: ParseConfigOptions = {}): SweepFile {
  return parseWithSchema(sweepFileSchema(), input, options);
}

/**
 * The kind a raw base config asks for: `fit` for a fit config (`kind: fit`, or the fit's sections
 * `network` and `backend`), else its `kind` (`supervised` when absent or unknown: its check reports it).
 */
export function baseKind(base: Readonly<Record<string, unknown>>): SweepKind {
  if (isFitConfigShape(base)) return "fit";
  return RUN_KINDS.find((k) => k === base["kind"]) ?? "supervised";
}
