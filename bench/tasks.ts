/**
 * Task-suite speed on one core, against NeuroGym's own figure of ~127 batches per second.
 *
 * What NeuroGym's 127/s is (its pull request #137, 2025): `ngym.Dataset("AntiReach-v0",
 * env_kwargs={"dt": 100}, batch_size=16, seq_len=100)`, 1,000 calls in 7.87 s. Each call returns a
 * window of 100 steps × 16 columns (33 inputs); with NeuroGym's cache of 200 steps
 * (`1e5 / (33 + 1) / 16`, rounded up past a multiple of 100) and its refill rule
 * (`seq_end >= cache_len`), every window after the first refills the whole cache, 3,200 steps
 * (≈ 213 AntiReach trials of 15 steps) per window. Our `Dataset` follows the same rules, so the
 * AntiReach row below does the same work as NeuroGym's measurement, step for step.
 *
 * The targets are stated against the same 127/s for other work: padded batches of 16 whole
 * trials of PerceptualDecisionMaking (dt 100, 22 steps, 352 steps a batch) and DelayComparison
 * (dt 100, 26 steps, 416 a batch), and PerceptualDecisionMaking `Dataset` windows (B 16, seqLen 100,
 * cache 1,600 steps, refilled every 15 windows: ≈ 73 trials a window). These have input noise
 * (AntiReach has none).
 *
 * NeuroGym's `Dataset` hands out views of its cache; ours copies each window unless given
 * `views: true`, so both rows of windows are measured each way: copies (the default) and views
 * (NeuroGym's own terms).
 *
 * Every workload runs in interleaved rounds; each reports its best round by wall time and, apart,
 * by this process's CPU time (user + system), which a shared machine inflates least.
 *
 * Run standalone: `npx tsx bench/tasks.ts [--rounds=N]`.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Rng } from "../src/base/random.ts";
import { Dataset } from "../src/data/dataset.ts";
import { trialBatch } from "../src/data/trialBatch.ts";
import { createTask } from "../src/tasks/registry.ts";
import type { Task } from "../src/tasks/task.ts";

/** NeuroGym's AntiReach `Dataset` windows (B 16, seqLen 100, dt 100) per second: 1,000 in 7.87 s. */
const NEUROGYM_BATCHES_PER_S = 127;
const BATCH = 16;

interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

interface Rate {
  wall: number;
  cpu: number;
}

/** Seconds of CPU time this process has used (user + system). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Calls `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns calls per second
 * of wall time and per second of this process's CPU time.
 */
function rate(fn: () => void, ms: number): Rate {
  const warm = performance.now();
  while (performance.now() - warm < 100) fn();
  let n = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    t = performance.now();
  }
  return { wall: (n * 1000) / (t - t0), cpu: n / (cpuSeconds() - c0) };
}

/** `r` as a multiple of NeuroGym's rate, by wall and by CPU time. */
function vsNeuroGym(r: Rate): string {
  const x = (v: number): string => (v / NEUROGYM_BATCHES_PER_S).toFixed(0);
  return `${x(r.wall)}x NeuroGym by wall time, ${x(r.cpu)}x by CPU time (${r.cpu.toFixed(0)}/s)`;
}

interface Workload {
  name: string;
  unit: string;
  /** Trials per call, for a trials/s line (padded batches only). */
  trials?: number;
  run: () => void;
}

function workloads(): Workload[] {
  const pdm = createTask("PerceptualDecisionMaking");
  const dc = createTask("DelayComparison");
  const rngPdm = Rng.fromSeed(0);
  const rngDc = Rng.fromSeed(0);
  const antiReach = createTask("AntiReach", { dtMs: 100 });
  const windows = (task: Task, views: boolean): Dataset =>
    new Dataset(task, { batchSize: BATCH, seqLen: 100, seed: 0, views });
  const pdmWindows = windows(pdm, false);
  const pdmViews = windows(pdm, true);
  const antiReachWindows = windows(antiReach, false);
  const antiReachViews = windows(antiReach, true);
  return [
    {
      name: `PerceptualDecisionMaking dt100 padded batches of ${BATCH}`,
      unit: "batches/s",
      trials: BATCH,
      run: () => void trialBatch(pdm, rngPdm, BATCH),
    },
    {
      name: `DelayComparison dt100 padded batches of ${BATCH}`,
      unit: "batches/s",
      trials: BATCH,
      run: () => void trialBatch(dc, rngDc, BATCH),
    },
    {
      name: `PerceptualDecisionMaking Dataset windows (B ${BATCH}, seqLen 100)`,
      unit: "windows/s",
      run: () => void pdmWindows.next(),
    },
    {
      name: `  the same as views`,
      unit: "windows/s",
      run: () => void pdmViews.next(),
    },
    {
      name: `AntiReach dt100 Dataset windows (B ${BATCH}, seqLen 100; NeuroGym's own measurement)`,
      unit: "windows/s",
      run: () => void antiReachWindows.next(),
    },
    {
      name: `  the same as views`,
      unit: "windows/s",
      run: () => void antiReachViews.next(),
    },
  ];
}

/** The task-suite benchmarks (one core, this process), `rounds` interleaved rounds each. */
export async function benchTasks(rounds = 3): Promise<Row[]> {
  const ws = workloads();
  const best = ws.map(() => ({ wall: 0, cpu: 0 }));
  for (let r = 0; r < rounds; r++) {
    ws.forEach((w, i) => {
      const x = rate(w.run, 600);
      const b = best[i] as Rate;
      b.wall = Math.max(b.wall, x.wall);
      b.cpu = Math.max(b.cpu, x.cpu);
    });
  }
  const rows: Row[] = [];
  ws.forEach((w, i) => {
    const b = best[i] as Rate;
    rows.push({ name: w.name, value: b.wall, unit: w.unit, note: vsNeuroGym(b) });
    if (w.trials !== undefined) {
      rows.push({ name: `  trials in them`, value: b.wall * w.trials, unit: "trials/s" });
    }
  });
  return rows;
}

/**
 * {@link benchTasks} in a fresh process, as NeuroGym's figure was taken: run in `npm run bench`'s
 * own process after the training workloads, the same generators measured up to 1.6x slower
 * (PerceptualDecisionMaking windows 62x against 101x NeuroGym, minutes apart on an idle machine).
 */
export function benchTasksFresh(rounds = 3): Row[] {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), `--rounds=${rounds}`, "--json"],
    { encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").at(-1) as string) as Row[];
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("bench/tasks.ts");
if (isMain) {
  const arg = process.argv.find((a) => a.startsWith("--rounds="));
  const rounds = arg === undefined ? 3 : Number(arg.slice("--rounds=".length));
  if (!(Number.isInteger(rounds) && rounds >= 1)) {
    throw new Error(`bench/tasks: --rounds must be an integer >= 1, got ${arg}`);
  }
  const rows = await benchTasks(rounds);
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
  else {
    const w = Math.max(...rows.map((r) => r.name.length));
    console.log(
      `${"benchmark".padEnd(w)}  ${"value".padStart(9)}  unit        note (best of ${rounds} rounds)`,
    );
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(w)}  ${r.value.toFixed(0).padStart(9)}  ${r.unit.padEnd(10)}  ${r.note ?? ""}`,
      );
    }
    console.log(
      `(NeuroGym: ${NEUROGYM_BATCHES_PER_S} AntiReach windows of ${BATCH} x 100 steps per second; targets: padded batches 200x, Dataset windows 100x)`,
    );
  }
}
