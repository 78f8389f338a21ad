/**
 * `npm run bench:startup`: how fast braints is ready, as a user installs it. Packs the package into
 * a fresh project (test/package/consumer.ts), then times, each in a fresh process and as the median
 * of several runs: importing the package root, `braints --help` and `braints tasks`, beside
 * `node -e 0` (Node's own start) and PyTorch's `import torch` (Debian's python3-torch) as the peer,
 * and the first `createBackend("wasm")` after the import (decompressing, compiling and instantiating
 * the WebAssembly kernels); and builds the consumer's Vite page (a leaky RNN trained in a Web Worker) to report its bundle size.
 *
 * Options: `--runs=N` (default 7).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { packedConsumer } from "../test/package/consumer.ts";

const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);
if (!(Number.isInteger(runs) && runs >= 1))
  throw new Error(`bench:startup: --runs must be an integer ≥ 1, got ${runs}`);
const PYTHON = "/usr/bin/python3";

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/**
 * GNU time, where installed, reports the CPU seconds (user + system) a process used: on a machine
 * that other jobs load, they stay near what an idle machine's wall clock would show.
 */
const TIME = "/usr/bin/time";
const withCpu = existsSync(TIME);

interface Timing {
  readonly wall: number;
  readonly cpu?: number;
  readonly inside?: number;
}

/** Wall-clock seconds of `file args` in a fresh process, its CPU seconds if known, and what it printed. */
function timed(
  file: string,
  args: readonly string[],
  cwd: string,
): { seconds: number; cpu?: number; stdout: string } {
  const t0 = performance.now();
  const r = withCpu
    ? spawnSync(TIME, ["-f", "cpu %U %S", file, ...args], { cwd, encoding: "utf8" })
    : spawnSync(file, args, { cwd, encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} failed:\n${r.stderr}`);
  const cpu = /^cpu (\S+) (\S+)$/m.exec(r.stderr);
  return cpu
    ? { seconds, cpu: Number(cpu[1]) + Number(cpu[2]), stdout: r.stdout }
    : { seconds, stdout: r.stdout };
}

/** Medians over `runs` fresh processes: wall time, CPU time and the seconds the process printed (when all have them). */
function measure(file: string, args: readonly string[], cwd: string): Timing {
  const walls: number[] = [];
  const cpus: number[] = [];
  const insides: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { seconds, cpu, stdout } = timed(file, args, cwd);
    walls.push(seconds);
    if (cpu !== undefined) cpus.push(cpu);
    const printed = Number(stdout.trim().split("\n").at(-1));
    if (stdout.trim() !== "" && Number.isFinite(printed)) insides.push(printed);
  }
  return {
    wall: median(walls),
    ...(cpus.length === runs ? { cpu: median(cpus) } : {}),
    ...(insides.length === runs ? { inside: median(insides) } : {}),
  };
}

const { dir } = await packedConsumer();
const node = process.execPath;
const bin = join(dir, "node_modules/braints/bin/braints.js");
const importRoot =
  'const t = performance.now(); await import("braints"); console.log((performance.now() - t) / 1000);';

const startKernels =
  'const b = await import("braints"); const t = performance.now(); b.createBackend("wasm"); console.log((performance.now() - t) / 1000);';

const rows: [string, Timing][] = [
  ["node -e 0 (Node's own start)", measure(node, ["-e", "0"], dir)],
  ['import("braints") (root)', measure(node, ["--input-type=module", "-e", importRoot], dir)],
  ['createBackend("wasm") (kernels)', measure(node, ["--input-type=module", "-e", startKernels], dir)],
  ["braints --help", measure(node, [bin, "--help"], dir)],
  ["braints tasks", measure(node, [bin, "tasks"], dir)],
];
if (existsSync(PYTHON)) {
  const importTorch = "import time; t = time.perf_counter(); import torch; print(time.perf_counter() - t)";
  rows.push(["python3 -c pass (Python's own start)", measure(PYTHON, ["-c", "pass"], dir)]);
  rows.push(["python3: import torch", measure(PYTHON, ["-c", importTorch], dir)]);
}

console.log(`startup, median of ${runs} fresh processes (seconds):`);
console.log(
  "| what | whole process, wall | whole process, CPU | the import alone, wall |\n| --- | --- | --- | --- |",
);
for (const [what, t] of rows)
  console.log(
    `| ${what} | ${t.wall.toFixed(3)} | ${t.cpu?.toFixed(3) ?? ""} | ${t.inside?.toFixed(3) ?? ""} |`,
  );

const web = join(dir, "web");
await build({ root: web, configFile: false, logLevel: "error" });
const assets = join(web, "dist/assets");
const files = readdirSync(assets);
const bytes = files.reduce((sum, f) => sum + statSync(join(assets, f)).size, 0);
const gzipped = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
console.log(
  `\nbrowser bundle of the leaky-RNN page (Vite, minified; kernels inlined, compressed): ${(bytes / 1000).toFixed(1)} kB, ${(gzipped / 1000).toFixed(1)} kB gzipped, in ${files.length} files: ${files.join(", ")}`,
);
