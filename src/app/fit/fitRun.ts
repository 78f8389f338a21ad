/**
 * `braints fit`: a fit described by a config file (a mass network, a target, an objective, the
 * fitted parameters and a backend) run into a run directory:
 *
 * ```
 * RUN_DIR/config.json     the config as given, with file paths resolved
 * RUN_DIR/progress.json   while it runs and after: {"iterations" done, last "loss", "best" loss}
 * RUN_DIR/history.jsonl   one line per step, generation or sample: {"iteration", "loss"}
 * RUN_DIR/result.json     best parameters, loss, uncertainty, evaluations, seconds
 * RUN_DIR/report.html     the result as tables and the loss history as a figure
 * ```
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ValueError } from "../../base/errors.ts";
import { Rng } from "../../base/random.ts";
import { type Tensor, scalar } from "../../core/index.ts";
import { functionalConnectivity, functionalCovariance } from "../../analysis/signals/connectivity.ts";
import { Fitter, type FitBackend, type FitProblem, type FitResult } from "../../fit/fitter.ts";
import { networkProblem } from "../../fit/network.ts";
import {
  type Objective,
  covarianceRmse,
  fcCorrelation,
  fcRmse,
  objective,
  timeSeriesRmse,
} from "../../fit/objectives.ts";
import { type FitParameters, resolveParameters } from "../../fit/parameters.ts";
import { writeFileAtomic } from "../../io/atomic.ts";
import { decodeConnectome, decodeMatrix } from "../../io/connectome.ts";
import type { Connectome } from "../../models/mass/connectome.ts";
import {
  randomGeometricConnectome,
  ringConnectome,
  smallWorldConnectome,
} from "../../models/mass/generators.ts";
import { type MassNetworkOptions, massNetwork } from "../../models/mass/network.ts";
import { ConfigError, isRecord } from "../recipes/parseConfig.ts";
import { checkFitKeys } from "./fitKeys.ts";

/** A connectome from a generator or from files (paths relative to the config file). */
export type ConnectomeConfig =
  | {
      readonly generator: "ring" | "smallWorld" | "randomGeometric";
      readonly nodes: number;
      readonly seed?: number;
      readonly [option: string]: unknown;
    }
  | { readonly weights: string; readonly lengths?: string; readonly labels?: string };

/** The config of `braints fit`. */
export interface FitConfig {
  /** Optional; `fit` marks a fit config where other run configs may appear (a sweep's base). */
  readonly kind?: "fit";
  /** {@link massNetwork} options, with the connectome from a generator or files. */
  readonly network: Omit<MassNetworkOptions, "connectome" | "model"> & {
    readonly model: string;
    readonly connectome?: ConnectomeConfig;
  };
  /**
   * The data: an FC matrix file, a `[T, N]` time-series file, or a simulation at known parameters
   * whose noise is the stream `Rng.fromSeed(seed).fold("target")`, `seed` defaulting to
   * `simulation.seed`: never the fit's own noise (`Rng.fromSeed(simulation.seed)`), whatever the
   * two seeds, so the fit cannot reproduce the target's noise realization (docs/randomness.md).
   */
  readonly target:
    | { readonly fc: string }
    | { readonly timeSeries: string }
    | { readonly simulate: Readonly<Record<string, number>>; readonly seed?: number };
  /** With `covarianceRmse` the FC is covariance: a `target.fc` file holds a covariance matrix. */
  readonly objective: "fcRmse" | "fcCorrelation" | "covarianceRmse" | "timeSeriesRmse";
  readonly simulation: {
    readonly steps: number;
    readonly every?: number;
    readonly discard?: number;
    readonly seed?: number;
  };
  readonly parameters: FitParameters;
  readonly backend: FitBackend;
}

const OBJECTIVES = ["fcRmse", "fcCorrelation", "covarianceRmse", "timeSeriesRmse"] as const;

