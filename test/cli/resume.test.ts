import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TINY, braints, start, waitFor } from "./braints.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-cli-resume-"));

/** Long enough (dozens of epochs) that a kill after the first checkpoint lands mid-training. */
const JOB = [
  "--hidden",
  "16",
  "--epochs",
  "40",
  "--steps-per-epoch",
  "10",
  "--eval-trials",
  "512",
  "--no-report",
];

const losses = (run: string) =>
  readFileSync(join(run, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { losses: number[] }).losses);

const temporaries = (run: string) =>
  [run, join(run, "checkpoints")].flatMap((d) => readdirSync(d).filter((n) => n.endsWith(".tmp")));

describe("crash and resume", () => {
  it("a run killed with SIGKILL resumes from its last checkpoint and reproduces the uninterrupted loss history", async () => {
    const reference = join(dir, "reference");
    const crashed = join(dir, "crashed");
    const uninterrupted = braints(["train", ...JOB, "--out", reference]);
    const { child, done } = start(["train", ...JOB, "--out", crashed]);
    const first = join(crashed, "checkpoints", "epoch-0001.safetensors");
    await waitFor(() => existsSync(first), 90_000, first);
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(join(crashed, "model.safetensors"))).toBe(false);

    const resumed = await braints(["train", "--resume", crashed, "--no-report"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from .*epoch-\d{4}\.safetensors/);
    expect((await uninterrupted).code).toBe(0);
    const expected = losses(reference);
    expect(expected).toHaveLength(40);
    expect(losses(crashed)).toEqual(expected);
    expect(temporaries(crashed)).toEqual([]);
  });

  it("refuses a truncated or corrupted checkpoint with a clear message", async () => {
    const run = join(dir, "damaged");
    expect((await braints(["train", ...TINY, "--no-report", "--out", run])).code).toBe(0);
    const last = join(run, "checkpoints", "epoch-0002.safetensors");
    const bytes = readFileSync(last);

    writeFileSync(last, bytes.subarray(0, bytes.length - 100));
    const truncated = await braints(["train", "--resume", run]);
    expect(truncated.code).not.toBe(0);
    expect(truncated.stderr).toMatch(/epoch-0002\.safetensors: .*truncated/);

    const flipped = Buffer.from(bytes);
    const at = flipped.length - 10;
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0xff, at);
    writeFileSync(last, flipped);
    const corrupted = await braints(["train", "--resume", run]);
    expect(corrupted.code).not.toBe(0);
    expect(corrupted.stderr).toMatch(/epoch-0002\.safetensors: the file is corrupted/);
  });
});
