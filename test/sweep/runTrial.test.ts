/**
 * `braints sweep run-trial` as the Slurm and queue backends call it: idempotent, resumable after
 * `kill -9`, one result when two processes run one trial, and a lock that a requeued job of the
 * same owner takes over while another owner's live lock is respected; a worker of a local sweep
 * that is gone leaves its trial alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SWEEP_PARENT } from "../../src/cli/sweepWorkers.ts";
import { braints, metricLines, start, waitFor } from "../cli/braints.ts";

const root = mkdtempSync(join(tmpdir(), "braints-sweep-trial-"));

/** Two identical trials (the axis repeats its value), 8 epochs of 10 updates of a 16-unit network. */
const SWEEP = {
  base: { model: { hidden: 16 }, training: { epochs: 8, stepsPerEpoch: 10 }, evaluation: { trials: 64 } },
  axes: { "model.tauMs": [100, 100] },
};

async function planned(name: string): Promise<{ dir: string; ids: string[] }> {
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify(SWEEP));
  const dir = join(root, name);
  const r = await braints(["sweep", "plan", file, "--out", dir]);
  expect(r.stderr).toBe("");
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as { trials: { id: string }[] };
  return { dir, ids: plan.trials.map((t) => t.id) };
}

const results = (dir: string) =>
  readFileSync(join(dir, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { index: number; epochs: number; objective: number });

describe("braints sweep run-trial", () => {
  it("resumes a trial killed with SIGKILL from its checkpoint to the losses of an uninterrupted one, then is a no-op", async () => {
    const { dir, ids } = await planned("resume");
    const [whole, killed] = ids.map((id) => join(dir, "trials", id)) as [string, string];
    expect((await braints(["sweep", "run-trial", dir, "0"])).stdout).toContain("trial 0 finished");

    const { child, done } = start(["sweep", "run-trial", dir, "1"]);
    await waitFor(
      () => existsSync(join(killed, "checkpoints", "epoch-0002.safetensors")),
      120_000,
      "epoch 2 of trial 1",
    );
    child.kill("SIGKILL");
    await done;
    expect(existsSync(join(killed, "result.json"))).toBe(false);
    expect(existsSync(`${killed}.lock`)).toBe(true); // left by the killed process, whose pid is gone

    const resumed = await braints(["sweep", "run-trial", dir, "1"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.stdout).toMatch(/trial 1 finished \(resumed after epoch [2-8]\)/);
    expect(existsSync(`${killed}.lock`)).toBe(false);
    const epochs = metricLines(killed).map((l) => l.epoch);
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(metricLines(killed).map((l) => l.losses)).toEqual(metricLines(whole).map((l) => l.losses));

    const again = await braints(["sweep", "run-trial", dir, "1"]);
    expect(again.stdout).toContain("trial 1 was already done");
    expect(results(dir).map((r) => [r.index, r.epochs])).toEqual([
      [0, 8],
      [1, 8],
    ]);
    const status = await braints(["sweep", "status", dir]);
    expect(status.stdout).toContain("2 trials: 2 done, 0 running, 0 pending, 0 failed");
  }, 300_000);

  it("gives one result when two processes run the same trial at once: one trains, the other finds it busy or done", async () => {
    const { dir, ids } = await planned("twice");
    const [a, b] = await Promise.all([
      braints(["sweep", "run-trial", dir, "0"]),
      braints(["sweep", "run-trial", dir, "0"]),
    ]);
    const [trained, other] = [a, b].sort(
      (x, y) => Number(y.stdout.includes("finished")) - Number(x.stdout.includes("finished")),
    );
    expect(trained?.code).toBe(0);
    expect(trained?.stdout).toContain("trial 0 finished: trial 0");
    expect(`${other?.code} ${other?.stdout}`).toMatch(
      /^(75 trial 0 is being run by \S+:\d+ \(pid \d+ on |0 trial 0 was already done)/,
    );
    expect(metricLines(join(dir, "trials", ids[0] as string)).map((l) => l.epoch)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(results(dir).map((r) => r.index)).toEqual([0]);
  }, 300_000);

  it("takes over a lock of its own owner (a requeued job) and leaves another owner's live lock alone", async () => {
    const { dir, ids } = await planned("owner");
    // A lock held by this test process, which is alive: as if a job "slurm:7_0" were running trial 0.
    const lock = join(dir, "trials", `${ids[0] as string}.lock`);
    writeFileSync(
      lock,
      JSON.stringify({ owner: "slurm:7_0", host: hostname(), pid: process.pid, since: "" }),
    );
    const other = await braints(["sweep", "run-trial", dir, "0", "--owner", "slurm:8_0"]);
    expect(other.code).toBe(75);
    expect(other.stdout).toContain(`trial 0 is being run by slurm:7_0 (pid ${process.pid} on ${hostname()})`);
    expect(existsSync(join(dir, "trials", ids[0] as string))).toBe(false);

    const requeued = await braints(["sweep", "run-trial", dir, "0", "--owner", "slurm:7_0"]);
    expect(requeued.code).toBe(0);
    expect(requeued.stdout).toContain("trial 0 finished");
    expect(existsSync(lock)).toBe(false);
  }, 300_000);

  it("leaves its trial untouched when started by a local sweep that is gone (a worker spawned just before kill -9 of the sweep)", async () => {
    const { dir, ids } = await planned("orphan");
    // The pid of a sweep that has died: a process that has exited.
    const { pid } = spawnSync(process.execPath, ["-e", ""]);
    const r = await start(["sweep", "run-trial", dir, "0"], undefined, { [SWEEP_PARENT]: String(pid) }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `braints: the sweep that started this worker (pid ${pid}) is gone; trial 0 is left as it was\n`,
    );
    // No lock left to look held to a sweep run again at once, no run directory begun.
    expect(existsSync(join(dir, "trials", `${ids[0] as string}.lock`))).toBe(false);
    expect(existsSync(join(dir, "trials", ids[0] as string))).toBe(false);
  }, 60_000);

  it("refuses an index outside the plan, naming the range", async () => {
    const { dir } = await planned("range");
    const r = await braints(["sweep", "run-trial", dir, "2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `runSweepTrial: index must be an integer in [0, 1] (the trials of ${dir}), got 2`,
    );
  }, 60_000);
});
