/**
 * The cluster ways of running a planned sweep, as `braints sweep FILE --out DIR` calls them:
 * `--slurm` submits a Slurm job array, `--redis URL` puts the trials in a queue for `braints worker`.
 * The app modules load only when asked for, so that the command starts fast.
 */
/** How the nodes start this very `braints`: the same Node, Node flags and entry script as this process. */
export const selfCommand = (): string[] => [process.execPath, ...process.execArgv, process.argv[1] as string];

/** Submits the trials of the sweep in `dir` not yet done as a Slurm job array, and says what it did. */
export async function submitToSlurm(dir: string, sbatchArgs: readonly string[]): Promise<void> {
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
export async function queueInRedis(dir: string, url: string): Promise<void> {
  const { enqueueSweep } = await import("../../app/sweep/redisQueue.ts");
  const { queued, alreadyQueued, done } = await enqueueSweep(dir, url);
  console.log(
    `${dir}: ${queued.length} trials queued, ${alreadyQueued.length} already in the queue, ${done.length} done, on ${url}; ` +
      `run braints worker --redis ${url} on each machine and follow them with braints sweep status ${dir}`,
  );
}
