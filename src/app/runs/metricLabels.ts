/** What a run's per-epoch metrics are called on the terminal and in reports. */
import type { RunConfig } from "../recipes/runConfig.ts";

/** A metric's key in `metrics.jsonl` and its label. */
export interface MetricLabel {
  readonly key: string;
  readonly label: string;
}

/** The key of a forecast run's test error at a horizon, e.g. `testMse10`. */
export const horizonKey = (error: "trainMse" | "testMse" | "testNrmse", horizon: number) =>
  `${error}${horizon}`;

/**
 * The metrics a run of this config records after every epoch, in display order.
 * @example metricLabels(parseRunConfig({}))[0] // { key: "accuracy", label: "held-out accuracy" }
 */
export function metricLabels(config: RunConfig): readonly MetricLabel[] {
  switch (config.kind) {
    case "supervised":
      return [{ key: "accuracy", label: "held-out accuracy" }];
    case "spiking":
      return [
        { key: "trainAccuracy", label: "training accuracy" },
        { key: "heldOutAccuracy", label: "held-out accuracy" },
      ];
    case "forecast":
      return config.training.horizons.flatMap((h) => [
        { key: horizonKey("testMse", h), label: `${h}-step test MSE` },
        { key: horizonKey("testNrmse", h), label: `${h}-step test NRMSE` },
      ]);
  }
}
