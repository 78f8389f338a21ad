/**
 * `npm run bench`: our full training steps beside PyTorch's, run in this same invocation one after
 * the other, plus the kernel and task-generation benchmarks. Prints ms per step and the ratio
 * ours / PyTorch per workload (machines are shared and noisy: ratios, not absolute times).
 *
 * Each workload runs in rounds that alternate ours and PyTorch (5 by default): on a shared machine a
 * burst of load hits one side of one round, and the fastest round of each side is the comparison.
 *
 * Options: `--only=W1,W2` to pick workloads, `--no-torch` to skip PyTorch, `--quick` for fewer steps
 * and one round, `--rounds=N`.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getBackend } from "../src/kernels/index.ts";
import { type StepTiming, timeSteps } from "./harness.ts";
import { TRAINING_WORKLOADS, type TrainingWorkload } from "./workloads.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .toUpperCase()
  .split(",");
const quick = flag("--quick");
const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice(9) ?? (quick ? 1 : 5));
if (!(Number.isInteger(rounds) && rounds >= 1))
  throw new Error(`bench: --rounds must be an integer ≥ 1, got ${rounds}`);

const TORCH_SCRIPT = fileURLToPath(new URL("../../shared/bench/torch_bench.py", import.meta.url));
const PYTHON = "/usr/bin/python3";

function torchAvailable(): boolean {
  if (flag("--no-torch") || !existsSync(TORCH_SCRIPT) || !existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface TorchResult {
  ms_median: number;
  loss_first: number;
  loss_after: number;
}

function runTorch(w: TrainingWorkload, steps: number, warmup: number): TorchResult {
  const argv = [TORCH_SCRIPT, "2", w.torchName, String(w.torchT ?? 0), String(steps), String(warmup)];
  const out = execFileSync(PYTHON, argv, { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as TorchResult;
}

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "-";
}

const rows: string[] = [];
const withTorch = torchAvailable();
console.log(
  `braints bench: kernel backend ${getBackend().name} (${getBackend().threads} threads); PyTorch ${withTorch ? "found" : "not found (ratios skipped)"}`,
);
for (const w of TRAINING_WORKLOADS) {
  if (only && !only.includes(w.name.toUpperCase())) continue;
  const steps = quick ? Math.max(3, Math.round(w.steps / 3)) : w.steps;
  const step = w.make();
  const ourRounds: StepTiming[] = [];
  const torchRounds: TorchResult[] = [];
  for (let r = 0; r < rounds; r++) {
    ourRounds.push(timeSteps(step, steps, w.warmup));
    if (withTorch) torchRounds.push(runTorch(w, steps, w.warmup));
  }
  const ms = Math.min(...ourRounds.map((o) => o.msMedian));
  const torchMs = withTorch ? Math.min(...torchRounds.map((t) => t.ms_median)) : NaN;
  const [lossFirst, lossAfter] = [ourRounds[0]!.lossFirst, ourRounds.at(-1)!.lossAfter];
  const learned = lossAfter < lossFirst;
  const gflops = w.flopsPerStep / (ms * 1e6);
  const ratio = ms / torchMs;
  if (rounds > 1) {
    const each = ourRounds.map((o, r) => `${fmt(o.msMedian, 2)}/${fmt(torchRounds[r]?.ms_median ?? NaN, 2)}`);
    console.log(`  ${w.name} rounds (ours/PyTorch ms): ${each.join(", ")}`);
  }
  const line = `| ${w.name} | ${fmt(ms, 2)} | ${fmt(torchMs, 2)} | ${fmt(ratio, 2)} | ${fmt(gflops, 1)} | ${fmt(lossFirst, 4)} → ${fmt(lossAfter, 4)}${learned ? "" : " (DID NOT DROP)"} |`;
  rows.push(line);
  console.log(line);
}
if (!only || only.includes("W3-T2000")) {
  const { peakMemoryMB } = await import("./memory.ts");
  console.log(`\nW3-T2000 peak memory (fresh process, 3 training steps): ${peakMemoryMB("W3-T2000")} MB`);
}
console.log(
  `\n| workload | braints ms/step | PyTorch ms/step | ratio | braints GFLOP/s | braints loss |  (fastest of ${rounds} round${rounds > 1 ? "s" : ""} each)`,
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);

if (!only) {
  const { benchKernels } = await import("./kernels.ts");
  const { benchTasks } = await import("./tasks.ts");
  for (const [title, run] of [
    ["kernels", benchKernels],
    ["tasks", benchTasks],
  ] as const) {
    console.log(`\n${title}:`);
    for (const r of await run())
      console.log(`  ${r.name}: ${fmt(r.value, 2)} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
  }
}
