/** The `train` flags that set config fields, and turning parsed flags into a partial config. */
import { RUN_KINDS, type RunKind } from "../app/recipes/runConfig.ts";

/** A config path: section, field (and sub-field). */
type ConfigPath = readonly [string, ...string[]];

/** One flag: its commander spelling, the config path it sets, and how its text is read. */
export interface ConfigFlag {
  readonly flag: string;
  /** The commander attribute name of the parsed value. */
  readonly key: string;
  /** The path it sets (in a supervised config, when it differs by kind). */
  readonly path: ConfigPath;
  /** The path it sets per kind, when that differs; a kind not listed gets `path`. */
  readonly byKind?: Readonly<Partial<Record<RunKind, ConfigPath>>>;
  readonly kind: "number" | "string";
  readonly help: string;
}

const f = (
  flag: string,
  key: string,
  path: ConfigFlag["path"] | (NonNullable<ConfigFlag["byKind"]> & { readonly supervised: ConfigPath }),
  kind: ConfigFlag["kind"],
  help: string,
): ConfigFlag =>
  "supervised" in path
    ? { flag, key, path: path.supervised, byKind: path, kind, help }
    : { flag, key, path, kind, help };

/** Every config flag of `braints train`. */
export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  f(
    "--kind <kind>",
    "kind",
    ["kind"],
    "string",
    `what to train: ${RUN_KINDS.join(", ")} (default supervised)`,
  ),
  f(
    "--task <name>",
    "task",
    ["task", "name"],
    "string",
    "task to train on (braints tasks lists them); several as one network with a rule input: yang19, or a comma-separated list",
  ),
  f(
    "--dt <step>",
    "dt",
    { supervised: ["task", "options", "dtMs"], spiking: ["data", "dtMs"], forecast: ["series", "dt"] },
    "number",
    "time step: of the task or the spike trains in ms, of the series in model time units",
  ),
  f("--model <type>", "model", ["model", "type"], "string", "leakyRNN, vanillaRNN, gru or lstm"),
  f("--hidden <n>", "hidden", ["model", "hidden"], "number", "hidden units (LIF neurons for --kind spiking)"),
  f("--tau <ms>", "tau", ["model", "tauMs"], "number", "leaky RNN time constant in ms"),
  f("--activation <name>", "activation", ["model", "activation"], "string", "nonlinearity (relu, tanh, ...)"),
  f("--epochs <n>", "epochs", ["training", "epochs"], "number", "epochs (a checkpoint after each)"),
  f("--steps-per-epoch <n>", "stepsPerEpoch", ["training", "stepsPerEpoch"], "number", "updates per epoch"),
  f("--batch-size <n>", "batchSize", ["training", "batchSize"], "number", "trials per update"),
  f("--optimizer <name>", "optimizer", ["training", "optimizer"], "string", "adam, adamw, sgd or rmsprop"),
  f("--lr <x>", "lr", ["training", "lr"], "number", "learning rate"),
  f("--clip <norm>", "clip", ["training", "clipNorm"], "number", "clip gradients to this global norm"),
  f(
    "--seed <n>",
    "seed",
    ["training", "seed"],
    "number",
    "seed of the initial weights and the training data",
  ),
  f(
    "--eval-trials <n>",
    "evalTrials",
    { supervised: ["evaluation", "trials"], spiking: ["evaluation", "samples"] },
    "number",
    "held-out trials (fresh spike trains) scored each epoch",
  ),
  f("--samples <n>", "samples", ["data", "samples"], "number", "spiking: training spike trains"),
  f("--steps <n>", "steps", ["data", "steps"], "number", "spiking: steps per spike train"),
  f("--inputs <n>", "inputs", ["data", "inputs"], "number", "spiking: input channels"),
  f("--rate <hz>", "rate", ["data", "rateHz"], "number", "spiking: input firing rate in Hz"),
  f(
    "--series <name>",
    "series",
    ["series", "name"],
    "string",
    "forecast: chaotic series (lorenz, rossler, ...)",
  ),
  f("--warmup <t>", "warmup", ["series", "warmup"], "number", "forecast: warm-up span (model time units)"),
  f("--train-time <t>", "trainTime", ["series", "train"], "number", "forecast: training span"),
  f("--test-time <t>", "testTime", ["series", "test"], "number", "forecast: test span"),
  f("--delay <k>", "delay", ["model", "delay"], "number", "forecast: NVAR taps"),
  f("--stride <s>", "stride", ["model", "stride"], "number", "forecast: steps between NVAR taps"),
  f("--order <p>", "order", ["model", "order"], "number", "forecast: NVAR monomial degree"),
  f("--alpha <a>", "alpha", ["training", "alpha"], "number", "forecast: ridge penalty"),
];

/** Numbers as numbers; anything else stays text so the config check can show it as given. */
function read(kind: ConfigFlag["kind"], text: string): unknown {
  if (kind === "string") return text;
  return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
}

/**
 * The run kind the flags and a config file ask for: `--kind`, else the file's `kind`, else supervised
 * (an unknown kind reads as supervised here; the config check reports it).
 */
export function requestedKind(options: Readonly<Record<string, unknown>>, file: unknown): RunKind {
  const given = options["kind"] ?? (isObject(file) ? file["kind"] : undefined);
  return RUN_KINDS.find((k) => k === given) ?? "supervised";
}

/** The partial config the given flags describe for a run of `kind`, and the config paths they set. */
export function configFromFlags(
  options: Readonly<Record<string, unknown>>,
  kind: RunKind,
): {
  config: Record<string, unknown>;
  paths: Map<string, string>;
} {
  const config: Record<string, unknown> = {};
  const paths = new Map<string, string>();
  for (const flag of CONFIG_FLAGS) {
    const text = options[flag.key];
    if (typeof text !== "string") continue;
    // A flag with no meaning for this kind lands on its supervised path, which the check refuses by name.
    const target = flag.byKind?.[kind] ?? flag.path;
    let node = config;
    for (const part of target.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[target.at(-1) as string] = read(flag.kind, text);
    paths.set(target.join("."), flag.flag.split(" ")[0] as string);
  }
  return { config, paths };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** `over` merged into `base`, object by object (arrays and scalars replace). */
export function mergeConfig(base: unknown, over: Record<string, unknown>): unknown {
  if (!isObject(base)) return base === undefined ? over : base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) ? mergeConfig(out[k], v) : v;
  return out;
}
