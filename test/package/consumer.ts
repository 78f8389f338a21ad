/**
 * A fresh project outside the repository with braints installed from its packed tarball, as a user
 * gets it from `npm install`: the plain-Node, TypeScript and Vite consumers of consumer/ copied in,
 * the tarball's dependencies installed from the registry (through npm's cache).
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BUILD_HASH_FILE, buildHash } from "../../scripts/buildHash.ts";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const run = promisify(execFile);

/** What a finished program printed, and its exit code. */
export interface Exit {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion without blocking the event loop (tests keep talking to vitest meanwhile). */
export async function exec(file: string, args: readonly string[], cwd?: string): Promise<Exit> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function npm(args: readonly string[], cwd: string): Promise<string> {
  const out = await exec("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);
  if (out.code !== 0) throw new Error(`npm ${args.join(" ")} failed (${out.code}):\n${out.stderr}`);
  return out.stdout;
}

/** Builds dist/ unless it was built from the current sources. */
export async function ensureBuilt(): Promise<void> {
  const file = join(ROOT, BUILD_HASH_FILE);
  const built = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (built !== buildHash(ROOT)) await npm(["run", "build"], ROOT);
}

/** `npm pack` of the built package into `dir`; returns the tarball's path. */
export async function pack(dir: string): Promise<string> {
  await ensureBuilt();
  const [info] = JSON.parse(
    await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT),
  ) as [{ filename: string }];
  return join(dir, info.filename);
}

export interface Consumer {
  /** The project folder, with node_modules/braints installed from the tarball. */
  readonly dir: string;
  readonly tarball: string;
}

/** Packs braints and installs it into a new project holding the consumers of consumer/. */
export async function packedConsumer(): Promise<Consumer> {
  const dir = mkdtempSync(join(tmpdir(), "braints-consumer-"));
  const tarball = await pack(dir);
  cpSync(fileURLToPath(new URL("consumer/", import.meta.url)), dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  await npm(["install", "--prefer-offline", tarball], dir);
  return { dir, tarball };
}
