/**
 * Ctrl-C during `braints train`: the command restores the terminal, says which step training
 * reached and prints the exact command that continues the run; the run continues with it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAIN, braints, metricLines, start, waitFor } from "./braints.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-cli-interrupt-"));

/** Long enough that an interrupt after the first checkpoint lands mid-training. */
const JOB = [
  "--hidden",
  "16",
  "--epochs",
  "30",
  "--steps-per-epoch",
  "10",
  "--eval-trials",
  "64",
  "--no-report",
];

const epochsOf = (run: string) => metricLines(run).map((line) => line.epoch);

/** The message after an interrupt, parsed: the step reached, the checkpoint's epoch and the command. */
const INTERRUPTED =
  /interrupted at step (\d+) of 300 in (\S+); the last checkpoint is after epoch (\d+) \(step (\d+)\)\. Continue with:\r?\n {2}(braints train --resume \S+)/;

describe("Ctrl-C during train", () => {
  it("prints the step reached and the --resume command, stops training, and that command continues the run", async () => {
    const run = join(dir, "piped");
    const { child, done } = start(["train", ...JOB, "--out", run]);
    await waitFor(() => existsSync(join(run, "checkpoints", "epoch-0001.safetensors")), 90_000, "epoch 1");
    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(130);
    const m = INTERRUPTED.exec(result.stderr);
    expect(m, result.stderr).not.toBeNull();
    const [, step, where, epoch, checkpointStep, command] = m as unknown as string[];
    expect(where).toBe(run);
    expect(Number(epoch)).toBeGreaterThanOrEqual(1);
    expect(Number(checkpointStep)).toBe(Number(epoch) * 10);
    expect(Number(step)).toBeGreaterThanOrEqual(Number(checkpointStep));
    expect(command).toBe(`braints train --resume ${run}`);
    // Training stopped with the command: no epoch is written after it exited.
    const after = epochsOf(run).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(epochsOf(run)).toHaveLength(after);
    expect(existsSync(join(run, "model.safetensors"))).toBe(false);

    const resumed = await braints((command as string).split(" ").slice(1));
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(epochsOf(run)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  }, 240_000);

  it("in a terminal, Ctrl-C turns line wrapping back on after the progress bar turned it off", async () => {
    const run = join(dir, "terminal");
    // `script` runs the command on a pseudo-terminal; a 0x03 byte on its input is a real Ctrl-C there.
    const command = [process.execPath, "--import", "tsx", MAIN, "train", ...JOB, "--out", run].join(" ");
    const child: ChildProcess = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    const code = new Promise<number | null>((resolve) => child.on("close", resolve));
    await waitFor(
      () => existsSync(join(run, "checkpoints", "epoch-0001.safetensors")) && output.includes("step "),
      90_000,
      "the progress bar and epoch 1",
    );
    child.stdin?.write("\x03");
    expect(await code).toBe(130);
    const off = output.lastIndexOf("\x1b[?7l");
    expect(off).toBeGreaterThanOrEqual(0);
    expect(output.indexOf("\x1b[?7h", off)).toBeGreaterThan(off);
    expect(output).toMatch(INTERRUPTED);
  }, 240_000);
});
