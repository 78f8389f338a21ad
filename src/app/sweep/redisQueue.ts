/**
 * Running a sweep on machines without a scheduler: its trials go into a Redis-backed queue
 * (BullMQ), and `braints worker --redis URL` on each machine takes trials and runs them. The sweep
 * directory must be on a file system every worker sees; it stays the record.
 *
 * A trial is one job whose id is made from the trial's id and its sweep directory, so queueing a
 * sweep twice adds nothing twice. A worker holds a lock on each job it runs and renews it while
 * the trial trains; a worker that dies (killed, its machine gone) stops renewing, and after the
 * lock duration another worker's stalled-job check puts the job back in the queue, where a worker
 * takes it and resumes the trial from its checkpoint (`runSweepTrial` is idempotent).
 */
import { resolve } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { EventEmitter } from "node:events";
import type { Job } from "bullmq";
import { readTrialResult } from "./results.ts";
import { readSweepPlan } from "./sweepDir.ts";
import { SweepClusterError } from "./sweepClusterError.ts";

/** The queue every sweep's trials go into: one `braints worker` serves every sweep. */
export const SWEEP_QUEUE = "braints-sweep-trials";

/** What a trial's job carries: where its sweep is and which trial it is. */
export interface TrialJob {
  /** The sweep directory, absolute (as every worker must see it). */
  readonly sweepDir: string;
  /** The trial's index in the plan. */
  readonly index: number;
  /** The trial's id (its directory name under `trials/`). */
  readonly trialId: string;
}

/** What {@link enqueueSweep} did with each trial, by index. */
export interface EnqueueOutcome {
  /** Trials put in the queue now (new, or their earlier job had completed or failed). */
  readonly queued: readonly number[];
  /** Trials whose job was already waiting, delayed or running. */
  readonly alreadyQueued: readonly number[];
  /** Trials already done: not queued. */
  readonly done: readonly number[];
}

/**
 * The job id of a trial: `<trial id>-<12 hex digits of the SHA-256 of the absolute sweep
 * directory>`, so the same trial of the same sweep is one job however often it is queued, and two
 * sweeps with the same trials in different directories are different jobs.
 */
export function trialJobId(sweepDir: string, trialId: string): string {
  return `${trialId}-${bytesToHex(sha256(utf8ToBytes(resolve(sweepDir)))).slice(0, 12)}`;
}

/** What {@link reachable} needs of a BullMQ queue or worker. */
type RedisClient = Pick<EventEmitter, "on" | "off"> & { waitUntilReady(): Promise<unknown> };

/**
 * Resolves once `client`'s Redis connection is up; throws naming `url` at the first connection
 * error (ioredis would retry forever) or after `timeoutMs`.
 */
async function reachable(client: RedisClient, url: string, where: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((error: Error) => void) | undefined;
  const fail = (why: string) =>
    new SweepClusterError(
      `${where}: cannot reach Redis at ${url}: ${why}; is redis-server running there, and the URL redis://host:port?`,
    );
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    // Left on after a failure: it also keeps the retries' errors quiet while the client closes.
    onError = (error) => reject(fail(error.message));
    client.on("error", onError);
  });
  try {
    await Promise.race([client.waitUntilReady(), failure]);
  } finally {
    clearTimeout(timer);
  }
  if (onError) client.off("error", onError);
}

/** Job states in which a trial's job is still to run or running. */
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/**
 * Puts the trials of the sweep in `sweepDir` that are not done into the queue at `url`: a trial
 * whose job is waiting or running is left alone, one whose job completed or failed earlier (a
 * failure, or a sweep directory made anew) gets a new job.
 * @param url the Redis server, `redis://host:port` (or `rediss://`, with user and password if needed)
 * @throws SweepClusterError when Redis cannot be reached within `timeoutMs`; SweepDirectoryError when `sweepDir` is not a sweep
 * @example (await enqueueSweep("sweeps/tau", "redis://10.0.0.5:6379")).queued.length // 12
 */
export async function enqueueSweep(
  sweepDir: string,
  url: string,
  timeoutMs = 10_000,
): Promise<EnqueueOutcome> {
  const plan = readSweepPlan(sweepDir);
  const { Queue } = await import("bullmq");
  // Commands fail after ioredis's retries (rather than wait for Redis forever, as a worker does).
  const queue = new Queue<TrialJob>(SWEEP_QUEUE, { connection: { url } });
  const outcome = { queued: [] as number[], alreadyQueued: [] as number[], done: [] as number[] };
  try {
    await reachable(queue, url, "sweep --redis", timeoutMs);
    const dir = resolve(sweepDir);
    for (const trial of plan.trials) {
      if (readTrialResult(sweepDir, trial) !== undefined) {
        outcome.done.push(trial.index);
        continue;
      }
      const jobId = trialJobId(dir, trial.id);
      const earlier = await queue.getJob(jobId);
      if (earlier !== undefined) {
        if (LIVE_STATES.has(await earlier.getState())) {
          outcome.alreadyQueued.push(trial.index);
          continue;
        }
        await earlier.remove();
      }
      await queue.add("trial", { sweepDir: dir, index: trial.index, trialId: trial.id }, { jobId });
      outcome.queued.push(trial.index);
    }
  } finally {
    await queue.close();
  }
  return outcome;
}

