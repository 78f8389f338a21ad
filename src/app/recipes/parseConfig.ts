/**
 * Validation of run configs with messages that name the key, the value and what is allowed,
 * built from the schema's issues.
 */
import { z } from "zod";
import { BraintsError } from "../../base/errors.ts";
import { didYouMean } from "../../base/suggest.ts";
import { supervisedConfigSchema } from "./config.ts";
import { forecastConfigSchema } from "./forecastConfig.ts";
import { RUN_KINDS, type RunConfig } from "./runConfig.ts";
import { lazySchema } from "./schemaParts.ts";
import { spikingConfigSchema } from "./spikingConfig.ts";

/** A config (file or flags) that does not fit the schema; the message lists every problem. */
export class ConfigError extends BraintsError {
  override name = "ConfigError";
}

/** Whether a raw config value is a mapping (not null, not a list): a section of a config file. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Options of {@link parseRunConfig}. */
export interface ParseConfigOptions {
  /** Names the source in messages, e.g. the config file's path (default `"config"`). */
  readonly source?: string;
  /** How a key is shown, e.g. with the command-line flag that set it (default: the dotted path). */
  readonly describeKey?: (path: string) => string;
}

type Issue = z.core.$ZodIssue & { readonly input?: unknown };

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

/** The keys of the options of a discriminated union that `input`'s discriminator picks (of every option when none). */
function unionKeys(node: z.core.$ZodType, input: unknown): string[] | undefined {
  const def = node._zod.def as { discriminator?: string; options?: z.core.$ZodType[] };
  const { discriminator, options } = def;
  if (discriminator === undefined || options === undefined) return undefined;
  const value = (input as Record<string, unknown> | undefined)?.[discriminator];
  const picked = options.filter((o) => o._zod.propValues?.[discriminator]?.has(value as never));
  return [...new Set((picked.length > 0 ? picked : options).flatMap((o) => allowedKeys(o, [], input)))];
}

/** The keys `schema` allows for the object `input` at `path` (unwrapping defaults and optionals). */
function allowedKeys(schema: z.core.$ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let node = schema;
  const unwrap = () => {
    for (;;) {
      const def = node._zod.def as { innerType?: z.core.$ZodType };
      if (!def.innerType) return;
      node = def.innerType;
    }
  };
  for (const key of path) {
    unwrap();
    const shape = (node._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape;
    const next = shape?.[String(key)];
    if (!next) return [];
    node = next;
  }
  unwrap();
  return (
    unionKeys(node, input) ?? Object.keys((node._zod.def as { shape?: Record<string, unknown> }).shape ?? {})
  );
}

function requirement(issue: Issue): string {
  switch (issue.code) {
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "invalid_union": {
      // A discriminated union's tag: the values that pick an option (undefined picks the default).
      const options = (issue as { options?: readonly unknown[] }).options?.filter((v) => v !== undefined);
      return options
        ? `must be one of ${options.map((v) => String(v)).join(", ")}`
        : `is invalid (${issue.message})`;
    }
    case "invalid_type":
      return issue.expected === "int" ? "must be an integer" : `must be ${article(issue.expected)}`;
    case "too_small":
      return `must be ${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}`;
    case "too_big":
      return `must be ${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}`;
    default:
      return `is invalid (${issue.message})`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** One line per problem: `source: key must ..., got value`. */
function describe(
  schema: z.core.$ZodType,
  issue: Issue,
  source: string,
  key: (path: string) => string,
): string[] {
  const at = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const input = (issue.input ?? {}) as Record<string, unknown>;
    const allowed = allowedKeys(schema, issue.path, input);
    return issue.keys.map((k) => {
      const full = at ? `${at}.${k}` : k;
      const where = at ? `the ${at} section` : "a config";
      return `${source}: unknown key ${key(full)} (value ${show(input[k])}); ${where} allows ${allowed.join(", ")}`;
    });
  }
  // A discriminated union reports its whole object; the value wrong is its tag's.
  const tag = (issue as { discriminator?: string }).discriminator;
  const got =
    issue.code === "invalid_union" && tag !== undefined
      ? (issue.input as Record<string, unknown> | undefined)?.[tag]
      : issue.input;
  const hint =
    issue.code === "invalid_value" && typeof issue.input === "string"
      ? didYouMean(issue.input, issue.values.map(String))
      : "";
  return [`${source}: ${key(at || "(root)")} ${requirement(issue)}, got ${show(got)}${hint}`];
}

/**
 * Checks `input` against any config schema (a run config's, a sweep file's) with the messages of
 * {@link parseRunConfig}: each problem names the key, the value and what is allowed.
 * @throws ConfigError listing every problem
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: ParseConfigOptions = {},
): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const source = options.source ?? "config";
  const key = options.describeKey ?? ((p: string) => p);
  const lines = result.error.issues.flatMap((issue) => describe(schema, issue as Issue, source, key));
  throw new ConfigError(lines.join("\n"));
}

/** Only the `kind` of a config, read first to pick the schema of the rest. */
const kindSchema = lazySchema(() => z.looseObject({ kind: z.enum(RUN_KINDS).default("supervised") }));

/**
 * Checks a raw config (parsed JSON/YAML merged with flags) and fills in the defaults. Its `kind`
 * (`supervised` when absent, `spiking` or `forecast`) picks the schema.
 * @throws ConfigError listing every unknown key, wrong type and out-of-range value
 * @example parseRunConfig({ model: { hidden: 128 } }).kind // "supervised"
 */
export function parseRunConfig(input: unknown, options: ParseConfigOptions = {}): RunConfig {
  const check = <S extends z.ZodType>(schema: S): z.output<S> => parseWithSchema(schema, input, options);
  switch (check(kindSchema()).kind) {
    case "supervised":
      return check(supervisedConfigSchema());
    case "spiking":
      return check(spikingConfigSchema());
    case "forecast":
      return check(forecastConfigSchema());
  }
}
