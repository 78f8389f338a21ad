import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectTrialLock } from "./trialLock.ts";

/** The state letter of process `pid` (Linux), or undefined when it is gone. */
function state(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2];
  } catch {
    return undefined;
  }
}

const lockOf = (dir: string, name: string, pid: number) => {
  const file = join(dir, `${name}.lock`);
  writeFileSync(file, JSON.stringify({ owner: `${hostname()}:${pid}`, host: hostname(), pid, since: "" }));
  return file;
};

describe("trial locks", () => {
  it.skipIf(!existsSync("/proc/self/stat"))(
    "are stale when their holder on this host has exited but is not reaped yet (a zombie), held while it runs",
    async () => {
      // `sleep 0` exits at once; its parent, exec'd into `sleep 30`, never reaps it: a zombie.
      const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], {
        stdio: ["ignore", "pipe", "ignore"],
      });
      try {
        const zombie = await new Promise<number>((resolve) =>
          parent.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
        );
        for (let i = 0; i < 400 && state(zombie) !== "Z"; i++) await new Promise((r) => setTimeout(r, 25));
        expect(state(zombie)).toBe("Z");
        // kill(pid, 0) still succeeds on a zombie: the lock must not rest on it alone.
        expect(() => process.kill(zombie, 0)).not.toThrow();
        const dir = mkdtempSync(join(tmpdir(), "braints-lock-"));
        expect(inspectTrialLock(lockOf(dir, "zombie", zombie), 600_000)?.stale).toBe(true);
        expect(inspectTrialLock(lockOf(dir, "running", parent.pid as number), 600_000)?.stale).toBe(false);
      } finally {
        parent.kill();
      }
    },
    30_000,
  );
});
