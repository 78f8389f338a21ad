/**
 * `npm run bench`: our full training steps beside PyTorch's, run in this same invocation one after
 * the other, plus the kernel and task-generation benchmarks. Prints ms per step and the ratio
 * ours / PyTorch per workload (machines are shared and noisy: ratios, not absolute times).
 *
 * A fair peer: PyTorch runs in every configuration a careful user would try (eager and
 * TorchScript; 1 thread, N threads with `OMP_WAIT_POLICY=passive`, N threads with the default
 * wait policy) and we run on 1 and N threads. Each side's figure is its fastest configuration, and
 * the table names it. Each workload runs in rounds that alternate every configuration of both
 * sides (3 by default): on a shared machine a burst of load hits one run of one round, and the
 * fastest round of each configuration is its figure.
 *
 * W6 (a GRU written from primitives, the generic path) runs beside W4 (the fused GRU) on our
 * configurations alone, alternating, and its ratio is W6 / W4; then again, bundled as the built
 * package is, in a fresh process (bench/userCellBundled.ts: tsx's heap in this process slows W6's
 * full collections).
 *
 * Each run also reports its CPU time per timed step (every thread of the process; PyTorch's from this
 * folder's scripts only, the shared eager script does not report it): a loaded shared machine
 * inflates it far less than wall time.
 *
 * Options: `--only=W1,W2,M1,W6` to pick workloads (M1: the neural-mass network), `--no-torch` to
 * skip PyTorch, `--peer-threads=1` to run it on 1 thread only, `--quick` for fewer steps and one
 * round, `--rounds=N`. The shared eager script is `shared/bench/torch_bench.py` in the nearest
 * folder above the repository that has one, or the file the `BRAINTS_TORCH_BENCH` environment
 * variable names.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createBackend, setBackend } from "../src/kernels/index.ts";
import { type StepTiming, timeSteps } from "./harness.ts";
import { userCellBundled } from "./userCellBundled.ts";
import {
  PEER_ENV,
  type PeerProgram,
  SHARED_SCRIPT,
  TRAINING_WORKLOADS,
  type TrainingWorkload,
  USER_CELL_WORKLOAD,
} from "./workloads.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .toUpperCase()
  .split(",");
const quick = flag("--quick");
const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice(9) ?? (quick ? 1 : 3));
if (!(Number.isInteger(rounds) && rounds >= 1))
  throw new Error(`bench: --rounds must be an integer ≥ 1, got ${rounds}`);

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PYTHON = "/usr/bin/python3";
/** Threads of the multi-threaded configurations: the cores this machine has. */
const N = availableParallelism();

/**
 * The shared eager script: the file `BRAINTS_TORCH_BENCH` names, else {@link SHARED_SCRIPT} in the
 * nearest folder from the repository root upward that has it (a checkout beside `shared/`, or a
 * git worktree a level deeper); otherwise why not, naming what was looked for.
 */
function sharedScript(): { path: string } | { missing: string } {
  const named = process.env.BRAINTS_TORCH_BENCH;
  if (named) {
    const path = resolve(named);
    return existsSync(path)
      ? { path }
      : { missing: `BRAINTS_TORCH_BENCH names ${path}, which does not exist` };
  }
  const looked: string[] = [];
  for (let dir = resolve(ROOT); ; dir = dirname(dir)) {
    const path = join(dir, SHARED_SCRIPT);
    if (existsSync(path)) return { path };
    looked.push(path);
    if (dirname(dir) === dir) break;
  }
  return {
    missing: `no ${SHARED_SCRIPT} in the repository's folder or any above it (looked for ${looked.join(", ")}); set BRAINTS_TORCH_BENCH to the script`,
  };
}

/** The shared eager script's path when PyTorch can run, else why it cannot. */
function torchAvailable(): { script: string } | { why: string } {
  if (flag("--no-torch")) return { why: "--no-torch" };
  const shared = sharedScript();
  if ("missing" in shared) return { why: shared.missing };
  if (!existsSync(PYTHON)) return { why: `no ${PYTHON}` };
  try {
    execFileSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" });
    return { script: shared.path };
  } catch {
    return { why: `${PYTHON} cannot import torch` };
  }
}

