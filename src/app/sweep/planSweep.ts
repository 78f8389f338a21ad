/** From a sweep file on disk to its checked plan. */
import { dirname, resolve } from "node:path";
import { readConfigFile } from "../configFile.ts";
import { ConfigError } from "../recipes/parseConfig.ts";
import { type SweepPlan, resolvePlan } from "./plan.ts";
import { parseSweepFile } from "./sweepFile.ts";

/**
 * Reads the sweep file at `path` (JSON, or YAML for `.yaml`/`.yml`), with its base config from its
 * own file when `base` names one (relative to the sweep file), and resolves and checks every trial.
 * Nothing is written.
 * @throws ConfigError naming the key, the value and what was expected, for the file or any trial
 * @example planSweep("sweep.yaml").trials.length // 12 for a 2 × 2 grid with 3 seeds
 */
export function planSweep(path: string): SweepPlan {
  const file = parseSweepFile(readConfigFile(path, "sweep file"), { source: path });
  let base = file.base;
  let baseDir = dirname(resolve(path));
  if (typeof base === "string") {
    const basePath = resolve(dirname(path), base);
    baseDir = dirname(basePath);
    const raw = readConfigFile(basePath, `${path}: base`);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new ConfigError(
        `${path}: base file ${basePath} must hold a config object, got ${JSON.stringify(raw)}`,
      );
    }
    base = raw as Record<string, unknown>;
  }
  return resolvePlan(file, base, path, baseDir);
}
