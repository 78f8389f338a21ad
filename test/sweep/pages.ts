/** What the sweep tests read besides the sweep directory: processes and report sections. */
import { readFileSync, readdirSync } from "node:fs";
import { expect } from "vitest";

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The running workers of the sweep in `dir`: processes `braints sweep run-trial DIR INDEX`, whether
 * or not they hold a trial's lock yet, with the trial each runs. Linux (reads /proc); an exited
 * process not yet reaped (a zombie) has no command line, so it is not listed.
 */
export function trialWorkerList(dir: string): { pid: number; index: number }[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      let args: string[];
      try {
        args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      } catch {
        return []; // gone since
      }
      const at = args.indexOf("run-trial");
      return at > 0 && args[at - 1] === "sweep" && args[at + 1] === dir
        ? [{ pid: Number(pid), index: Number(args[at + 2]) }]
        : [];
    });
}

/** The pids of {@link trialWorkerList}. */
export const trialWorkers = (dir: string): number[] => trialWorkerList(dir).map((w) => w.pid);

/** The inline SVG of the sweep report's figure section `id` (failing the test when it is missing). */
export function figure(html: string, id: string): string {
  const m = new RegExp(`<section class="figure" id="${id}">(.*?)</section>`, "s").exec(html);
  expect(m, `figure ${id}`).not.toBeNull();
  return (m as RegExpExecArray)[1] as string;
}