/** One configuration of one side: how to time a workload's step in it. */
interface Config {
  readonly label: string;
  readonly run: (w: TrainingWorkload, steps: number) => Timing;
}

interface Timing {
  readonly ms: number;
  /** CPU time of every thread of the process per timed step (mean), when the side reports it. */
  readonly cpuMs: number;
  readonly lossFirst: number;
  readonly lossAfter: number;
}

interface TorchResult {
  ms_median: number;
  /** Reported by this folder's scripts (torch_peer.py), not by the shared eager one. */
  cpu_ms_per_step?: number;
  loss_first: number;
  loss_after: number;
}

/**
 * PyTorch thread settings: 1 thread, then N threads with the passive and the default wait policy;
 * `--peer-threads=1` keeps the 1-thread ones only (on a machine busy with other jobs, OpenMP's
 * default active wait makes a 2-thread step spin for many times its length, and the full set of
 * configurations takes an hour; on an idle machine run them all).
 */
const peerThreads = args.find((a) => a.startsWith("--peer-threads="))?.slice(15);
const THREAD_SETTINGS: ReadonlyArray<{ label: string; threads: number; env: Record<string, string> }> = [
  { label: "1 thread", threads: 1, env: {} },
  ...(N > 1
    ? [
        { label: `${N} threads, OMP_WAIT_POLICY=passive`, threads: N, env: { OMP_WAIT_POLICY: "passive" } },
        { label: `${N} threads, default wait policy`, threads: N, env: {} },
      ]
    : []),
].filter((t) => peerThreads === undefined || peerThreads.split(",").includes(String(t.threads)));
if (THREAD_SETTINGS.length === 0)
  throw new Error(`bench: --peer-threads must list 1 or ${N} (the thread counts tried), got ${peerThreads}`);

/** The PyTorch configurations of a workload: each program at each thread setting. */
function peerConfigs(w: TrainingWorkload, sharedPath: string): Config[] {
  return w.peers.flatMap((program: PeerProgram) =>
    THREAD_SETTINGS.map((t) => ({
      label: `PyTorch ${program.label}, ${t.label}`,
      run: (_: TrainingWorkload, steps: number): Timing => {
        const argv = program.args.map((a) => (a === "THREADS" ? String(t.threads) : a));
        const env = { ...process.env, ...PEER_ENV, ...t.env };
        if (!("OMP_WAIT_POLICY" in t.env)) delete env.OMP_WAIT_POLICY;
        const script = program.script === SHARED_SCRIPT ? sharedPath : program.script;
        const out = execFileSync(PYTHON, [script, ...argv, String(steps), String(w.warmup)], {
          cwd: ROOT,
          encoding: "utf8",
          env,
        });
        const r = JSON.parse(out.trim().split("\n").at(-1) as string) as TorchResult;
        return {
          ms: r.ms_median,
          cpuMs: r.cpu_ms_per_step ?? NaN,
          lossFirst: r.loss_first,
          lossAfter: r.loss_after,
        };
      },
    })),
  );
}

/** Our configurations: the WASM kernels on 1 thread and on N threads. */
const ourConfigs: Config[] = [...new Set([1, N])].map((threads) => {
  const backend = createBackend("wasm-mt", { threads });
  return {
    label: `braints ${backend.name}, ${threads} thread${threads > 1 ? "s" : ""}`,
    run: (w, steps) => {
      setBackend(backend);
      const t: StepTiming = timeSteps(w.make(), steps, w.warmup);
      return { ms: t.msMedian, cpuMs: t.cpuMs, lossFirst: t.lossFirst, lossAfter: t.lossAfter };
    },
  };
});

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "-";
}

/** The fastest configuration of one side, over its fastest rounds. */
function fastest(timings: ReadonlyMap<Config, Timing[]>): { config: Config; timing: Timing } | undefined {
  let best: { config: Config; timing: Timing } | undefined;
  for (const [config, ts] of timings) {
    for (const timing of ts) if (!best || timing.ms < best.timing.ms) best = { config, timing };
  }
  return best;
}

