/** Turning a library's refusal of a configured value into a config error that says which section. */
import { BraintsError } from "../../base/errors.ts";
import { ConfigError } from "./parseConfig.ts";

/**
 * Runs `build`; a `BraintsError` it throws becomes a `ConfigError` prefixed with `what`.
 * @example const task = asConfigError("task.options are invalid", () => createTask(name, options));
 */
export function asConfigError<T>(what: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof BraintsError) throw new ConfigError(`config: ${what}: ${e.message}`);
    throw e;
  }
}
