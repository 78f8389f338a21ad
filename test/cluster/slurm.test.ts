/**
 * `braints sweep FILE --slurm` on a real one-node Slurm cluster (Debian's slurm-wlm and munge,
 * started on loopback by ./slurm.ts): the sweep runs as a job array, one task is requeued while it
 * trains and another is cancelled and then requeued (each held stopped mid-trial by the test until
 * then), and still every trial finishes exactly once, the requeued ones resumed from their
 * checkpoints, with the numbers of the same sweep run locally.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { braints } from "../cli/braints.ts";
import { type SlurmCluster, startSlurm } from "./slurm.ts";
import { SWEEP, expectLocalNumbers, localReference, midTrial, outputs, startEpochs } from "./sweepResults.ts";

const root = mkdtempSync(join(tmpdir(), "braints-slurm-sweep-"));

let cluster: SlurmCluster | undefined;

beforeAll(async () => {
  cluster = await startSlurm();
  // sbatch, run by the command under test, finds this cluster through SLURM_CONF.
  process.env.SLURM_CONF = cluster.env.SLURM_CONF;
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

async function jobState(c: SlurmCluster, job: string): Promise<string> {
  return (await c.slurm("squeue", ["-h", "-t", "all", "-j", job, "-o", "%T"])).trim();
}

describe("braints sweep --slurm", () => {
  it("runs every trial exactly once through a requeue and a cancel-and-requeue, with the local run's numbers", async () => {
    const c = cluster as SlurmCluster;
    const { file, local } = await localReference(root, "sweep", SWEEP);

    const dir = join(root, "slurm");
    const submitted = await braints(["sweep", file, "--out", dir, "--slurm", "--", "--time=00:10:00"]);
    expect(submitted.stderr).toBe("");
    const jobId = /Slurm job (\d+)/.exec(submitted.stdout)?.[1];
    expect(jobId, submitted.stdout).toBeDefined();
    expect(readFileSync(join(dir, "slurm", "sweep.sbatch"), "utf8")).toContain("#SBATCH --requeue");

    try {
      // Both tasks are held (stopped) between their first checkpoint and their end, task 1 from its
      // start too, however fast they train: it trains beside task 0, or after it on a one-CPU node.
      const second = midTrial(dir, 1);
      second.catch(() => undefined); // awaited below
      // Task 0: requeued while it trains (Slurm kills it and starts it again).
      await midTrial(dir, 0);
      await c.slurm("scontrol", ["requeue", `${jobId}_0`]);
      // Task 1: cancelled while it trains, then requeued.
      await second;
      await c.slurm("scancel", [`${jobId}_1`]);
      for (let i = 0; i < 100 && (await jobState(c, `${jobId}_1`)) !== "CANCELLED"; i++) await sleep(100);
      expect(await jobState(c, `${jobId}_1`)).toBe("CANCELLED");
      await c.slurm("scontrol", ["requeue", `${jobId}_1`]);

      for (let i = 0; (await c.slurm("squeue", ["-h", "-j", `${jobId}`])).trim() !== ""; i++) {
        if (i > 1200) throw new Error(`job array ${jobId} still queued after 240 s`);
        await sleep(200);
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${outputs(join(dir, "slurm"), ".out")}\n${c.logs()}`);
    }

    const status = await braints(["sweep", "status", dir]);
    expect(status.stdout, outputs(join(dir, "slurm"), ".out")).toContain(
      "4 trials: 4 done, 0 running, 0 pending, 0 failed",
    );
    expectLocalNumbers(dir, local);
    expect([0, 1, 2, 3].map((i) => startEpochs(dir, i).length)).toEqual([2, 2, 1, 1]);
    for (const task of [0, 1]) {
      const show = await c.slurm("scontrol", ["show", "job", `${jobId}_${task}`]);
      expect(show).toMatch(/Restarts=1 /);
      expect(show).toContain("JobState=COMPLETED");
      expect(show).toContain("TimeLimit=00:10:00");
      expect(readFileSync(join(dir, "slurm", `${jobId}_${task}.out`), "utf8")).toMatch(
        new RegExp(`trial ${task} finished \\(resumed after epoch [1-7]\\)`),
      );
    }
  }, 600_000);

  it("refuses sbatch options that set the array, both back-ends at once, and sbatch options without --slurm", async () => {
    const file = join(root, "sweep.json");
    writeFileSync(file, JSON.stringify(SWEEP));
    const r = await braints(["sweep", file, "--out", join(root, "array"), "--slurm", "--", "--array=0-1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "braints: sweep --slurm: the sbatch options must not set the array, got --array=0-1",
    );
    expect(existsSync(join(root, "array", "slurm"))).toBe(false);
    const both = await braints([
      "sweep",
      file,
      "--out",
      join(root, "both"),
      "--slurm",
      "--redis",
      "redis://127.0.0.1:6379",
    ]);
    expect(both.stderr).toContain("braints: --slurm and --redis: choose one way to run the sweep, got both");
    const stray = await braints(["sweep", file, "--out", join(root, "stray"), "--", "--time=00:10:00"]);
    expect(stray.stderr).toContain(
      'braints: only --slurm takes more arguments (sbatch options, after --), got "--time=00:10:00"',
    );
    expect([both.code, stray.code, existsSync(join(root, "both")), existsSync(join(root, "stray"))]).toEqual([
      1,
      1,
      false,
      false,
    ]);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
