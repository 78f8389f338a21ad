import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TINY, braints, metricLines, start, waitFor } from "./braints.ts";

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

const losses = (run: string) => metricLines(run).map((line) => line.losses);

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

  it("passes over a torn or corrupted last checkpoint, says so, and resumes from the newest valid one", async () => {
    const run = join(dir, "damaged");
    expect((await braints(["train", ...TINY, "--no-report", "--out", run])).code).toBe(0);
    const expected = losses(run);
    const [first, last] = ["epoch-0001", "epoch-0002"].map((e) =>
      join(run, "checkpoints", `${e}.safetensors`),
    );
    const bytes = readFileSync(last as string);

    writeFileSync(last as string, bytes.subarray(0, bytes.length - 100));
    const truncated = await braints(["train", "--resume", run, "--no-report"]);
    expect(truncated.code).toBe(0);
    expect(truncated.stderr).toMatch(
      /^warning: .*epoch-0002\.safetensors: .*truncated.*; resuming from .*epoch-0001\.safetensors, the newest valid checkpoint \(epoch 1\)/,
    );
    expect(truncated.stdout).toMatch(/resumed from .*epoch-0001\.safetensors/);
    // Epoch 2 is trained again, with the numbers of the first time, and its checkpoint rewritten whole.
    expect(losses(run)).toEqual(expected);
    expect(readFileSync(last as string)).toEqual(bytes);

    const flipped = Buffer.from(bytes);
    const at = flipped.length - 10;
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0xff, at);
    writeFileSync(last as string, flipped);
    const corrupted = await braints(["train", "--resume", run, "--no-report"]);
    expect(corrupted.code).toBe(0);
    expect(corrupted.stderr).toMatch(
      /epoch-0002\.safetensors: the file is corrupted.*; resuming from .*epoch-0001/,
    );

    // With no readable checkpoint left, resuming is refused, naming each.
    writeFileSync(first as string, bytes.subarray(0, 50));
    writeFileSync(last as string, flipped);
    const none = await braints(["train", "--resume", run]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(
      /no checkpoint of .* can be read: .*epoch-0002\.safetensors: .*; .*epoch-0001\.safetensors: /,
    );
  });
});
