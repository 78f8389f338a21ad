/**
 * `braints sweep FILE --redis URL` and `braints worker --redis URL` against a real redis-server on
 * loopback (./redis.ts): queueing twice adds nothing twice; of two workers, one is killed with
 * SIGKILL to its process group while a trial trains, held there by the test (the trial's child
 * process dies with it), and the other picks the trial up once its lock expires and resumes it
 * from its checkpoint: every trial finishes exactly once, with the numbers of the same sweep run
 * locally.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN, braints, waitFor } from "../cli/braints.ts";
import { freePort } from "./freePort.ts";
import { type RedisServer, startRedis } from "./redis.ts";
import {
  FIT_SWEEP,
  SWEEP,
  expectLocalNumbers,
  holdWorker,
  localReference,
  midTrial,
  resultLines,
  startEpochs,
  trialIds,
} from "./sweepResults.ts";

const root = mkdtempSync(join(tmpdir(), "braints-redis-sweep-"));
let redis: RedisServer | undefined;
const workers: { child: ChildProcess; output: () => string }[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);

afterAll(async () => {
  stopWorkers();
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/** `braints worker` in a process group of its own (its trials' child processes join it). */
function startWorker(url: string): { child: ChildProcess; output: () => string } {
  const args = [
    "--import",
    "tsx",
    MAIN,
    "worker",
    "--redis",
    url,
    "--concurrency",
    "1",
    "--lock-duration",
    "2000",
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const worker = { child, output: () => output };
  workers.push(worker);
  return worker;
}

const killGroup = (child: ChildProcess) => process.kill(-(child.pid as number), "SIGKILL");

/** Kills every worker still running. */
function stopWorkers(): void {
  for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) killGroup(child);
}

/** Runs `sweep` here as the reference, then queues it into `ROOT/NAME-queued` on the test's Redis. */
async function queueWithReference(name: string, sweep: unknown) {
  const url = (redis as RedisServer).url;
  const { file, local } = await localReference(root, name, sweep);
  const dir = join(root, `${name}-queued`);
  const queued = await braints(["sweep", file, "--out", dir, "--redis", url]);
  expect(queued.stderr).toBe("");
  return { url, file, local, dir, queued: queued.stdout };
}

/** Starts worker A and, once it has started a trial (the victim), worker B to take over. */
async function workerAndSpare(url: string) {
  const a = startWorker(url);
  const started = /trial (\d+) of \S+: started/;
  await waitFor(() => started.test(a.output()), 60_000, "worker A to start a trial");
  const victim = Number(started.exec(a.output())?.[1]);
  return { a, victim, b: startWorker(url) };
}

/** Whether process `pid` runs: it exists and is not a zombie (an orphan that init has not reaped yet). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false; // gone since
  }
  // The state follows the command name in parentheses, which may itself hold parentheses.
  return stat[stat.lastIndexOf(")") + 2] !== "Z";
};

describe("braints worker --redis", () => {
  it("resumes the trial of a worker killed mid-trial on another worker: every trial once, the local run's numbers", async () => {
    const { url, file, local, dir, queued } = await queueWithReference("sweep", SWEEP);
    expect(queued).toContain("4 trials queued");
    const again = await braints(["sweep", file, "--out", dir, "--redis", url]);
    expect(again.stdout).toContain("0 trials queued, 4 already in the queue");
    const queue = new Queue("braints-sweep-trials", { connection: { url } });
    try {
      expect(await queue.getJobCounts("waiting", "active", "completed", "failed")).toEqual({
        waiting: 4,
        active: 0,
        completed: 0,
        failed: 0,
      });

      const { a, b, victim } = await workerAndSpare(url);
      // Worker A's trial process, held (stopped) between its first checkpoint and its end.
      const pid = await midTrial(dir, victim);
      const lock = join(dir, "trials", `${trialIds(dir)[victim]}.lock`);
      expect((JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid, "the lock's holder").toBe(pid);
      killGroup(a.child);
      await waitFor(() => !alive(pid), 10_000, `the trial's process ${pid} to die with its worker`);

      const done = () => existsSync(join(dir, "results.jsonl")) && resultLines(dir).length === 4;
      await waitFor(done, 240_000, "every trial done").catch((e: Error) => {
        throw new Error(`${e.message}\nworker B:\n${b.output()}\nworker A:\n${a.output()}`);
      });
      expect(b.output()).toMatch(/its worker stopped answering; back in the queue/);
      // The killed trial was resumed from its checkpoint, the others trained in one go.
      expect([0, 1, 2, 3].map((i) => startEpochs(dir, i).length)).toEqual(
        [0, 1, 2, 3].map((i) => (i === victim ? 2 : 1)),
      );
      // The last job is marked completed just after its trial's result is written.
      const counts = () => queue.getJobCounts("waiting", "active", "completed", "failed");
      for (let i = 0; i < 100 && ((await counts()).completed ?? 0) < 4; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await counts()).toEqual({ waiting: 0, active: 0, completed: 4, failed: 0 });
    } finally {
      await queue.close();
    }
    expectLocalNumbers(dir, local);
    const status = await braints(["sweep", "status", dir]);
    expect(status.stdout).toContain("4 trials: 4 done, 0 running, 0 pending, 0 failed");
  }, 600_000);

  it("runs fit trials: one whose worker is killed mid-fit starts again on another, every trial once, the local run's numbers", async () => {
    // The workers of other tests would take these trials: this test starts its own.
    stopWorkers();
    const { url, local, dir, queued } = await queueWithReference("fits", FIT_SWEEP);
    expect(queued).toContain("2 trials queued");
    const { a, b, victim } = await workerAndSpare(url);
    // Fitting, its worker held (stopped): its config is written, its history (written at the end) is not.
    const { run } = await holdWorker(dir, (w) => existsSync(join(w.run, "config.json")), "its fit to start", {
      index: victim,
    });
    expect(existsSync(join(run, "history.jsonl")), "a history before the fit ends").toBe(false);
    killGroup(a.child);
    await waitFor(
      () => existsSync(join(dir, "results.jsonl")) && resultLines(dir).length === 2,
      240_000,
      "both fits done",
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nworker B:\n${b.output()}\nworker A:\n${a.output()}`);
    });
    expect(b.output()).toMatch(/its worker stopped answering; back in the queue/);
    expect(b.output()).toContain(`trial ${victim} of ${dir}: started (attempt 2)`);
    expectLocalNumbers(dir, local);
  }, 600_000);

  it("says which Redis it cannot reach", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const worker = await braints(["worker", "--redis", url]);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain(
      `braints: worker --redis: cannot reach Redis at ${url}: connect ECONNREFUSED`,
    );
    const file = join(root, "unreachable.json");
    writeFileSync(file, JSON.stringify(SWEEP));
    const queued = await braints(["sweep", file, "--out", join(root, "nowhere"), "--redis", url]);
    expect(queued.code).toBe(1);
    expect(queued.stderr).toContain(
      `braints: sweep --redis: cannot reach Redis at ${url}: connect ECONNREFUSED`,
    );
  });
});
