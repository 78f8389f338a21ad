/** Reading a config file: JSON, or YAML (`.yaml`/`.yml`). */
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./recipes/parseConfig.ts";

/**
 * The raw contents of a config file (a run config for `parseRunConfig`, a sweep file, a fit config).
 * @param what names the file in the message when it is missing, e.g. the flag that gave its path
 * @throws ConfigError when the file is missing or is not valid JSON/YAML (with the line)
 */
export function readConfigFile(path: string, what = "--config"): unknown {
  if (!existsSync(path)) throw new ConfigError(`${what}: file ${path} does not exist`);
  const text = readFileSync(path, "utf8");
  const yaml = [".yaml", ".yml"].includes(extname(path).toLowerCase());
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    const what = yaml ? "YAML" : "JSON";
    throw new ConfigError(`${path}: not valid ${what}: ${(e as Error).message.split("\n")[0]}`);
  }
}
