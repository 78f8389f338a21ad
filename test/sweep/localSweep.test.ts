/**
 * `braints sweep FILE` on this machine: workers in parallel; `kill -9` of the sweep stops its
 * workers and loses nothing finished, and running it again resumes with every trial counted once;
 * successive halving stops exactly the trials its rule says.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { braints, metricLines, start, waitFor } from "../cli/braints.ts";
import { type HeldWorker, holdWorker, resultLines as rows } from "../cluster/sweepResults.ts";
import { alive, trialWorkers } from "./pages.ts";

const root = mkdtempSync(join(tmpdir(), "braints-sweep-local-"));

const trialDirs = (dir: string) =>
  readdirSync(join(dir, "trials"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dir, "trials", d.name))
    .sort();

/** Writes sweep file `name`.yaml: 16 units trained 8 epochs of 10 updates, scored on 64 trials, and `rest`. */
function sweepFile(name: string, rest: readonly string[]): string {
  const file = join(root, `${name}.yaml`);
  const base = ["base:", "  model: { hidden: 16 }", "  training: { epochs: 8, stepsPerEpoch: 10 }"];
  writeFileSync(file, [...base, "  evaluation: { trials: 64 }", ...rest].join("\n"));
  return file;
}

/**
 * Holds (see `holdWorker`) a worker of the sweep in `dir` other than `not` once it holds its
 * trial's lock, and returns its pid.
 */
async function runningHolder(dir: string, not: readonly number[]): Promise<number> {
  const holdsLock = (w: HeldWorker) => {
    try {
      return (JSON.parse(readFileSync(`${w.run}.lock`, "utf8")) as { pid: number }).pid === w.pid;
    } catch {
      return false; // not yet created, or between its creation and its first write
    }
  };
  return (await holdWorker(dir, holdsLock, "it to hold its trial's lock", { not })).pid;
}

