/**
 * Peak memory of one workload's training steps, measured in a fresh process so nothing else the
 * benchmark ran counts: `npx tsx bench/memory.ts W3-T2000 [steps]` prints `{ workload, maxRssMB }`.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TRAINING_WORKLOADS } from "./workloads.ts";

/** Runs `steps` steps of the named workload in a child process and returns its peak RSS in MB. */
export function peakMemoryMB(workload: string, steps = 3): number {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), workload, String(steps)],
    {
      encoding: "utf8",
    },
  );
  return (JSON.parse(out.trim().split("\n").at(-1) as string) as { maxRssMB: number }).maxRssMB;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name = "W3-T2000", steps = "3"] = process.argv.slice(2);
  const w = TRAINING_WORKLOADS.find((x) => x.name === name);
  if (!w)
    throw new Error(
      `bench/memory: unknown workload ${name}; one of ${TRAINING_WORKLOADS.map((x) => x.name).join(", ")}`,
    );
  const step = w.make();
  for (let i = 0; i < Number(steps); i++) step();
  // resourceUsage().maxRSS is in kilobytes.
  console.log(
    JSON.stringify({ workload: name, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }),
  );
}
