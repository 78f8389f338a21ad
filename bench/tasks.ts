/**
 * Task-suite speed: batches of 16 trials per second (PerceptualDecisionMaking at dt 100 and
 * DelayComparison), as trial-aligned padded batches and as NeuroGym-style stream windows, with the
 * ratio to NeuroGym's ~127 batches of 16 per second (1,000 batches in ≈ 7.9 s in Python).
 *
 * Run standalone: `npx tsx bench/tasks.ts`.
 */
import { Rng } from "../src/base/random.ts";
import { Dataset } from "../src/data/dataset.ts";
import { trialBatch } from "../src/data/trialBatch.ts";
import { createTask } from "../src/tasks/registry.ts";
import type { Task } from "../src/tasks/task.ts";

/** NeuroGym's batches of 16 trials per second (1,000 in ≈ 7.9 s). */
const NEUROGYM_BATCHES_PER_S = 127;
const BATCH = 16;

interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Seconds of CPU time this process has used (user + system). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Calls `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns calls per second
 * of wall time and per second of this process's CPU time (the latter is what a shared, loaded
 * machine inflates least).
 */
function rate(fn: () => void, ms = 800): { wall: number; cpu: number } {
  const warm = performance.now();
  while (performance.now() - warm < 150) fn();
  let n = 0;
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    t = performance.now();
  }
  return { wall: (n * 1000) / (t - t0), cpu: n / (cpuSeconds() - c0) };
}

/** `x` as a multiple of NeuroGym's rate, by wall and by CPU time. */
function vsNeuroGym(r: { wall: number; cpu: number }): string {
  const x = (v: number): string => (v / NEUROGYM_BATCHES_PER_S).toFixed(0);
  return `${x(r.wall)}x NeuroGym (${x(r.cpu)}x by CPU time, ${r.cpu.toFixed(0)}/s)`;
}

function batchRows(label: string, task: Task): Row[] {
  const rng = Rng.fromSeed(0);
  const r = rate(() => {
    trialBatch(task, rng, BATCH);
  });
  return [
    {
      name: `${label} padded batches of ${BATCH}`,
      value: r.wall,
      unit: "batches/s",
      note: vsNeuroGym(r),
    },
    { name: `${label} trials`, value: r.wall * BATCH, unit: "trials/s" },
  ];
}

/** The task-suite benchmarks (one core, this process). */
export async function benchTasks(): Promise<
  Array<{ name: string; value: number; unit: string; note?: string }>
> {
  const pdm = createTask("PerceptualDecisionMaking");
  const dc = createTask("DelayComparison");
  const rows = [...batchRows("PerceptualDecisionMaking dt100", pdm), ...batchRows("DelayComparison", dc)];
  const ds = new Dataset(pdm, { batchSize: BATCH, seqLen: 100, seed: 0 });
  const windows = rate(() => {
    ds.next();
  });
  rows.push({
    name: `PerceptualDecisionMaking Dataset windows (B ${BATCH}, seqLen 100)`,
    value: windows.wall,
    unit: "windows/s",
    note: vsNeuroGym(windows),
  });
  return rows;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("bench/tasks.ts");
if (isMain) {
  const rows = await benchTasks();
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"benchmark".padEnd(w)}  ${"value".padStart(12)}  unit        note`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(w)}  ${r.value.toFixed(0).padStart(12)}  ${r.unit.padEnd(10)}  ${r.note ?? ""}`,
    );
  }
  console.log(
    `(NeuroGym baseline: ${NEUROGYM_BATCHES_PER_S} batches of ${BATCH} per second; targets: padded batches 200x, Dataset windows 100x)`,
  );
}
