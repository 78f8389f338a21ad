/**
 * Run configs of every kind: supervised training on a cognitive task (the default), spike-train
 * classification and chaotic-series forecasting. The `kind` key picks the schema.
 */
import type { SupervisedConfig } from "./config.ts";
import type { ForecastConfig } from "./forecastConfig.ts";
import type { SpikingConfig } from "./spikingConfig.ts";

/** What a run trains; `supervised` when a config has no `kind`. */
export const RUN_KINDS = ["supervised", "spiking", "forecast"] as const;

/** One of {@link RUN_KINDS}. */
export type RunKind = (typeof RUN_KINDS)[number];

/** A validated run config of any kind, narrowed by its `kind`. */
export type RunConfig = SupervisedConfig | SpikingConfig | ForecastConfig;

/**
 * The seed of a run's final evaluation (`braints eval` without `--seed`, and the report): the
 * evaluation seed + 1, so its trials are not the ones scored after every epoch.
 */
export const finalEvaluationSeed = (config: { readonly evaluation: { readonly seed: number } }): number =>
  config.evaluation.seed + 1;