describe("braints sweep FILE", () => {
  it("after kill -9 of the sweep, its workers stop, and running it again (kill -9 of a worker too) finishes every trial once, resuming the interrupted", async () => {
    const file = sweepFile("kill", ["axes:", "  model.tauMs: [50, 200]", "seeds: 2"]);
    const dir = join(root, "kill");
    const { child, done } = start(["sweep", file, "--out", dir, "--workers", "2"]);
    // Kill once a trial is done and another is held (its worker stopped) between its first
    // checkpoint and its end; let go after the kill, it sees its parent gone at its next update.
    const checkpoint = (t: string, epoch: number) => join(t, "checkpoints", `epoch-000${epoch}.safetensors`);
    const interrupted = () =>
      trialDirs(dir).filter((t) => existsSync(checkpoint(t, 1)) && !existsSync(join(t, "result.json")));
    const finished = () => trialDirs(dir).filter((t) => existsSync(join(t, "result.json")));
    const held = await holdWorker(dir, (w) => existsSync(checkpoint(w.run, 1)), "its first checkpoint", {
      index: 1,
    });
    await waitFor(() => finished().length >= 1, 180_000, "one trial done");
    child.kill("SIGKILL");
    await done;
    // Every worker it started, a trial's lock held or not yet (one started just before the kill).
    const workerPids = trialWorkers(dir);
    expect(workerPids).toContain(held.pid);
    process.kill(held.pid, "SIGCONT");
    // Workers see their parent gone at their start or their next update.
    await waitFor(() => workerPids.every((pid) => !alive(pid)), 30_000, "the workers to stop");

    const before = new Map(finished().map((t) => [t, readFileSync(join(t, "result.json"), "utf8")]));
    const resumable = interrupted().map((t) => ({
      t,
      first: statSync(checkpoint(t, 1)).mtimeMs,
    }));
    expect(before.size).toBeGreaterThanOrEqual(1);
    expect(resumable.length).toBeGreaterThanOrEqual(1);

    // Running it again; this time one worker is killed as soon as it holds a trial.
    const rerun = start(["sweep", file, "--out", dir, "--workers", "2"]);
    // A lock held by a running worker, so one of this run (the killed sweep's workers are gone,
    // some leaving their locks behind); its trial has epochs left (the interrupted were caught early).
    const victim = await runningHolder(dir, []);
    process.kill(victim, "SIGKILL");
    const again = await rerun.done;
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `${dir}: 4 trials, ${before.size} done, 0 running elsewhere, ${4 - before.size} to run`,
    );
    expect(again.stdout).toMatch(/its worker was killed \(SIGKILL\); it resumes from its checkpoint/);
    expect(again.stdout).toContain("4 of 4 trials done");
    // Nothing finished was redone, nothing interrupted restarted, every trial counted once.
    for (const [t, result] of before) expect(readFileSync(join(t, "result.json"), "utf8")).toBe(result);
    for (const { t, first } of resumable) {
      expect(statSync(checkpoint(t, 1)).mtimeMs).toBe(first);
    }
    expect(rows(dir).map((r) => [r.index, r.epochs])).toEqual([0, 1, 2, 3].map((i) => [i, 8]));
    for (const t of trialDirs(dir))
      expect(metricLines(t).map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const csv = readFileSync(join(dir, "results.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(
      "index,id,model.tauMs,seed,epochs,stoppedEarly,objective:accuracy,trainLoss,accuracy,seconds",
    );
    expect(csv).toHaveLength(5);

    const third = await braints(["sweep", file, "--out", dir]);
    expect(third.stdout).toContain(`${dir}: 4 trials, 4 done, 0 running elsewhere, 0 to run`);
  }, 600_000);

  it("leaves a trial whose worker is killed twice for the next run of the sweep, saying so, and that run finishes it", async () => {
    const file = sweepFile("twice", ["axes:", "  model.tauMs: [100]"]);
    const dir = join(root, "twice");
    const run = start(["sweep", file, "--out", dir, "--workers", "1"]);
    // Each worker is killed as soon as it holds the trial.
    const first = await runningHolder(dir, []);
    process.kill(first, "SIGKILL");
    process.kill(await runningHolder(dir, [first]), "SIGKILL");
    const r = await run.done;
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(
      /\n\[0\/1\] trial 0 \([^)]*\): its worker was killed \(SIGKILL\); it resumes from its checkpoint\n/,
    );
    expect(r.stdout).toMatch(
      /\n\[1\/1\] trial 0 \([^)]*\): its worker was killed \(SIGKILL\) a second time; it is left for the next run of the sweep, where it resumes from its checkpoint\n/,
    );
    expect(r.stdout).toContain("0 of 1 trials done");
    expect(r.stdout).toContain(`1 of 1 trials left undone; to finish: braints sweep ${file} --out ${dir}`);
    expect(r.code).toBe(1);
    const next = await braints(["sweep", file, "--out", dir]);
    expect(next.stdout).toContain(`${dir}: 1 trials, 0 done, 0 running elsewhere, 1 to run`);
    expect(next.stdout).toContain("1 of 1 trials done");
    expect(next.code).toBe(0);
    expect(rows(dir).map((x) => [x.index, x.epochs])).toEqual([[0, 8]]);
  }, 300_000);

  it("refuses a bad sweep file before anything runs, naming the trial, the key, the value and what is allowed", async () => {
    const file = join(root, "bad.yaml");
    writeFileSync(file, "axes:\n  training.lr: [0.01, 20]\n  model.hiden: [8]\n");
    const dir = join(root, "bad");
    const r = await braints(["sweep", file, "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `braints: ${file}, trial 0 (training.lr = 0.01, model.hiden = 8): unknown key model.hiden (value 8); the model section allows type, hidden`,
    );
    expect(r.stderr).toContain(
      `${file}, trial 1 (training.lr = 20, model.hiden = 8): training.lr must be <= 10, got 20`,
    );
    expect(existsSync(dir)).toBe(false);
    writeFileSync(file, "axes:\n  model.tauMs: []\n");
    const empty = await braints(["sweep", file, "--out", dir]);
    expect(empty.stderr).toBe("braints: axes.model.tauMs: must list at least one value, got []\n");
    expect(existsSync(dir)).toBe(false);
  }, 60_000);

  it("stops by successive halving exactly the trials whose loss at a rung is above the cutoff of the trials there before them", async () => {
    const file = join(root, "asha.yaml");
    writeFileSync(
      file,
      [
        "base:",
        "  model: { hidden: 8 }",
        "  training: { epochs: 4, stepsPerEpoch: 5 }",
        "  evaluation: { trials: 32 }",
        "axes:",
        "  training.lr: [0.01, 0.0001, 0.03, 0.001]",
        "objective: { metric: trainLoss, goal: min }",
        "earlyStopping: { minEpochs: 1, reduction: 2 }",
      ].join("\n"),
    );
    const dir = join(root, "asha");
    // One worker: trials reach their rungs in index order, so the rule's outcome is determined.
    const r = await braints(["sweep", file, "--out", dir, "--workers", "1"]);
    expect(r.stderr).toBe("");
    const results = rows(dir);
    expect(results).toHaveLength(4);
    const lossAt = (i: number, epoch: number) =>
      metricLines(trialDirs(dir)[i] as string).find((l) => l.epoch === epoch)?.trainLoss as number;
    // The rule, computed here: rungs at epochs 1 and 2; the cutoff is the 1/2 quantile (linear
    // interpolation) of the losses recorded at the rung by this trial and those before it.
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = (s.length - 1) / 2;
      return ((s[Math.floor(m)] as number) + (s[Math.ceil(m)] as number)) / 2;
    };
    const stoppedAt: (number | undefined)[] = Array.from({ length: 4 }, () => undefined);
    for (let i = 0; i < 4; i++) {
      for (const rung of [1, 2]) {
        const recorded = [...Array(i + 1).keys()]
          .filter((j) => j === i || stoppedAt[j] === undefined || (stoppedAt[j] as number) >= rung)
          .map((j) => lossAt(j, rung));
        if (lossAt(i, rung) > median(recorded)) {
          stoppedAt[i] = rung;
          break;
        }
      }
    }
    expect(results.map((x) => x.stoppedEarly?.epoch)).toEqual(stoppedAt);
    expect(results.map((x) => x.epochs)).toEqual(stoppedAt.map((s) => s ?? 4));
    expect(stoppedAt.some((s) => s !== undefined)).toBe(true);
    expect(stoppedAt.some((s) => s === undefined)).toBe(true);
    // A stopped trial's model is its last checkpoint, so eval and report work on it.
    const stopped = trialDirs(dir)[stoppedAt.findIndex((s) => s !== undefined)] as string;
    expect(existsSync(join(stopped, "model.safetensors"))).toBe(true);
  }, 600_000);
});
