/**
 * What a fit config looks like: the keys it allows, section by section, so that a misspelt key (`backend.lrr`,
 * `simulation.stepz`, a cmaes option on a gradient backend) is refused instead of ignored.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, isRecord } from "../recipes/parseConfig.ts";

const NETWORK = [
  "model",
  "nodes",
  "connectome",
  "speed",
  "coupling",
  "dt",
  "integrator",
  "noise",
  "parameters",
  "couplingParameters",
  "initial",
  "stimulus",
  "observe",
];

/** Whether `dir` holds a fit run (made by `runFit`): its config.json is a fit config. */
export function isFitRunDir(dir: string): boolean {
  const file = join(dir, "config.json");
  if (!existsSync(file)) return false;
  try {
    return isFitConfigShape(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return false;
  }
}

/** The options of each connectome generator, besides `generator`, `nodes` and `seed`. */
const GENERATORS: Readonly<Record<string, readonly string[]>> = {
  ring: ["neighbours", "spacingMm"],
  smallWorld: ["neighbours", "rewire"],
  randomGeometric: ["extentMm", "lengthScaleMm", "density"],
};

/** The options of each backend kind. */
const BACKENDS: Readonly<Record<string, readonly string[]>> = {
  gradient: ["kind", "iterations", "lr"],
  cmaes: ["kind", "iterations", "population", "sigma", "seed"],
  random: ["kind", "samples", "seed"],
  grid: ["kind", "points"],
};

/**
 * Whether a raw config is a fit config rather than a run config of another kind: `kind: fit`, or no
 * kind and the fit's own sections `network` and `backend` (no other run config has them).
 */
export function isFitConfigShape(raw: unknown): boolean {
  return (
    isRecord(raw) &&
    (raw["kind"] === "fit" || (raw["kind"] === undefined && "network" in raw && "backend" in raw))
  );
}

/**
 * Lists `problems` for the keys of `value` (at `path`) outside `allowed`, in the run config's words:
 * `unknown key backend.lrr (value 0.1); a gradient backend allows kind, iterations, lr`.
 */
function unknownKeys(
  problems: string[],
  value: unknown,
  path: string,
  allowed: readonly string[],
  what: string,
): void {
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (!allowed.includes(k)) {
      problems.push(
        `unknown key ${path}${k} (value ${JSON.stringify(v)}); ${what} allows ${allowed.join(", ")}`,
      );
    }
  }
}

/**
 * Checks every section's keys of a raw fit config (the sections' presence and kinds are checked
 * by `parseFitConfig`): the network and its connectome, noise and coupling, the target, the
 * simulation, each parameter spec and its prior, and the backend's options for its kind.
 * @throws ConfigError listing every unknown key with its value and the keys allowed there
 */
export function checkFitKeys(source: string, raw: Readonly<Record<string, unknown>>): void {
  const problems: string[] = [];
  const network = raw["network"];
  unknownKeys(problems, network, "network.", NETWORK, "the network section");
  if (isRecord(network)) {
    const c = network["connectome"];
    if (isRecord(c)) {
      const generator = c["generator"];
      if (typeof generator === "string" && generator in GENERATORS) {
        const allowed = ["generator", "nodes", "seed", ...(GENERATORS[generator] ?? [])];
        unknownKeys(problems, c, "network.connectome.", allowed, `a ${generator} connectome`);
      } else if (generator === undefined) {
        unknownKeys(
          problems,
          c,
          "network.connectome.",
          ["weights", "lengths", "labels"],
          "a connectome from files",
        );
      }
    }
    unknownKeys(problems, network["noise"], "network.noise.", ["kind", "sigma", "tau", "into"], "noise");
    unknownKeys(
      problems,
      network["coupling"],
      "network.coupling.",
      ["name", "variables", "inputs"],
      "a coupling",
    );
  }
  const target = raw["target"];
  unknownKeys(problems, target, "target.", ["fc", "timeSeries", "simulate", "seed"], "the target");
  if (isRecord(target) && ["fc", "timeSeries", "simulate"].filter((k) => k in target).length > 1) {
    problems.push(
      `target must give one of fc, timeSeries and simulate, got ${Object.keys(target).join(", ")}`,
    );
  }
  unknownKeys(
    problems,
    raw["simulation"],
    "simulation.",
    ["steps", "every", "discard", "seed"],
    "the simulation",
  );
  const parameters = raw["parameters"];
  if (isRecord(parameters)) {
    for (const [name, spec] of Object.entries(parameters)) {
      const at = `parameters.${name}.`;
      unknownKeys(problems, spec, at, ["init", "fit", "bounds", "transform", "prior"], "a parameter");
      if (isRecord(spec)) unknownKeys(problems, spec["prior"], `${at}prior.`, ["mean", "sd"], "a prior");
    }
  }
  const backend = raw["backend"];
  if (isRecord(backend) && typeof backend["kind"] === "string" && backend["kind"] in BACKENDS) {
    const kind = backend["kind"];
    unknownKeys(problems, backend, "backend.", BACKENDS[kind] ?? [], `a ${kind} backend`);
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${source}: ${p}`).join("\n"));
}