function section(source: string, raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = raw[key];
  if (!isRecord(v)) throw new ConfigError(`${source}: ${key} must be a mapping, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Checks the shape of a fit config: its sections and every section's keys (see `fitKeys.ts`); the
 * values are checked by {@link checkFitConfig} and by the library when it runs.
 */
export function parseFitConfig(raw: unknown, source = "config"): FitConfig {
  if (!isRecord(raw)) throw new ConfigError(`${source}: the config must be a mapping`);
  const known = ["kind", "network", "target", "objective", "simulation", "parameters", "backend"];
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(`${source}: unknown key(s) ${unknown.join(", ")}; expected ${known.join(", ")}`);
  }
  if (raw["kind"] !== undefined && raw["kind"] !== "fit") {
    throw new ConfigError(`${source}: kind must be fit in a fit config, got ${JSON.stringify(raw["kind"])}`);
  }
  const network = section(source, raw, "network");
  if (typeof network["model"] !== "string")
    throw new ConfigError(`${source}: network.model must name a model`);
  const target = section(source, raw, "target");
  if (!["fc", "timeSeries", "simulate"].some((k) => k in target)) {
    throw new ConfigError(
      `${source}: target must give fc (a file), timeSeries (a file) or simulate (parameters)`,
    );
  }
  const obj = raw["objective"];
  if (!OBJECTIVES.includes(obj as (typeof OBJECTIVES)[number])) {
    throw new ConfigError(
      `${source}: objective must be one of ${OBJECTIVES.join(", ")}, got ${JSON.stringify(obj)}`,
    );
  }
  if ("timeSeries" in target !== (obj === "timeSeriesRmse")) {
    throw new ConfigError(
      `${source}: objective timeSeriesRmse goes with target.timeSeries, and only with it`,
    );
  }
  const simulation = section(source, raw, "simulation");
  if (typeof simulation["steps"] !== "number")
    throw new ConfigError(`${source}: simulation.steps must be a number`);
  section(source, raw, "parameters");
  const backend = section(source, raw, "backend");
  if (!["gradient", "cmaes", "random", "grid"].includes(backend["kind"] as string)) {
    throw new ConfigError(
      `${source}: backend.kind must be gradient, cmaes, random or grid, got ${JSON.stringify(backend["kind"])}`,
    );
  }
  checkFitKeys(source, raw);
  return raw as unknown as FitConfig;
}

/**
 * The config with its file paths (connectome files, target files) made absolute against `baseDir`,
 * so that it runs from any working directory (a sweep's trials run wherever a scheduler starts them).
 */
export function resolveFitPaths(config: FitConfig, baseDir: string): FitConfig {
  const abs = (p: string) => resolve(baseDir, p);
  const c = config.network.connectome;
  const connectome =
    c && !("generator" in c)
      ? {
          weights: abs(c.weights),
          ...(c.lengths ? { lengths: abs(c.lengths) } : {}),
          ...(c.labels ? { labels: abs(c.labels) } : {}),
        }
      : c;
  const t = config.target;
  const target = "fc" in t ? { fc: abs(t.fc) } : "timeSeries" in t ? { timeSeries: abs(t.timeSeries) } : t;
  return {
    ...config,
    network: { ...config.network, ...(connectome ? { connectome } : {}) },
    target,
  };
}

function buildConnectome(c: ConnectomeConfig, base: string): Connectome {
  if ("generator" in c) {
    const { generator, nodes, seed, ...rest } = c;
    const rng = Rng.fromSeed(seed ?? 0);
    switch (generator) {
      case "ring":
        return ringConnectome(nodes, rest);
      case "smallWorld":
        return smallWorldConnectome(nodes, { ...rest, rng });
      case "randomGeometric":
        return randomGeometricConnectome(nodes, { ...rest, rng });
      default:
        throw new ConfigError(
          `network.connectome.generator must be ring, smallWorld or randomGeometric, got ${JSON.stringify(generator)}`,
        );
    }
  }
  const read = (p: string) => ({ bytes: readFileSync(resolve(base, p)), source: p });
  return decodeConnectome({
    weights: read(c.weights),
    ...(c.lengths ? { lengths: read(c.lengths) } : {}),
    ...(c.labels
      ? { labels: { text: readFileSync(resolve(base, c.labels), "utf8"), source: c.labels } }
      : {}),
  });
}

/** What {@link runFit} returns. */
export interface FitRun {
  readonly dir: string;
  readonly result: FitResult;
}

const OBJECTIVE_OF: Record<FitConfig["objective"], (t: Tensor) => Objective> = {
  fcRmse,
  fcCorrelation,
  covarianceRmse,
  timeSeriesRmse,
};

/**
 * The noise of a simulated target: the stream named `"target"` under `target.seed`, or under
 * `simulation.seed` when the target gives none. The fit's simulations draw from the root stream of
 * `simulation.seed` (`networkProblem`'s `seed`); a named stream is unrelated to every root stream
 * (docs/randomness.md), so the target's noise realization is never the fit's, for any pair of seeds
 * (with a shared realization the loss is exactly 0 at the true parameters, and the fit looks better
 * than it can be on data).
 */
export function targetNoise(config: FitConfig): Rng {
  const t = config.target;
  const seed = ("simulate" in t ? t.seed : undefined) ?? config.simulation.seed ?? 0;
  return Rng.fromSeed(seed).fold("target");
}

/** A fit config made ready: the network built, the names and options checked, the target not yet computed. */
export interface PreparedFit {
  /** The fit problem with an objective. */
  problem(objective: Objective): FitProblem;
  /** The target the objective compares with: read from its file, or simulated at the true parameters. */
  target(): Tensor;
}

/**
 * Builds everything a fit needs, checking every value on the way; the target is computed (read or
 * simulated) only when asked for.
 * @param base the folder relative file paths resolve against
 */
export function prepareFit(config: FitConfig, base: string): PreparedFit {
  resolveParameters("braints fit", config.parameters); // bad bounds and transforms fail before any simulation
  const { connectome: connectomeConfig, ...networkOptions } = config.network;
  const net = massNetwork({
    ...networkOptions,
    ...(connectomeConfig ? { connectome: buildConnectome(connectomeConfig, base) } : {}),
  });
  // The simulation's length and readout (steps, every, discard), shared by the fit and the target.
  const { seed = 0, ...window } = config.simulation;
  const problem = (objective: Objective) =>
    networkProblem(net, { ...window, seed, parameters: config.parameters, objective });
  const readMatrix = (p: string): Tensor => decodeMatrix(readFileSync(resolve(base, p)), p);
  const t = config.target;
  if (!("simulate" in t)) {
    const target = readMatrix("fc" in t ? t.fc : t.timeSeries);
    return { problem, target: () => target };
  }
  const truth = t.simulate;
  let probe: FitProblem;
  try {
    probe = networkProblem(net, {
      ...window,
      rng: targetNoise(config),
      parameters: truth,
      objective: objective("signal", (s) => s),
    });
  } catch (e) {
    // The library names the parameter; say it came from the target's.
    throw e instanceof ValueError ? new ConfigError(`target.simulate: ${e.message}`) : e;
  }
  return {
    problem,
    target() {
      const signal = probe.simulate(
        Object.fromEntries(Object.entries(truth).map(([k, v]) => [k, scalar(v, "float64")])),
      );
      return config.objective === "timeSeriesRmse"
        ? signal
        : config.objective === "covarianceRmse"
          ? functionalCovariance(signal)
          : functionalConnectivity(signal);
    },
  };
}

/**
 * Checks every value of a fit config without simulating: the parameters' bounds and transforms,
 * the network's options (e.g. a conduction speed > 0), the fitted and true parameters' names, the
 * target file, and the backend's options (see `Fitter.check`).
 * @param baseDir the folder relative file paths resolve against
 * @throws ValueError or ConfigError naming the option, the value and what is allowed
 */
export function checkFitConfig(config: FitConfig, baseDir = "."): void {
  const { problem } = prepareFit(config, baseDir);
  // Every objective a config can name is differentiable (objectives.ts), so the check needs no target.
  const unbuilt: Objective = {
    name: config.objective,
    differentiable: true,
    loss: () => {
      throw new ConfigError("checkFitConfig: the check computes no loss");
    },
  };
  new Fitter(problem(unbuilt)).check(config.backend);
}

/**
 * Runs a fit into `dir` (created; it must be empty or absent). File paths in the config are
 * relative to `baseDir` (the config file's folder).
 */
export function runFit(
  config: FitConfig,
  dir: string,
  options: { baseDir?: string; onProgress?: (iteration: number, loss: number) => void } = {},
): FitRun {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ConfigError(`--out: ${dir} is not empty; choose another run directory`);
  }
  const prepared = prepareFit(config, options.baseDir ?? ".");
  const fitter = new Fitter(prepared.problem(OBJECTIVE_OF[config.objective](prepared.target())));
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  const progress = join(dir, "progress.json");
  const writeProgress = (record: FitProgressRecord) =>
    writeFileAtomic(progress, `${JSON.stringify(record)}\n`);
  let best = Infinity;
  let writtenAt = -Infinity;
  const result = fitter.fit(config.backend, (iteration, loss) => {
    if (loss < best) best = loss;
    // The first iteration, then at most once a second: a fit's iteration can take milliseconds.
    if (Date.now() - writtenAt >= 1000) {
      writeProgress({ iterations: iteration + 1, loss, best });
      writtenAt = Date.now();
    }
    options.onProgress?.(iteration, loss);
  });
  writeProgress({
    iterations: result.history.length,
    loss: result.history.at(-1) as number,
    best: result.loss,
  });
  writeFileAtomic(
    join(dir, "history.jsonl"),
    result.history.map((loss, iteration) => JSON.stringify({ iteration, loss })).join("\n") + "\n",
  );
  writeFileAtomic(join(dir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileAtomic(join(dir, "report.html"), fitReport(config, result));
  return { dir, result };
}

/** `progress.json` of a fit run: how far the fit is. */
export interface FitProgressRecord {
  /** Iterations (steps, generations, samples) done. */
  readonly iterations: number;
  /** The loss of the last of them. */
  readonly loss: number;
  /** The lowest loss so far. */
  readonly best: number;
}

/**
 * How far the fit in `dir` is, from its `progress.json` (written atomically by {@link runFit} at
 * the first iteration, then at most once a second, and when the fit ends), or undefined before
 * the first iteration.
 */
export function readFitProgress(dir: string): FitProgressRecord | undefined {
  const file = join(dir, "progress.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as FitProgressRecord) : undefined;
}

/** The config and result of the finished fit run in `dir`. */
export function readFitRun(dir: string): { config: FitConfig; result: FitResult } {
  const read = (name: string): unknown => {
    const file = join(dir, name);
    if (!existsSync(file)) {
      throw new ConfigError(`${dir}: ${name} does not exist; the fit did not finish (run braints fit again)`);
    }
    return JSON.parse(readFileSync(file, "utf8"));
  };
  const config = parseFitConfig(read("config.json"), join(dir, "config.json"));
  return { config, result: read("result.json") as FitResult };
}

/**
 * Writes the report of the finished fit run in `dir` again from its config and result.
 * @returns the report's path
 */
export function reportFitRun(dir: string): string {
  const { config, result } = readFitRun(dir);
  const path = join(dir, "report.html");
  writeFileAtomic(path, fitReport(config, result));
  return path;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The report: best parameters with their starts, bounds and uncertainty, and the loss history as an SVG line. */
export function fitReport(config: FitConfig, result: FitResult): string {
  const rows = Object.entries(result.best)
    .map(([name, value]) => {
      const spec = config.parameters[name];
      const fitted = typeof spec === "object" && spec.fit !== false;
      const start = typeof spec === "number" ? spec : (spec?.init ?? "");
      const bounds = typeof spec === "object" && spec.bounds ? `[${spec.bounds.join(", ")}]` : "";
      const sd = result.uncertainty?.[name];
      return `<tr><td>${escape(name)}</td><td>${fitted ? "fitted" : "fixed"}</td><td>${start}</td><td>${bounds}</td><td>${value.toPrecision(6)}</td><td>${sd === undefined ? "" : sd.toPrecision(3)}</td></tr>`;
    })
    .join("\n");
  const h = result.history.filter(Number.isFinite);
  const [lo, hi] = [Math.min(...h), Math.max(...h)];
  const points = h
    .map(
      (v, i) =>
        `${((i / Math.max(1, h.length - 1)) * 560 + 20).toFixed(1)},${(180 - ((v - lo) / (hi - lo || 1)) * 160).toFixed(1)}`,
    )
    .join(" ");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>braints fit: ${escape(config.network.model)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head>
<body>
<h1>Fit of ${escape(config.network.model)} (${escape(config.objective)}, ${escape(result.backend)})</h1>
<p>best loss ${result.loss.toPrecision(6)} after ${result.evaluations} evaluations in ${result.seconds.toFixed(1)} s</p>
<table><tr><th>parameter</th><th></th><th>start</th><th>bounds</th><th>best</th><th>uncertainty (sd)</th></tr>
${rows}
</table>
<h2>Loss history</h2>
<svg width="600" height="200" role="img" aria-label="loss history"><polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${points}"/>
<text x="20" y="195" font-size="11">min ${lo.toPrecision(4)}</text><text x="20" y="14" font-size="11">max ${hi.toPrecision(4)}</text></svg>
</body></html>
`;
}

/** The default run directory name: the model and the time. */
export function fitRunName(config: FitConfig): string {
  return `fit-${config.network.model}-${new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}`;
}

/** The folder relative file paths of a config resolve against: the config file's. */
export function fitConfigBase(configPath: string): string {
  return dirname(resolve(configPath));
}
