/** Runs the `braints` command as a child process, as a user would. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The package's bin script. */
export const BIN = fileURLToPath(new URL("../../bin/braints.js", import.meta.url));

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `braints ...args`; `done` resolves when it exits. */
export function start(args: readonly string[], cwd?: string): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Result>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs `braints ...args` to completion. */
export function braints(args: readonly string[], cwd?: string): Promise<Result> {
  return start(args, cwd).done;
}

/** Resolves once `check()` is true, polling every 25 ms; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A tiny training job (seconds, not minutes) as flags. */
export const TINY = ["--hidden", "8", "--epochs", "2", "--steps-per-epoch", "5", "--eval-trials", "64"];
