/**
 * The run config of chaotic-series forecasting with next-generation reservoir computing (kind
 * `forecast`, S4a): a flow of the tasks module, NVAR features and ridge readouts, one per horizon.
 * Defaults are the tutorial's (Lorenz, dt 0.01, 20 + 60 + 20 time units, k 4, s 5, p 2, α 1e-6).
 */
import { z } from "zod";
import { flows } from "../../tasks/series/flows.ts";
import { lazySchema, positiveInt } from "./schemaParts.ts";

/** The chaotic flows a forecast run can learn, by name. */
export const FORECAST_SERIES = Object.keys(flows) as (keyof typeof flows)[];

function buildForecastConfigSchema() {
  const span = () => z.number().positive().max(1_000_000);

  const seriesSchema = z.strictObject({
    name: z.enum(FORECAST_SERIES as [keyof typeof flows, ...(keyof typeof flows)[]]).default("lorenz"),
    /** Integration and sampling step (model time units). */
    dt: z.number().positive().max(1).default(0.01),
    /** Time (model units) that only fills the NVAR's delay taps. */
    warmup: span().default(20),
    /** Time the readouts are fitted on, after the warm-up. */
    train: span().default(60),
    /** Time the forecasts are scored on, after the training span. */
    test: span().default(20),
  });

  const modelSchema = z.strictObject({
    /** NVAR taps k. */
    delay: positiveInt(64).default(4),
    /** Steps between taps s. */
    stride: positiveInt(10_000).default(5),
    /** Monomial degree p. */
    order: positiveInt(4).default(2),
    /** Include the constant feature 1 (the readout's bias, penalised like every weight). */
    constant: z.boolean().default(true),
  });

  const trainingSchema = z.strictObject({
    /** Ridge penalty α. */
    alpha: z.number().min(0).max(1e6).default(1e-6),
    /** Steps ahead each readout predicts (one ridge solve per horizon; the first is the headline). */
    horizons: z.array(positiveInt(1_000_000)).min(1).max(8).default([1, 10, 100]),
  });

  return z.strictObject({
    kind: z.literal("forecast"),
    series: seriesSchema.default(seriesSchema.parse({})),
    model: modelSchema.default(modelSchema.parse({})),
    training: trainingSchema.default(trainingSchema.parse({})),
  });
}

/** The schema of a forecast run config, built on first call; `kind` is required, every other field has a default. */
export const forecastConfigSchema = lazySchema(buildForecastConfigSchema);

/** A validated forecast run config with every default filled in. */
export type ForecastConfig = z.infer<ReturnType<typeof forecastConfigSchema>>;