const rows: string[] = [];
const torch = torchAvailable();
console.log(
  `braints bench: ${N} cores; ours on ${ourConfigs.map((c) => c.label).join(" and ")}; PyTorch ${"script" in torch ? `eager and TorchScript at ${THREAD_SETTINGS.map((t) => t.label).join(" / ")}` : `not run (ratios skipped): ${torch.why}`}; ${rounds} round${rounds > 1 ? "s" : ""}`,
);
for (const w of TRAINING_WORKLOADS) {
  if (only && !only.includes(w.name.toUpperCase())) continue;
  const steps = quick ? Math.max(3, Math.round(w.steps / 3)) : w.steps;
  const ours = new Map<Config, Timing[]>(ourConfigs.map((c) => [c, []]));
  const peers = new Map<Config, Timing[]>(
    "script" in torch ? peerConfigs(w, torch.script).map((c) => [c, []]) : [],
  );
  for (let r = 0; r < rounds; r++) {
    for (const side of [ours, peers]) for (const [c, ts] of side) ts.push(c.run(w, steps));
  }
  console.log(`${w.name} (ms per step, each configuration's rounds):`);
  for (const side of [ours, peers]) {
    for (const [c, ts] of side) {
      const learned = ts.every((t) => t.lossAfter < t.lossFirst);
      console.log(
        `  ${c.label.padEnd(58)} ${ts.map((t) => fmt(t.ms, 2)).join(", ")}; CPU ${ts.map((t) => fmt(t.cpuMs, 2)).join(", ")}${learned ? "" : "  (LOSS DID NOT DROP)"}`,
      );
    }
  }
  const us = fastest(ours)!;
  const peer = fastest(peers);
  const ratio = peer ? us.timing.ms / peer.timing.ms : NaN;
  const verdict = !peer ? "" : ratio <= w.target ? "met" : "missed";
  const gflops = w.flopsPerStep / (us.timing.ms * 1e6);
  const line = `| ${w.name} | ${fmt(us.timing.ms, 2)} (${us.config.label.replace("braints ", "")}; CPU ${fmt(us.timing.cpuMs, 2)}) | ${peer ? `${fmt(peer.timing.ms, 2)} (${peer.config.label.replace("PyTorch ", "")}; CPU ${fmt(peer.timing.cpuMs, 2)})` : "-"} | ${fmt(ratio, 2)} | ≤ ${w.target} ${verdict} | ${fmt(gflops, 1)} |`;
  rows.push(line);
  console.log(line);
}
if (!only || only.includes("W6")) {
  // The generic path against the fused kernel: W4 and W6 alternate on each of our configurations.
  // Each run also records this process's CPU time per step (all threads), which a loaded shared
  // machine inflates far less than wall time; on one thread it is the figure to read.
  const w4 = TRAINING_WORKLOADS.find((w) => w.name === "W4") as TrainingWorkload;
  const pair = [w4, USER_CELL_WORKLOAD];
  const times = new Map(pair.map((w) => [w, new Map<Config, Timing[]>(ourConfigs.map((c) => [c, []]))]));
  const cpu = new Map(pair.map((w) => [w, new Map<Config, number[]>(ourConfigs.map((c) => [c, []]))]));
  for (let r = 0; r < rounds; r++) {
    for (const c of ourConfigs) {
      for (const w of pair) {
        const steps = quick ? Math.max(3, Math.round(w.steps / 3)) : w.steps;
        const before = process.cpuUsage();
        times.get(w)?.get(c)?.push(c.run(w, steps));
        const used = process.cpuUsage(before);
        // timeSteps runs 1 + warmup + 3 × steps + 1 steps.
        cpu
          .get(w)
          ?.get(c)
          ?.push((used.user + used.system) / 1000 / (3 * steps + w.warmup + 2));
      }
    }
  }
  console.log(
    `W6, a GRU written from primitives under scan, beside W4's fused GRU (ms per step, rounds; CPU ms per step):`,
  );
  for (const w of pair) {
    for (const c of ourConfigs) {
      const ts = times.get(w)?.get(c) ?? [];
      const cs = cpu.get(w)?.get(c) ?? [];
      console.log(
        `  ${w.name} ${c.label.padEnd(55)} ${ts.map((t) => fmt(t.ms, 2)).join(", ")}; CPU ${cs.map((x) => fmt(x, 2)).join(", ")}`,
      );
    }
  }
  const [fused, generic] = pair.map((w) => fastest(times.get(w) as Map<Config, Timing[]>)!);
  const ratio = generic!.timing.ms / fused!.timing.ms;
  const one = ourConfigs[0] as Config;
  const cpuRatio =
    Math.min(...(cpu.get(USER_CELL_WORKLOAD)?.get(one) ?? [])) / Math.min(...(cpu.get(w4)?.get(one) ?? []));
  console.log(`  W6 / W4 by CPU time per step on ${one.label.replace("braints ", "")}: ${fmt(cpuRatio, 2)}`);
  const line = `| W6 / W4 | ${fmt(generic!.timing.ms, 2)} (${generic!.config.label.replace("braints ", "")}) | ${fmt(fused!.timing.ms, 2)} (${fused!.config.label.replace("braints ", "")}, W4) | ${fmt(ratio, 2)} (CPU ${fmt(cpuRatio, 2)}) | ≤ ${USER_CELL_WORKLOAD.target} ${ratio <= USER_CELL_WORKLOAD.target ? "met" : "missed"} | ${fmt(USER_CELL_WORKLOAD.flopsPerStep / (generic!.timing.ms * 1e6), 1)} |`;
  rows.push(line);
  console.log(line);
  // The same pair as the built package runs it (see userCellBundled.ts): tsx's heap in this
  // process slows W6's full collections, not W4's.
  const b = userCellBundled(rounds);
  const [bRatio, bCpu] = [b.w6.ms / b.w4.ms, b.w6.cpuMs / b.w4.cpuMs];
  const bundledLine = `| W6 / W4, bundled, fresh process | ${fmt(b.w6.ms, 2)} (wasm, 1 thread; CPU ${fmt(b.w6.cpuMs, 2)}) | ${fmt(b.w4.ms, 2)} (wasm, 1 thread, W4; CPU ${fmt(b.w4.cpuMs, 2)}) | ${fmt(bRatio, 2)} (CPU ${fmt(bCpu, 2)}) | ≤ ${USER_CELL_WORKLOAD.target} ${bRatio <= USER_CELL_WORKLOAD.target ? "met" : "missed"} | ${fmt(USER_CELL_WORKLOAD.flopsPerStep / (b.w6.ms * 1e6), 1)} |`;
  rows.push(bundledLine);
  console.log(bundledLine);
}
if (!only || only.includes("W3-T2000")) {
  const { peakMemoryMB } = await import("./memory.ts");
  console.log(`\nW3-T2000 peak memory (fresh process, 3 training steps): ${peakMemoryMB("W3-T2000")} MB`);
}
console.log(
  `\n| workload | braints ms/step (fastest configuration; its CPU ms/step) | PyTorch ms/step (fastest configuration; its CPU ms/step) | ratio | target | braints GFLOP/s |  (fastest of ${rounds} round${rounds > 1 ? "s" : ""} each)`,
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);

if (!only || only.includes("M1")) {
  const { benchMasses, formatMassRow } = await import("./masses.ts");
  console.log(`\nneural masses (${rounds} round${rounds > 1 ? "s" : ""}, PyTorch eager beside):`);
  for (const r of benchMasses({ quick, rounds, torch: !flag("--no-torch") }))
    console.log(`  ${formatMassRow(r)}`);
}

if (!only) {
  const { benchKernels } = await import("./kernels.ts");
  const { benchTasksFresh } = await import("./tasks.ts");
  const { benchTimeToResult } = await import("./timeToResult.ts");
  for (const [title, run] of [
    ["kernels", benchKernels],
    ["tasks (a fresh process, one core)", benchTasksFresh],
    ["time to a result", benchTimeToResult],
  ] as const) {
    console.log(`\n${title}:`);
    for (const r of await run())
      console.log(`  ${r.name}: ${fmt(r.value, 2)} ${r.unit}${r.note ? ` (${r.note})` : ""}`);
  }
}
