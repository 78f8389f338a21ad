/**
 * Resolving a sweep file into its plan: every trial's overrides, seed and complete run config,
 * each checked by the run-config parser and its recipe before anything runs.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { Rng } from "../../base/random.ts";
import { withRecipe } from "../runs/bpttRecipe.ts";
import { metricLabels } from "../runs/metricLabels.ts";
import { ConfigError, isRecord, parseRunConfig } from "../recipes/parseConfig.ts";
import type { RunConfig } from "../recipes/runConfig.ts";
import { type Axis, type AxisValue, checkRandomAxis, gridValues, sampleAxis } from "./axes.ts";
import { FIT_METRICS, type FitTrialConfig, checkFitTrial } from "./fitTrial.ts";
import { SEED_KEYS, type SweepFile, type SweepKind, baseKind } from "./sweepFile.ts";

/** What ranks a sweep's trials: a per-epoch metric (or `trainLoss`) and whether higher is better. */
export interface SweepObjective {
  readonly metric: string;
  readonly goal: "max" | "min";
}

/** A trial's complete config: a run config, or a fit config (`kind: fit`). */
export type SweepConfig = RunConfig | FitTrialConfig;

/** One trial of a plan. */
export interface SweepTrial {
  /** Position in the plan, from 0. */
  readonly index: number;
  /** `NNNN-hhhhhhhh`: the index and a hash of the overrides and seed; the trial's directory name. */
  readonly id: string;
  /** Axis key path → the value this trial sets. */
  readonly overrides: Readonly<Record<string, AxisValue>>;
  /** The seed it sets at the plan's `seedKey` (absent when the sweep gives no seeds). */
  readonly seed?: number;
  /** The complete run config (every default filled in), or fit config (file paths absolute). */
  readonly config: SweepConfig;
}

/** A resolved sweep: what `sweep.json` holds. */
export interface SweepPlan {
  readonly version: 1;
  /** The base run config as given (before the overrides and defaults). */
  readonly base: Readonly<Record<string, unknown>>;
  readonly kind: SweepKind;
  readonly axes: readonly Axis[];
  /** The seeds of every configuration (absent: the base config's own seed). */
  readonly seeds?: readonly number[];
  readonly seedKey: string;
  readonly search: SweepFile["search"];
  readonly sampleSeed: number;
  readonly objective: SweepObjective;
  readonly earlyStopping?: NonNullable<SweepFile["earlyStopping"]>;
  readonly trials: readonly SweepTrial[];
}

/**
 * A deep copy of `config` with `value` at the dotted `path`, creating the sections on the way.
 * @throws ConfigError when the path runs through a value that is not a section
 */
export function withKey(
  config: Readonly<Record<string, unknown>>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const parts = path.split(".");
  if (parts.some((p) => p === "")) {
    throw new ConfigError(
      `axes.${path}: a key path must be dot-separated non-empty keys, e.g. training.lr, got "${path}"`,
    );
  }
  const out = structuredClone(config) as Record<string, unknown>;
  let node = out;
  for (const [i, part] of parts.slice(0, -1).entries()) {
    const next = node[part] ?? {};
    if (!isRecord(next)) {
      const at = parts.slice(0, i + 1).join(".");
      throw new ConfigError(
        `axes.${path}: ${at} must be a section to hold ${parts.slice(i + 1).join(".")}, got ${JSON.stringify(next)}`,
      );
    }
    node[part] = next;
    node = next;
  }
  node[parts.at(-1) as string] = value;
  return out;
}

/** The configurations (overrides) of the search, before seeds. */
function configurations(file: SweepFile, axes: readonly Axis[]): Record<string, AxisValue>[] {
  const rng = Rng.fromSeed(file.sampleSeed);
  if (file.search === "grid") {
    let combos: Record<string, AxisValue>[] = [{}];
    for (const axis of axes) {
      const values = gridValues(axis, rng);
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis.path]: v })));
    }
    return combos;
  }
  axes.forEach(checkRandomAxis);
  const draws = rng.fold("random search");
  return Array.from({ length: file.search.random }, () =>
    Object.fromEntries(axes.map((axis) => [axis.path, sampleAxis(axis, draws)])),
  );
}

/** `0003-1f2e3d4c`: the index and a hash of what the trial sets. */
function trialId(
  index: number,
  overrides: Readonly<Record<string, AxisValue>>,
  seed: number | undefined,
): string {
  const hash = bytesToHex(sha256(new TextEncoder().encode(JSON.stringify({ overrides, seed })))).slice(0, 8);
  return `${String(index).padStart(4, "0")}-${hash}`;
}

/** How a trial is named in messages: `trial 3 (training.lr = 20, seed 1)`. */
export function describeTrial(trial: Pick<SweepTrial, "index" | "overrides" | "seed">): string {
  const sets = Object.entries(trial.overrides).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  if (trial.seed !== undefined) sets.push(`seed ${trial.seed}`);
  return `trial ${trial.index}${sets.length > 0 ? ` (${sets.join(", ")})` : ""}`;
}

/** The objective of a kind when the sweep file names none. */
function defaultObjective(config: SweepConfig): SweepObjective {
  switch (config.kind) {
    case "fit":
      return { metric: "loss", goal: "min" };
    case "supervised":
      return { metric: "accuracy", goal: "max" };
    case "spiking":
      return { metric: "heldOutAccuracy", goal: "max" };
    case "forecast":
      return { metric: metricLabels(config)[1]?.key ?? "trainLoss", goal: "min" };
  }
}

