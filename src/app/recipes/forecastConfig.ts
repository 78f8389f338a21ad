/**
 * The run config of chaotic-series forecasting with reservoir computing (kind `forecast`, S4a): a
 * flow of the tasks module, the features of a reservoir (NVAR, the default, or an echo state
 * network) and ridge readouts, one per horizon. Defaults are the tutorial's (Lorenz, dt 0.01,
 * 20 + 60 + 20 time units, NVAR k 4, s 5, p 2, α 1e-6).
 */
import { z } from "zod";
import { flows } from "../../tasks/series/flows.ts";
import { lazySchema, positiveInt, seed } from "./schemaParts.ts";

/** The chaotic flows a forecast run can learn, by name. */
export const FORECAST_SERIES = Object.keys(flows) as (keyof typeof flows)[];

function buildForecastConfigSchema() {
  const span = () => z.number().positive().max(1_000_000);

  const seriesSchema = z.strictObject({
    name: z.enum(FORECAST_SERIES as [keyof typeof flows, ...(keyof typeof flows)[]]).default("lorenz"),
    /** Integration and sampling step (model time units). */
    dt: z.number().positive().max(1).default(0.01),
    /** Time (model units) before the fit: fills the NVAR's taps, washes out the reservoir's start. */
    warmup: span().default(20),
    /** Time the readouts are fitted on, after the warm-up. */
    train: span().default(60),
    /** Time the forecasts are scored on, after the training span. */
    test: span().default(20),
  });

  /** NVAR (the default): the input, its delayed copies and their monomials (next-generation RC). */
  const nvarSchema = z.strictObject({
    type: z.literal("nvar").default("nvar"),
    /** NVAR taps k. */
    delay: positiveInt(64).default(4),
    /** Steps between taps s. */
    stride: positiveInt(10_000).default(5),
    /** Monomial degree p. */
    order: positiveInt(4).default(2),
    /** Include the constant feature 1 (the readout's bias, penalised like every weight). */
    constant: z.boolean().default(true),
  });

  /**
   * An echo state network: a fixed random leaky tanh reservoir driven by the series; the features
   * are `[1, u, r]` (constant, input, reservoir state).
   */
  const esnSchema = z.strictObject({
    type: z.literal("esn"),
    /** Reservoir units. */
    units: positiveInt(4096).default(200),
    /** Spectral radius of the recurrent weights. */
    spectralRadius: z.number().positive().max(10).default(0.9),
    /** Leak a in (0, 1]: each step moves the state a fraction a towards its target. */
    leak: z.number().gt(0).max(1).default(1),
    /** Input weights are U(±inputScaling). */
    inputScaling: z.number().min(0).max(100).default(0.05),
    /** Probability that a recurrent connection exists. */
    connectivity: z.number().gt(0).max(1).default(0.1),
    /** Biases are U(±biasScaling). */
    biasScaling: z.number().min(0).max(100).default(0.5),
    /** Seed of the reservoir's random weights. */
    seed: seed().default(0),
  });

  const modelSchema = z.discriminatedUnion("type", [nvarSchema, esnSchema]);

  const trainingSchema = z.strictObject({
    /** Ridge penalty α. */
    alpha: z.number().min(0).max(1e6).default(1e-6),
    /** Steps ahead each readout predicts (one ridge solve per horizon; the first is the headline). */
    horizons: z.array(positiveInt(1_000_000)).min(1).max(8).default([1, 10, 100]),
  });

  return z.strictObject({
    kind: z.literal("forecast"),
    series: seriesSchema.default(seriesSchema.parse({})),
    model: modelSchema.default(nvarSchema.parse({})),
    training: trainingSchema.default(trainingSchema.parse({})),
  });
}

/** The schema of a forecast run config, built on first call; `kind` is required, every other field has a default. */
export const forecastConfigSchema = lazySchema(buildForecastConfigSchema);

/** The feature models a forecast run can use, by `type`. */
export const FORECAST_MODELS = ["nvar", "esn"] as const;

/** A validated forecast run config with every default filled in. */
export type ForecastConfig = z.infer<ReturnType<typeof forecastConfigSchema>>;

/** The model section of a forecast run config, by type. */
export type ForecastModelConfig = ForecastConfig["model"];
