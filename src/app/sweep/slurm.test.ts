import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { arrayRanges, slurmScript } from "./slurm.ts";

describe("arrayRanges", () => {
  it("writes runs of consecutive indices as ranges and the rest one by one", () => {
    expect(arrayRanges([0, 1, 2, 5, 7, 8])).toBe("0-2,5,7-8");
    expect(arrayRanges([3])).toBe("3");
    expect(arrayRanges([0, 2, 4])).toBe("0,2,4");
  });
});

describe("slurmScript", () => {
  it("runs trial $SLURM_ARRAY_TASK_ID of its sweep as its array task, every word intact through bash, with the task's CPUs as kernel threads", () => {
    const dir = mkdtempSync(join(tmpdir(), "braints-slurm-script-"));
    try {
      const sweep = join(dir, "it's a $weep");
      const script = join(dir, "sweep.sbatch");
      // printf stands in for braints: it prints each argument it gets on a line of its own.
      writeFileSync(script, slurmScript(sweep, ["printf", "%s\\n"]));
      const env = { ...process.env, SLURM_ARRAY_JOB_ID: "42", SLURM_ARRAY_TASK_ID: "3" };
      const argv = execFileSync("bash", [script], { env, encoding: "utf8" }).split("\n").slice(0, -1);
      expect(argv).toEqual(["sweep", "run-trial", sweep, "3", "--owner", "slurm:42_3"]);
      expect(slurmScript(sweep, ["node"])).toContain("#SBATCH --requeue\n");
      // The kernels get the task's CPUs: one unless the job asked for more per task.
      writeFileSync(script, slurmScript(sweep, ["bash", "-c", 'echo "$BRAINTS_THREADS"', "braints"]));
      expect(execFileSync("bash", [script], { env, encoding: "utf8" })).toBe("1\n");
      const four = { ...env, SLURM_CPUS_PER_TASK: "4" };
      expect(execFileSync("bash", [script], { env: four, encoding: "utf8" })).toBe("4\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
