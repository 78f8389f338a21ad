/** The sweeps the cluster tests run, and reading their directories the way they compare runs. */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { braints, metricLines, waitFor } from "../cli/braints.ts";
import { ringFitBase } from "../sweep/fitBase.ts";

/**
 * 2 time constants × 2 seeds: four trials of 8 epochs of 60 updates of a 16-unit network, each long
 * enough (several seconds) that a test can stop it between its first checkpoint and its end while
 * another trial trains beside it.
 */
export const SWEEP = {
  base: { model: { hidden: 16 }, training: { epochs: 8, stepsPerEpoch: 60 }, evaluation: { trials: 64 } },
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

/**
 * Waits until trial `index` has a checkpoint and is still training, so that stopping it now
 * interrupts it and its next attempt resumes (the metrics line of an epoch is written just before
 * its checkpoint, so a line alone is not enough).
 */
export async function midTrial(dir: string, index: number): Promise<void> {
  const run = join(dir, "trials", trialIds(dir)[index] as string);
  const checkpointed = () =>
    existsSync(join(run, "checkpoints")) &&
    readdirSync(join(run, "checkpoints")).some((f) => /^epoch-\d+\.safetensors$/.test(f));
  await waitFor(
    () => checkpointed() && epochsWritten(run) < EPOCHS.length,
    120_000,
    `trial ${index} to have a checkpoint and fewer than ${EPOCHS.length} epochs`,
  );
}

/** The files of `dir` ending in `suffix`, with their contents, for a failing test's message. */
export function outputs(dir: string, suffix: string): string {
  if (!existsSync(dir)) return `(no ${dir})`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => `--- ${f}\n${readFileSync(join(dir, f), "utf8")}`)
    .join("\n");
}
