/**
 * `braints worker --redis URL`: takes trials of sweeps queued with `braints sweep FILE --redis URL`
 * and runs each as `braints sweep run-trial DIR INDEX` in a child process, until stopped. Run one on
 * every machine that sees the sweep directories.
 */
import type { ChildProcess } from "node:child_process";
import { availableParallelism, hostname } from "node:os";
import { Command } from "commander";
import type { SweepWorkerEvent, TrialJob, TrialRunOutcome } from "../../app/sweep/redisQueue.ts";
import { integer } from "../parse.ts";
import { runWorker } from "../sweepWorkers.ts";

/**
 * Runs trial `job` in a child process (`braints sweep run-trial` with single-threaded kernels, which
 * stops by itself when this worker is gone); rejects when the trial fails or the child is killed.
 */
async function runTrial(job: TrialJob, owner: string, children: Set<ChildProcess>): Promise<TrialRunOutcome> {
  const end = await runWorker(job.sweepDir, job.index, children, owner);
  switch (end.end) {
    case "ok":
      return "finished";
    case "busy":
      return "busy";
    case "failed":
      throw new Error(end.message);
    case "killed":
      throw new Error(`braints sweep run-trial ${job.sweepDir} ${job.index} was killed by ${end.signal}`);
  }
}

function describe(event: SweepWorkerEvent): string {
  const trial = (job: TrialJob | undefined) => (job ? `trial ${job.index} of ${job.sweepDir}` : "a trial");
  switch (event.type) {
    case "started":
      return `${trial(event.job)}: started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`;
    case "finished":
      return `${trial(event.job)}: done`;
    case "busy":
      return `${trial(event.job)}: another process runs it; back in the queue in ${event.retryInMs / 1000} s`;
    case "failed":
      return `${trial(event.job)}: failed: ${event.error}`;
    case "stalled":
      return `job ${event.jobId}: its worker stopped answering; back in the queue`;
    case "error":
      return `redis: ${event.error}`;
  }
}

/** The `worker` command. */
export function workerCommand(): Command {
  return new Command("worker")
    .description(
      "run trials of sweeps queued with braints sweep FILE --redis URL, until stopped (Ctrl-C); each trial's kernels single-threaded",
    )
    .requiredOption("--redis <url>", "the Redis server holding the queue, redis://host:port")
    .option(
      "--concurrency <n>",
      "trials run at once (default: the number of cores)",
      integer("--concurrency", 1),
      availableParallelism(),
    )
    .option(
      "--lock-duration <ms>",
      "a trial whose worker stopped answering for this long goes back into the queue",
      integer("--lock-duration", 1000),
      30_000,
    )
    .action(async (options: { redis: string; concurrency: number; lockDuration: number }) => {
      const { startSweepWorker } = await import("../../app/sweep/redisQueue.ts");
      const children = new Set<ChildProcess>();
      await startSweepWorker(options.redis, {
        concurrency: options.concurrency,
        lockDurationMs: options.lockDuration,
        runTrial: (job, owner) => runTrial(job, owner, children),
        onEvent: (event) => console.log(describe(event)),
      });
      console.log(
        `worker ${hostname()}:${process.pid} on ${options.redis}: up to ${options.concurrency} trials at once; Ctrl-C to stop`,
      );
      // Stopping is a crash on purpose: the trials' jobs stay claimed until their locks expire, then
      // another worker resumes them from their checkpoints. Marking them failed would need a re-queue.
      const stop = (signal: NodeJS.Signals) => {
        for (const child of children) child.kill("SIGKILL");
        process.exit(signal === "SIGINT" ? 130 : 143);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
