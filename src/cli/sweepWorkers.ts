/**
 * A sweep on this machine: trials run in parallel worker processes, each `braints sweep run-trial`
 * with single-threaded kernels. The workers stay in the sweep's process group (a Ctrl-C or a
 * `kill -9 -PGID` reaches them all) and stop by themselves when the sweep process is gone (one
 * started just before it died leaves its trial untouched; one training stops at its next update),
 * so killing only the sweep stops them too; rerunning the sweep resumes.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** The environment variable a local sweep sets on its workers: its pid, so they stop when it dies. */
export const SWEEP_PARENT = "BRAINTS_SWEEP_PARENT";

/** How a worker ended: `ok` (finished or already done), `busy` (another process holds the trial), `failed`, `killed`. */
export type WorkerEnd =
  | { readonly index: number; readonly end: "ok" | "busy" }
  | { readonly index: number; readonly end: "failed"; readonly message: string }
  | { readonly index: number; readonly end: "killed"; readonly signal: string };

/** Exit code of `run-trial` when another live process holds the trial's lock (EX_TEMPFAIL). */
export const BUSY_EXIT = 75;

/**
 * Runs trial `index` of the sweep in `dir` as `braints sweep run-trial` (this command's own entry
 * point, as `owner` when given) in a child process kept in `children` while it runs.
 */
export function runWorker(
  dir: string,
  index: number,
  children: Set<ChildProcess>,
  owner?: string,
): Promise<WorkerEnd> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      process.argv[1] as string,
      ...["sweep", "run-trial", dir, String(index)],
      ...(owner === undefined ? [] : ["--owner", owner]),
    ],
    {
      env: { ...process.env, BRAINTS_THREADS: "1", [SWEEP_PARENT]: String(process.pid) },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      children.delete(child);
      if (signal) return resolve({ index, end: "killed", signal });
      if (code === 0) return resolve({ index, end: "ok" });
      if (code === BUSY_EXIT) return resolve({ index, end: "busy" });
      const message =
        stderr
          .trim()
          .split("\n")
          .at(-1)
          ?.replace(/^braints: /, "") ?? `exit code ${code}`;
      resolve({ index, end: "failed", message });
    }),
  );
}

/**
 * Runs the trials `indices` of the sweep in `dir` with at most `workers` worker processes at once,
 * calling `onEnd` as each ends. A worker killed by a signal has its trial run once more (it resumes
 * from its checkpoint): `onEnd`'s `again` says so; a trial whose worker is killed a second time is
 * left for the next run of the sweep. On SIGINT or SIGTERM the workers are stopped and
 * `onInterrupt` is called instead of resolving.
 */
export function runWorkers(
  dir: string,
  indices: readonly number[],
  workers: number,
  onEnd: (end: WorkerEnd, again: boolean) => void,
  onInterrupt: () => void,
): Promise<void> {
  const queue = [...indices];
  const retried = new Set<number>();
  const children = new Set<ChildProcess>();
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    for (const child of children) child.kill("SIGKILL");
    onInterrupt();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const worker = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined && !interrupted; index = queue.shift()) {
      const end = await runWorker(dir, index, children);
      if (interrupted) return;
      const again = end.end === "killed" && !retried.has(index);
      if (again) {
        retried.add(index);
        queue.push(index);
      }
      onEnd(end, again);
    }
  };
  return Promise.all(Array.from({ length: Math.min(workers, queue.length) }, worker)).then(() => {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  });
}