/** The metrics a trial's objective may name. */
const objectiveKeys = (config: SweepConfig) =>
  config.kind === "fit"
    ? ["trainLoss", ...FIT_METRICS]
    : ["trainLoss", ...metricLabels(config).map((m) => m.key)];

/**
 * Checks a run config's complete raw config by parsing it and (once per config up to its seed)
 * building its recipe, which checks task, data and model options.
 */
function checkRunTrial(
  raw: Readonly<Record<string, unknown>>,
  unseeded: (config: RunConfig) => string,
  checked: Set<string>,
): RunConfig {
  const config = parseRunConfig(raw, { source: "" });
  // Building a recipe can cost a simulation (a forecast's features): once per config, not per seed.
  const key = unseeded(config);
  if (!checked.has(key)) withRecipe(config, { bptt: () => undefined, forecast: () => undefined });
  checked.add(key);
  return config;
}

/** At most this many distinct problems are listed; the rest are counted. */
const MAX_PROBLEMS = 12;

/**
 * Resolves a checked sweep file into its plan, checking every trial's complete config with the
 * run-config parser and building its recipe (which checks task, data and model options), or for a
 * fit base with the fit config's checks (every key, the network, parameters and backend; see
 * `checkFitConfig`), so a value any trial would refuse is reported before anything runs.
 * @param base the base config (the file's `base`, read from its file when it named one)
 * @param source names the sweep file in messages
 * @param baseDir the folder a fit config's relative file paths resolve against (the base file's)
 * @throws ConfigError listing each distinct problem once with the first trial that has it, e.g.
 *   `sweep.yaml, trial 2 (training.lr = 20, seed 0): training.lr must be <= 10, got 20`
 */
export function resolvePlan(
  file: SweepFile,
  base: Readonly<Record<string, unknown>>,
  source: string,
  baseDir = ".",
): SweepPlan {
  const kind = baseKind(base);
  if (kind === "fit" && file.earlyStopping) {
    throw new ConfigError(
      `${source}: earlyStopping (successive halving) compares trials at epochs of training, and a fit base has none: a fit runs its backend in one go and cannot stop and resume at a rung; remove earlyStopping`,
    );
  }
  const seedKey = file.seedKey ?? SEED_KEYS[kind];
  const axes: Axis[] = Object.entries(file.axes).map(([path, spec]) => ({ path, spec }));
  const seeds = typeof file.seeds === "number" ? Array.from({ length: file.seeds }, (_, i) => i) : file.seeds;
  if (seeds && axes.some((a) => a.path === seedKey)) {
    throw new ConfigError(`${source}: axes.${seedKey} sets the key the seeds set; drop seeds or that axis`);
  }
  if (seeds && new Set(seeds).size !== seeds.length) {
    throw new ConfigError(`${source}: seeds must not repeat, got ${JSON.stringify(seeds)}`);
  }
  const problems = new Map<string, string>();
  const trials: SweepTrial[] = [];
  const recipeChecked = new Set<string>();
  let index = -1;
  for (const overrides of configurations(file, axes)) {
    for (const seed of seeds ?? [undefined]) {
      index++;
      const where = `${source}, ${describeTrial({ index, overrides, ...(seed === undefined ? {} : { seed }) })}`;
      let raw: Record<string, unknown> = { ...base };
      for (const [path, value] of Object.entries(overrides)) raw = withKey(raw, path, value);
      if (seed !== undefined) raw = withKey(raw, seedKey, seed);
      let config: SweepConfig;
      try {
        config =
          kind === "fit"
            ? checkFitTrial(raw, baseDir)
            : checkRunTrial(
                raw,
                (c) => JSON.stringify(seed === undefined ? c : withKey(c, seedKey, 0)),
                recipeChecked,
              );
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        for (const line of e.message.split("\n")) {
          const problem = line.replace(/^(: |config: )/, "");
          if (!problems.has(problem)) problems.set(problem, `${where}: ${problem}`);
        }
        continue;
      }
      const id = trialId(index, overrides, seed);
      trials.push({ index, id, overrides, ...(seed === undefined ? {} : { seed }), config });
    }
  }
  if (problems.size > 0) {
    const lines = [...problems.values()];
    const more = lines.length > MAX_PROBLEMS ? [`... and ${lines.length - MAX_PROBLEMS} more problems`] : [];
    throw new ConfigError([...lines.slice(0, MAX_PROBLEMS), ...more].join("\n"));
  }
  const objective = file.objective ?? defaultObjective(trials[0]?.config as SweepConfig);
  for (const trial of trials) {
    const keys = objectiveKeys(trial.config);
    if (!keys.includes(objective.metric)) {
      throw new ConfigError(
        `${source}: objective.metric must be one of ${keys.join(", ")} (the metrics of ${describeTrial(trial)}), got "${objective.metric}"`,
      );
    }
  }
  return {
    version: 1,
    base,
    kind,
    axes,
    ...(seeds ? { seeds } : {}),
    seedKey,
    search: file.search,
    sampleSeed: file.sampleSeed,
    objective,
    ...(file.earlyStopping ? { earlyStopping: file.earlyStopping } : {}),
    trials,
  };
}
