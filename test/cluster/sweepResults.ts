/** The sweeps the cluster tests run, and reading their directories the way they compare runs. */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { braints, metricLines, waitFor } from "../cli/braints.ts";
import { trialWorkerList } from "../sweep/pages.ts";
import { ringFitBase } from "../sweep/fitBase.ts";

/**
 * 2 time constants × 2 seeds: four trials of 8 epochs of 20 updates of a 16-unit network. The tests
 * catch a trial between its first checkpoint and its end by holding its worker ({@link midTrial}),
 * not by its taking long.
 */
export const SWEEP = {
  base: { model: { hidden: 16 }, training: { epochs: 8, stepsPerEpoch: 20 }, evaluation: { trials: 64 } },
  axes: { "model.tauMs": [50, 100] },
  seeds: 2,
};
/** The epochs of each trial of {@link SWEEP}. */
export const EPOCHS = [1, 2, 3, 4, 5, 6, 7, 8];

/** Two fits of 60 gradient steps from two starting gains (a few seconds each). */
export const FIT_SWEEP = { base: ringFitBase(60), axes: { "parameters.gain.init": [0.1, 0.6] } };

/** One line of `results.jsonl`, as the tests read it. */
export interface ResultLine {
  readonly index: number;
  readonly id: string;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly metrics: Record<string, number>;
  readonly objective: number | null;
  readonly seconds: number;
  readonly stoppedEarly?: { readonly epoch: number };
  /** A fit trial's recovered parameters. */
  readonly fitted?: Record<string, number>;
}

/** The lines of `DIR/results.jsonl`. */
export const resultLines = (dir: string): ResultLine[] =>
  readFileSync(join(dir, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as ResultLine);

/** The trial ids of `DIR/sweep.json`, in plan order. */
export const trialIds = (dir: string): string[] =>
  (JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { trials: { id: string }[] }).trials.map(
    (t) => t.id,
  );

/** The results without their timings, in plan order: what two runs of one sweep must share. */
export const numbers = (dir: string) =>
  resultLines(dir)
    .sort((a, b) => a.index - b.index)
    .map(({ seconds: _, ...rest }) => rest);

/**
 * Writes `sweep` to `ROOT/NAME.json` and runs it on this machine into `ROOT/NAME-local`: the
 * reference a cluster's run of the same file must match.
 */
export async function localReference(
  root: string,
  name: string,
  sweep: unknown,
): Promise<{ file: string; local: string }> {
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify(sweep));
  const local = join(root, `${name}-local`);
  const ran = await braints(["sweep", file, "--out", local]);
  expect(ran.stderr).toBe("");
  return { file, local };
}

/**
 * Expects every trial of the sweep in `dir` done exactly once with the numbers of the same sweep
 * run locally into `local`: its result rows (but the times), and every update's losses (each epoch
 * of a training once, `EPOCHS`; each fit's whole history).
 */
export function expectLocalNumbers(dir: string, local: string): void {
  const ids = trialIds(dir);
  expect(
    resultLines(dir)
      .map((r) => r.index)
      .sort((a, b) => a - b),
  ).toEqual(ids.map((_, i) => i));
  expect(numbers(dir)).toEqual(numbers(local));
  const fit = (JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { kind: string }).kind === "fit";
  if (fit) {
    const histories = (d: string) =>
      trialIds(d).map((id) => readFileSync(join(d, "trials", id, "history.jsonl"), "utf8"));
    expect(histories(dir)).toEqual(histories(local));
  } else {
    expect(epochsByTrial(dir)).toEqual(ids.map(() => EPOCHS));
    expect(lossesByTrial(dir)).toEqual(lossesByTrial(local));
  }
}

/** The epochs of every trial's `metrics.jsonl`, in plan order: `[1, ..., E]` each when nothing ran twice. */
export const epochsByTrial = (dir: string): number[][] =>
  trialIds(dir).map((id) => metricLines(join(dir, "trials", id)).map((l) => l.epoch));

/** The losses of every update of every trial, in plan order. */
export const lossesByTrial = (dir: string): number[][][] =>
  trialIds(dir).map((id) => metricLines(join(dir, "trials", id)).map((l) => l.losses));

