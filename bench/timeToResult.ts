/**
 * Time to a result, what a user waits for: the README's first command (`braints train`, the
 * default config) to its held-out accuracy, and the S3 tutorial (`examples/s3-…`) to its bar of
 * 0.86 over 2,000 held-out trials. Training (the updates with the held-out score after each epoch)
 * is timed apart from what follows it (the final evaluation over 2,000 trials, PCA, fixed points
 * and figures); both by wall time and by this process's CPU time (all threads), which a loaded
 * machine inflates less. Target: training under 10 s.
 *
 * Run standalone: `npx tsx bench/timeToResult.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseRunConfig } from "../src/app/recipes/parseConfig.ts";
import { reportRun, startRun } from "../src/app/runs/index.ts";
import { main as s3 } from "../examples/s3-perceptual-decision-rnn.ts";

export interface TimeToResultRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

/** Wall and CPU seconds of `fn`. */
async function timed<R>(fn: () => R | Promise<R>): Promise<{ result: R; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const c = process.cpuUsage(c0);
  return { result, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const TARGET_S = 10;

export async function benchTimeToResult(): Promise<TimeToResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "braints-ttr-"));
  try {
    const config = parseRunConfig({});
    const { training } = config.kind === "supervised" ? config : { training: undefined };
    const train = await timed(() => startRun(join(dir, "default"), config));
    const report = await timed(() => reportRun(train.result.run));
    const example = await timed(() => s3({ size: "full", outDir: join(dir, "s3"), seed: 0 }));
    const s3Training = Number(example.result.extra?.trainingSeconds);
    const verdict = (s: number) => (s < TARGET_S ? "met" : "missed");
    return [
      {
        name: `braints train (default: ${training ? `${training.epochs}×${training.stepsPerEpoch} steps, batch ${training.batchSize}` : "?"}), training`,
        value: train.wall,
        unit: "s",
        note: `CPU ${train.cpu.toFixed(1)} s; target < ${TARGET_S} s ${verdict(train.wall)}`,
      },
      {
        name: "braints train, the report after it",
        value: report.wall,
        unit: "s",
        note: `CPU ${report.cpu.toFixed(1)} s; ${report.result.headline}`,
      },
      {
        name: "S3 (examples/s3-perceptual-decision-rnn.ts), training",
        value: s3Training,
        unit: "s",
        note: `whole example ${example.wall.toFixed(1)} s, CPU ${example.cpu.toFixed(1)} s; accuracy ${example.result.value.toFixed(3)} (bar ${example.result.bar}); target < ${TARGET_S} s ${verdict(s3Training)}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const r of await benchTimeToResult())
    console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit} (${r.note})`);
}
