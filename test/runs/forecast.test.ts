/**
 * Forecast runs with either feature model: NVAR (the default) and an echo state network, from the
 * config to fitted, saved and re-scored readouts; and the config's errors for the model section.
 */
import { describe, expect, it } from "vitest";
import { forecastModelInfo, forecastRecipe, readoutTree } from "../../src/app/recipes/forecast.ts";
import type { ForecastConfig } from "../../src/app/recipes/forecastConfig.ts";
import { parseRunConfig } from "../../src/app/recipes/parseConfig.ts";

/** Lorenz over 5 + 25 + 4 time units at dt 0.01. */
const spans = { warmup: 5, train: 25, test: 4 };
const forecast = (model: Record<string, unknown>) =>
  parseRunConfig({ kind: "forecast", series: spans, model }) as ForecastConfig;

describe("forecast recipe", () => {
  it("keeps NVAR the default and records it as before", () => {
    const config = forecast({});
    expect(config.model).toEqual({ type: "nvar", delay: 4, stride: 5, order: 2, constant: true });
    const recipe = forecastRecipe(config);
    expect(recipe.features.shape).toEqual([3400, 91]);
    expect(forecastModelInfo(recipe)).toMatchObject({ name: "ngrc", config: { horizons: [1, 10, 100] } });
    expect(recipe.description).toBe("NVAR with 4 taps, stride 5, order 2, constant: 91 features");
  });

  it("forecasts Lorenz from an echo state network's states: one step ahead almost exact, farther worse", () => {
    const config = forecast({ type: "esn", units: 100 });
    expect(config.model).toEqual({
      type: "esn",
      units: 100,
      spectralRadius: 0.9,
      leak: 1,
      inputScaling: 0.05,
      connectivity: 0.1,
      biasScaling: 0.5,
      seed: 0,
    });
    const recipe = forecastRecipe(config);
    // [1, x, y, z, r]: constant, input and the 100 reservoir units.
    expect(recipe.features.shape).toEqual([3400, 104]);
    const fits = recipe.fit();
    const [one, ten, hundred] = fits.map((f) => f.testMse) as [number, number, number];
    // Lorenz coordinates vary by ~8 units; one step ahead is off by ~1e-4 at most.
    expect(one).toBeLessThan(1e-7);
    expect(ten).toBeGreaterThan(one);
    expect(hundred).toBeGreaterThan(ten);
    // The saved readouts score the same on a reservoir rebuilt from the config (same seed, same weights).
    const again = forecastRecipe(config).score(readoutTree(fits));
    expect(again.map((f) => f.testMse)).toEqual(fits.map((f) => f.testMse));
    expect(forecastModelInfo(recipe)).toMatchObject({
      name: "esn",
      config: { esn: { nReservoir: 100, spectralRadius: 0.9 }, seed: 0, horizons: [1, 10, 100] },
    });
    // Another seed is another reservoir.
    const other = forecastRecipe(forecast({ type: "esn", units: 100, seed: 1 })).fit();
    expect(other[0]?.testMse).not.toBe(one);
  }, 60_000);

  it("names the model type's keys and values in config errors", () => {
    expect(() => forecast({ type: "esn", delay: 3 })).toThrow(
      /unknown key model\.delay \(value 3\); the model section allows type, units, spectralRadius, leak, inputScaling, connectivity, biasScaling, seed/,
    );
    expect(() => forecast({ units: 30 })).toThrow(
      /unknown key model\.units \(value 30\); the model section allows type, delay, stride, order, constant/,
    );
    expect(() => forecast({ type: "lstm" })).toThrow(/model\.type must be one of nvar, esn, got "lstm"/);
    expect(() => forecast({ type: "esn", leak: 0 })).toThrow(/model\.leak must be > 0, got 0/);
  });
});
