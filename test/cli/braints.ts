/**
 * Runs the `braints` command as a child process, as a user would, from the sources (the compiled
 * command is exercised on the packed package by test/package).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The command's entry in the sources, run through tsx so the tests need no build. */
export const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `braints ...args` (with `env` added to this process's environment); `done` resolves when it exits. */
export function start(
  args: readonly string[],
  cwd?: string,
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
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

/** One line of a run's metrics.jsonl, as the tests read it. */
export interface MetricLine {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly losses: number[];
  readonly metrics: Record<string, number>;
}

/** The lines of a run's metrics.jsonl. */
export const metricLines = (run: string): MetricLine[] =>
  readFileSync(join(run, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as MetricLine);

/** A tiny training job (seconds, not minutes) as flags. */
export const TINY = ["--hidden", "8", "--epochs", "2", "--steps-per-epoch", "5", "--eval-trials", "64"];

/**
 * A tiny spiking run: 16 spike trains of 300 steps from 50 inputs at 40 Hz, 3 epochs of 10
 * full-batch updates. At 40 Hz the hidden neurons spike in every sample (seeds 0 to 4), so the
 * report's raster of sample 0 has marks.
 */
export const SPIKING = [
  "--kind",
  "spiking",
  "--samples",
  "16",
  "--steps",
  "300",
  "--epochs",
  "3",
  "--steps-per-epoch",
  "10",
  "--lr",
  "0.01",
  "--inputs",
  "50",
  "--rate",
  "40",
  "--eval-trials",
  "16",
];

/** A short forecast run: Lorenz over 1 + 25 + 4 time units. */
export const FORECAST = ["--kind", "forecast", "--warmup", "1", "--train-time", "25", "--test-time", "4"];
