/**
 * What the library reads from the JavaScript host, which may be Node or a browser. Node's built-in
 * modules are reached through `process.getBuiltinModule` (Node ≥ 20.16) instead of static imports,
 * so the same bundle runs in a browser, where they are simply absent.
 */
import { BraintsError } from "./errors.ts";

interface NodeProcess {
  readonly versions?: { readonly node?: string };
  readonly env?: Record<string, string | undefined>;
  readonly getBuiltinModule?: (id: string) => unknown;
}

const host = globalThis as { process?: NodeProcess };

/** The environment variables (empty outside Node). */
export function environment(): Record<string, string | undefined> {
  return host.process?.env ?? {};
}

/**
 * Node's built-in module `id` (e.g. `"node:os"`), or undefined where the host is not Node.
 * Throws on Node older than 20.16 instead of quietly running without it.
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = host.process;
  const version = proc?.versions?.node;
  if (version === undefined) return undefined;
  if (typeof proc?.getBuiltinModule !== "function") {
    throw new BraintsError(
      `braints: needs Node.js >= 20.16 (for process.getBuiltinModule, to load ${id}), got Node.js ${version}. Upgrade Node.js`,
    );
  }
  return proc.getBuiltinModule(id) as T;
}