/**
 * The epochs each training of trial `index` started from, from its run's `numerics.json` (one span
 * per start): `[0]` for a trial trained in one go, `[0, k]` for one resumed after epoch k.
 */
export const startEpochs = (dir: string, index: number): number[] =>
  (
    JSON.parse(
      readFileSync(join(dir, "trials", trialIds(dir)[index] as string, "numerics.json"), "utf8"),
    ) as {
      fromEpoch: number;
    }[]
  ).map((s) => s.fromEpoch);

/** Epoch lines written so far in the run directory `run` (0 before it starts). */
function epochsWritten(run: string): number {
  const file = join(run, "metrics.jsonl");
  return existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "").length
    : 0;
}

/** A worker of a sweep (`braints sweep run-trial DIR INDEX`) that {@link holdWorker} holds. */
export interface HeldWorker {
  readonly pid: number;
  readonly index: number;
  /** Its trial's run directory. */
  readonly run: string;
}

/** How long a held worker runs at a time until it reaches the point it is held at. */
const SLICE_MS = 5;

/**
 * Holds a worker of the sweep in `dir` (trial `index`'s, else any but those in `not`) once
 * `reached(worker)` holds, however fast it trains: it is stopped (SIGSTOP) as soon as it shows in
 * the process table, before its trial starts, then let run a few milliseconds at a time (SIGCONT,
 * SIGSTOP) until `reached`. It stays stopped, so a test does what it must at that point (kill it,
 * requeue it, kill its parent) with no race against the trial's end; SIGCONT lets it go on.
 */
export async function holdWorker(
  dir: string,
  reached: (w: HeldWorker) => boolean,
  what: string,
  which: { readonly index?: number; readonly not?: readonly number[] } = {},
): Promise<HeldWorker> {
  let found: { pid: number; index: number } | undefined;
  const mine = (w: { pid: number; index: number }) =>
    (which.index === undefined || w.index === which.index) && !(which.not ?? []).includes(w.pid);
  await waitFor(
    () => (found = trialWorkerList(dir).find(mine)) !== undefined,
    120_000,
    `a worker of trial ${which.index ?? "any"} to start`,
  );
  const { pid, index } = found as { pid: number; index: number };
  process.kill(pid, "SIGSTOP");
  const worker = { pid, index, run: join(dir, "trials", trialIds(dir)[index] as string) };
  const t0 = Date.now();
  try {
    while (!reached(worker)) {
      if (Date.now() - t0 > 120_000) throw new Error(`timed out after 120000 ms waiting for ${what}`);
      process.kill(pid, "SIGCONT");
      await new Promise((r) => setTimeout(r, SLICE_MS));
      process.kill(pid, "SIGSTOP");
    }
  } catch (e) {
    throw new Error(`worker ${pid} of trial ${index}, held until ${what}: ${(e as Error).message}`);
  }
  return worker;
}

/** Whether trial run `run` has a checkpoint (the metrics line of an epoch is written just before it). */
const checkpointed = (run: string) =>
  existsSync(join(run, "checkpoints")) &&
  readdirSync(join(run, "checkpoints")).some((f) => /^epoch-\d+\.safetensors$/.test(f));

/**
 * Holds trial `index`'s worker (see {@link holdWorker}) once the trial has a checkpoint: stopping
 * it now interrupts it, and its next attempt resumes. Returns its pid.
 */
export async function midTrial(dir: string, index: number): Promise<number> {
  const { pid, run } = await holdWorker(
    dir,
    (w) => checkpointed(w.run),
    `trial ${index}'s first checkpoint`,
    {
      index,
    },
  );
  expect(epochsWritten(run), `trial ${index} held before its last epoch`).toBeLessThan(EPOCHS.length);
  return pid;
}

/** The files of `dir` ending in `suffix`, with their contents, for a failing test's message. */
export function outputs(dir: string, suffix: string): string {
  if (!existsSync(dir)) return `(no ${dir})`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => `--- ${f}\n${readFileSync(join(dir, f), "utf8")}`)
    .join("\n");
}
