/**
 * The trials of a sweep whose base is a `braints fit` config: each trial is an ordinary fit run
 * directory. A fit runs in one go (its backends keep no checkpoint), so an interrupted fit trial
 * starts again from scratch; the same config and seeds give the same result.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BraintsError } from "../../base/errors.ts";
import { resolveParameters } from "../../fit/parameters.ts";
import {
  type FitConfig,
  checkFitConfig,
  parseFitConfig,
  readFitProgress,
  resolveFitPaths,
  runFit,
} from "../fit/fitRun.ts";
import { ConfigError } from "../recipes/parseConfig.ts";

/** A fit trial's config, as the plan records it: file paths absolute, marked `kind: fit`. */
export type FitTrialConfig = FitConfig & { readonly kind: "fit" };

/** The metrics of a fit trial's result: the best loss (the default objective) and the evaluations. */
export const FIT_METRICS = ["loss", "evaluations"] as const;

/**
 * Checks a fit trial's complete raw config as `braints fit` would run it, without simulating:
 * every key known, every value accepted (see `checkFitConfig`).
 * @param baseDir the folder the config's relative file paths resolve against
 * @throws ConfigError with the problem (a library error's message is kept as it is)
 */
export function checkFitTrial(raw: Readonly<Record<string, unknown>>, baseDir: string): FitTrialConfig {
  const config = resolveFitPaths(parseFitConfig(raw, ""), baseDir);
  try {
    checkFitConfig(config);
  } catch (e) {
    if (e instanceof BraintsError && !(e instanceof ConfigError)) throw new ConfigError(e.message);
    throw e;
  }
  return { ...config, kind: "fit" };
}

/**
 * The iterations a fit runs: steps (gradient), generations (CMA-ES), samples (random), or grid
 * points (`points` to the power of the fitted parameters).
 */
export function fitIterations(config: FitConfig): number {
  const b = config.backend;
  switch (b.kind) {
    case "gradient":
    case "cmaes":
      return b.iterations;
    case "random":
      return b.samples;
    case "grid":
      return b.points ** resolveParameters("fit", config.parameters).fitted.length;
  }
}

/** The loss at each iteration of the finished fit in `runDir` (`history.jsonl`), or [] before it finishes. */
export function fitHistory(runDir: string): number[] {
  const file = join(runDir, "history.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { loss: number }).loss);
}

/**
 * The iterations the fit in `runDir` has done: as far as its `progress.json` says while it runs,
 * all of them once it has finished (`history.jsonl`, which fits finished before `progress.json`
 * existed have alone), 0 before the first.
 */
export function fitIterationsDone(runDir: string): number {
  return existsSync(join(runDir, "history.jsonl"))
    ? fitHistory(runDir).length
    : (readFitProgress(runDir)?.iterations ?? 0);
}

/** What a fit trial produced, for its result. */
export interface FitTrialRun {
  /** The best loss, the last iteration's loss, the evaluations and the seconds of the fit. */
  readonly loss: number;
  readonly finalLoss: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly seconds: number;
  /** The best values of the fitted parameters (the fixed ones left out). */
  readonly fitted: Readonly<Record<string, number>>;
  /** An earlier attempt was interrupted and its run directory removed. */
  readonly restarted: boolean;
}

/**
 * Runs the fit of a trial into `runDir`: a directory left by an interrupted attempt is removed
 * first (a fit does not resume mid-run), then `runFit` writes an ordinary fit run directory.
 * @param onIteration called after every step, generation or sample
 */
export function runFitTrial(config: FitTrialConfig, runDir: string, onIteration: () => void): FitTrialRun {
  const restarted = existsSync(runDir);
  rmSync(runDir, { recursive: true, force: true });
  const { result } = runFit(config, runDir, { onProgress: onIteration });
  const fittedNames = resolveParameters("fit", config.parameters).fitted.map((p) => p.name);
  return {
    loss: result.loss,
    finalLoss: result.history.at(-1) ?? NaN,
    iterations: result.history.length,
    evaluations: result.evaluations,
    seconds: result.seconds,
    fitted: Object.fromEntries(fittedNames.map((n) => [n, result.best[n] as number])),
    restarted,
  };
}
