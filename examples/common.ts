/**
 * What every example shares: its size (the tutorial's, or a reduced one for CI), where it writes
 * figures, and the one JSON line it prints at the end.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** `full` reproduces the tutorial; `ci` is a reduced run that must still show learning. */
export type ExampleSize = "full" | "ci";

export interface ExampleOptions {
  readonly size: ExampleSize;
  /** Where figures go (created if missing). */
  readonly outDir: string;
  readonly seed: number;
}

/** The summary line: `{"example": "S3", "metric": "...", "value": ..., "bar": ..., "seconds": ...}`. */
export interface ExampleResult {
  readonly example: string;
  readonly metric: string;
  readonly value: number;
  /** The bar from the workloads table the full-size run must reach. */
  readonly bar: number;
  /** True when `value` meets `bar` in the bar's direction. */
  readonly passed: boolean;
  readonly seconds: number;
  /** Figures written, relative to the working directory. */
  readonly figures: readonly string[];
  /** Anything else worth reporting (secondary metrics). */
  readonly extra?: Readonly<Record<string, number | string>>;
}

/** Options from the command line: `--ci` for the reduced size, `--out DIR`, `--seed N`. */
export function parseExampleArgs(example: string, argv = process.argv.slice(2)): ExampleOptions {
  const at = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const outDir = at("--out") ?? join("runs", "examples", example.toLowerCase());
  mkdirSync(outDir, { recursive: true });
  return { size: argv.includes("--ci") ? "ci" : "full", outDir, seed: Number(at("--seed") ?? 0) };
}

/** Runs `main` when the module is the entry point, printing the summary line last. */
export async function runIfMain(
  moduleUrl: string,
  example: string,
  main: (o: ExampleOptions) => Promise<ExampleResult> | ExampleResult,
): Promise<void> {
  if (process.argv[1] === undefined || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  const options = parseExampleArgs(example);
  const result = await main(options);
  const { example: name, metric, value, bar, seconds } = result;
  if (result.extra) console.error(JSON.stringify({ figures: result.figures, ...result.extra }));
  console.log(JSON.stringify({ example: name, metric, value, bar, seconds: Math.round(seconds * 10) / 10 }));
  // A full-size run that misses its bar fails; the reduced CI size is judged by its own test.
  if (options.size === "full" && !result.passed) process.exitCode = 1;
}

/** Seconds since `t0` (from `performance.now()`). */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}