/** How a worker ran a trial: it is done now, or another live process holds it (try again later). */
export type TrialRunOutcome = "finished" | "busy";

/** What a worker reports as it goes. */
export type SweepWorkerEvent =
  | { readonly type: "started"; readonly job: TrialJob; readonly jobId: string; readonly attempt: number }
  | { readonly type: "finished"; readonly job: TrialJob; readonly jobId: string }
  | { readonly type: "busy"; readonly job: TrialJob; readonly jobId: string; readonly retryInMs: number }
  | {
      readonly type: "failed";
      readonly job: TrialJob | undefined;
      readonly jobId: string | undefined;
      readonly error: string;
    }
  | { readonly type: "stalled"; readonly jobId: string }
  | { readonly type: "error"; readonly error: string };

/** Options of {@link startSweepWorker}. */
export interface SweepWorkerOptions {
  /** Trials run at once (each trial's kernels single-threaded: one per core is the usual choice). */
  readonly concurrency: number;
  /**
   * How long a job stays claimed without its worker renewing the lock (ms): a dead worker's trial
   * goes back into the queue after about this long (plus up to as long again until the next
   * stalled-job check). Default 30 s.
   */
  readonly lockDurationMs?: number;
  /**
   * Runs a trial to its end, in another process so that the worker keeps renewing its locks.
   * `owner` (`bull:<job id>`) is the trial lock's owner: the same for every attempt of the job,
   * so a new attempt takes over the lock a killed one left. Rejects when the trial fails.
   */
  readonly runTrial: (job: TrialJob, owner: string) => Promise<TrialRunOutcome>;
  /** Progress, for the command to print. */
  readonly onEvent?: (event: SweepWorkerEvent) => void;
  /** How long to wait for Redis before giving up (ms, default 10 s). */
  readonly connectTimeoutMs?: number;
}

/** A running worker. */
export interface SweepWorker {
  /** Stops taking trials and disconnects; trials still running are left to the stalled-job check. */
  close(): Promise<void>;
}

/**
 * A stalled job goes back to the queue up to this many times before BullMQ fails it: a trial can
 * lose this many workers (preempted machines, kills) and still finish.
 */
const MAX_STALLED = 20;

/**
 * Starts a worker on the queue at `url`: it takes trials' jobs, `concurrency` at a time, runs each
 * with `runTrial`, and marks the job completed when it is done, failed when `runTrial` rejects, and
 * delays it by one lock duration when another process holds the trial.
 * @throws SweepClusterError when Redis cannot be reached within `connectTimeoutMs`
 */
export async function startSweepWorker(url: string, options: SweepWorkerOptions): Promise<SweepWorker> {
  const { DelayedError, Worker } = await import("bullmq");
  const lockDuration = options.lockDurationMs ?? 30_000;
  const emit = options.onEvent ?? (() => undefined);
  const processor = async (job: Job<TrialJob>, token?: string): Promise<void> => {
    const jobId = job.id as string;
    emit({ type: "started", job: job.data, jobId, attempt: job.attemptsStarted });
    if ((await options.runTrial(job.data, `bull:${jobId}`)) === "busy") {
      emit({ type: "busy", job: job.data, jobId, retryInMs: lockDuration });
      await job.moveToDelayed(Date.now() + lockDuration, token);
      throw new DelayedError();
    }
    emit({ type: "finished", job: job.data, jobId });
  };
  const worker = new Worker<TrialJob>(SWEEP_QUEUE, processor, {
    // ioredis options: commands wait for a reconnect however long Redis is away, as BullMQ asks of workers.
    connection: { url, maxRetriesPerRequest: null },
    concurrency: options.concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: MAX_STALLED,
    autorun: false,
  });
  worker.on("failed", (job, error) =>
    emit({ type: "failed", job: job?.data, jobId: job?.id, error: error.message }),
  );
  worker.on("stalled", (jobId) => emit({ type: "stalled", jobId }));
  try {
    await reachable(worker, url, "worker --redis", options.connectTimeoutMs ?? 10_000);
  } catch (e) {
    await worker.close(true);
    throw e;
  }
  // Connection trouble later: BullMQ reconnects by itself (an "error" event without a listener would throw).
  worker.on("error", (error) => emit({ type: "error", error: error.message }));
  // run() resolves when the worker closes; errors while running reach the "error" event.
  void worker.run();
  return { close: () => worker.close(true) };
}
