/** The `train` flags that set config fields, and turning parsed flags into a partial config. */

/** One flag: its commander spelling, the config path it sets, and how its text is read. */
export interface ConfigFlag {
  readonly flag: string;
  /** The commander attribute name of the parsed value. */
  readonly key: string;
  readonly path: readonly [string, string] | readonly [string, string, string];
  readonly kind: "number" | "string";
  readonly help: string;
}

const f = (
  flag: string,
  key: string,
  path: ConfigFlag["path"],
  kind: ConfigFlag["kind"],
  help: string,
): ConfigFlag => ({ flag, key, path, kind, help });

/** Every config flag of `braints train`. */
export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  f("--task <name>", "task", ["task", "name"], "string", "task to train on (braints tasks lists them)"),
  f("--dt <ms>", "dt", ["task", "options", "dtMs"], "number", "task time step in ms"),
  f("--model <type>", "model", ["model", "type"], "string", "leakyRNN, vanillaRNN, gru or lstm"),
  f("--hidden <n>", "hidden", ["model", "hidden"], "number", "hidden units"),
  f("--tau <ms>", "tau", ["model", "tauMs"], "number", "leaky RNN time constant in ms"),
  f("--activation <name>", "activation", ["model", "activation"], "string", "nonlinearity (relu, tanh, ...)"),
  f("--epochs <n>", "epochs", ["training", "epochs"], "number", "epochs (a checkpoint after each)"),
  f("--steps-per-epoch <n>", "stepsPerEpoch", ["training", "stepsPerEpoch"], "number", "updates per epoch"),
  f("--batch-size <n>", "batchSize", ["training", "batchSize"], "number", "trials per update"),
  f("--optimizer <name>", "optimizer", ["training", "optimizer"], "string", "adam, adamw, sgd or rmsprop"),
  f("--lr <x>", "lr", ["training", "lr"], "number", "learning rate"),
  f("--clip <norm>", "clip", ["training", "clipNorm"], "number", "clip gradients to this global norm"),
  f("--seed <n>", "seed", ["training", "seed"], "number", "seed of the initial weights and the trials"),
  f(
    "--eval-trials <n>",
    "evalTrials",
    ["evaluation", "trials"],
    "number",
    "held-out trials scored each epoch",
  ),
];

/** Numbers as numbers; anything else stays text so the config check can show it as given. */
function read(kind: ConfigFlag["kind"], text: string): unknown {
  if (kind === "string") return text;
  return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** The partial config the given flags describe, and the config paths they set. */
export function configFromFlags(options: Readonly<Record<string, unknown>>): {
  config: Record<string, unknown>;
  paths: Map<string, string>;
} {
  const config: Record<string, unknown> = {};
  const paths = new Map<string, string>();
  for (const flag of CONFIG_FLAGS) {
    const text = options[flag.key];
    if (typeof text !== "string") continue;
    let node = config;
    for (const part of flag.path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[flag.path.at(-1) as string] = read(flag.kind, text);
    paths.set(flag.path.join("."), flag.flag.split(" ")[0] as string);
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
