/**
 * The cluster ways of running a sweep, as `braints sweep FILE` offers them: `--slurm` submits a
 * Slurm job array (sbatch options after `--`), `--redis URL` puts the trials into a queue that
 * `braints worker` serves. The app modules load only when asked for, so that the command starts fast.
 */
import { ValueError } from "../../base/errors.ts";

/** How the nodes start this very `braints`: the same Node, Node flags and entry script as this process. */
const selfCommand = (): string[] => [process.execPath, ...process.execArgv, process.argv[1] as string];

/** Submits the trials of the sweep in `dir` not yet done as a Slurm job array, and says what it did. */
async function submitToSlurm(dir: string, sbatchArgs: readonly string[]): Promise<void> {
  const { arrayRanges, submitSlurmSweep } = await import("../../app/sweep/slurm.ts");
  const submission = submitSlurmSweep(dir, { command: selfCommand(), sbatchArgs });
  if (submission === undefined) {
    console.log(`${dir}: every trial is done; nothing submitted`);
    return;
  }
  const { jobId, indices, script } = submission;
  console.log(
    `${dir}: ${indices.length} trials submitted as Slurm job ${jobId} (array ${arrayRanges(indices)}, script ${script}); follow them with braints sweep status ${dir}`,
  );
}

/** Puts the trials of the sweep in `dir` not yet done into the Redis queue at `url`, and says what it did. */
async function queueInRedis(dir: string, url: string): Promise<void> {
  const { enqueueSweep } = await import("../../app/sweep/redisQueue.ts");
  const { queued, alreadyQueued, done } = await enqueueSweep(dir, url);
  console.log(
    `${dir}: ${queued.length} trials queued, ${alreadyQueued.length} already in the queue, ${done.length} done, on ${url}; ` +
      `run braints worker --redis ${url} on each machine and follow them with braints sweep status ${dir}`,
  );
}

/** The cluster options of `braints sweep FILE`. */
export interface ClusterOptions {
  readonly slurm?: boolean;
  readonly redis?: string;
  readonly workers?: number;
}

/**
 * Where `braints sweep FILE` sends a planned sweep instead of running it here: the Slurm or Redis
 * back-end for the sweep directory, or undefined to run it here. Checked before anything is planned.
 * @param extra the operands after the sweep file: sbatch options (given after `--`)
 * @throws ValueError for `--slurm` with `--redis`, `--workers` with either, or extra operands without `--slurm`
 */
export function clusterBackend(
  options: ClusterOptions,
  extra: readonly string[],
): ((dir: string) => Promise<void>) | undefined {
  if (options.slurm && options.redis !== undefined) {
    throw new ValueError("--slurm and --redis: choose one way to run the sweep, got both");
  }
  const backend = options.slurm ? "--slurm" : options.redis !== undefined ? "--redis" : undefined;
  if (backend !== undefined && options.workers !== undefined) {
    throw new ValueError(
      `--workers: sets the worker processes of a sweep run here, not with ${backend} (use sbatch options or braints worker --concurrency)`,
    );
  }
  if (!options.slurm && extra.length > 0) {
    throw new ValueError(
      `only --slurm takes more arguments (sbatch options, after --), got ${extra.map((a) => JSON.stringify(a)).join(" ")}`,
    );
  }
  if (options.slurm) return (dir) => submitToSlurm(dir, extra);
  const url = options.redis;
  return url === undefined ? undefined : (dir) => queueInRedis(dir, url);
}
