/**
 * Sweeps whose base is a `braints fit` config: every trial is an ordinary fit run directory with
 * the numbers of the same fit run alone; `kill -9` of the sweep loses no finished trial and the
 * interrupted ones start again from scratch, each trial counted once; bad fit sweep files are
 * refused before anything runs.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { braints, start, waitFor } from "../cli/braints.ts";
import { countItems, dataMarks } from "../plot/svg.ts";
import { type ResultLine, holdWorker, resultLines as rows, trialIds } from "../cluster/sweepResults.ts";
import { ringFitBase } from "./fitBase.ts";
import { alive, figure, trialWorkers } from "./pages.ts";

const root = mkdtempSync(join(tmpdir(), "braints-sweep-fit-"));

const trialDir = (dir: string, index: number) => join(dir, "trials", trialIds(dir)[index] as string);
const text = (file: string) => readFileSync(file, "utf8");
const fitResult = (run: string) =>
  JSON.parse(text(join(run, "result.json"))) as {
    best: Record<string, number>;
    loss: number;
    history: number[];
  };

describe("a sweep of fits", () => {
  it("runs every trial as a braints fit run directory, with the numbers of the same fit run alone, and reports the fits", async () => {
    const cmaes = { kind: "cmaes", iterations: 6 };
    const file = join(root, "fits.json");
    writeFileSync(
      file,
      JSON.stringify({
        base: ringFitBase(15),
        axes: { backend: [ringFitBase(15)["backend"], cmaes] },
        seeds: 2,
      }),
    );
    const dir = join(root, "fits");
    const r = await braints(["sweep", file, "--out", dir, "--workers", "2"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("4 of 4 trials done");
    expect(r.stdout).toMatch(/best: trial \d \(backend = .*, seed [01]\), loss [\d.e-]+\nreport: /);

    // Trial 3 is CMA-ES with seed 1: the same fit, written out by hand and run alone.
    const alone = join(root, "alone");
    const config = {
      ...ringFitBase(15),
      backend: cmaes,
      simulation: { steps: 1000, every: 4, discard: 10, seed: 1 },
    };
    writeFileSync(join(root, "alone.json"), JSON.stringify(config));
    expect((await braints(["fit", join(root, "alone.json"), "--out", alone])).stderr).toBe("");
    const trial = trialDir(dir, 3);
    expect(text(join(trial, "history.jsonl"))).toBe(text(join(alone, "history.jsonl")));
    const { seconds: _, ...sweptFit } = JSON.parse(text(join(trial, "result.json"))) as { seconds: number };
    const { seconds: __, ...aloneFit } = JSON.parse(text(join(alone, "result.json"))) as { seconds: number };
    expect(sweptFit).toEqual(aloneFit);

    // One row per trial: the best loss as objective, the last iteration's loss, the recovered gain.
    const results = rows(dir);
    expect(results.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    results.forEach((row, i) => {
      const fit = fitResult(trialDir(dir, i));
      expect(row.objective).toBe(fit.loss);
      expect(row.metrics.loss).toBe(fit.loss);
      expect(row.trainLoss).toBe(fit.history.at(-1));
      expect(row.epochs).toBe(i < 2 ? 15 : 6);
      expect(row.fitted).toEqual({ gain: fit.best["gain"] });
      // The fit's last progress is its end: every iteration, the last loss, the best.
      expect(JSON.parse(text(join(trialDir(dir, i), "progress.json")))).toEqual({
        iterations: fit.history.length,
        loss: fit.history.at(-1),
        best: fit.loss,
      });
    });
    const csv = text(join(dir, "results.csv")).trim().split("\n");
    expect(csv[0]).toBe(
      "index,id,backend,seed,iterations,objective:loss,finalLoss,loss,evaluations,fitted.gain,seconds",
    );
    expect(csv[4]).toContain(`,${results[3]?.fitted?.["gain"]},`);

    // The sweep report: loss curves, the objective and the recovered gain by axis, no network comparison.
    const html = text(join(dir, "report.html"));
    expect(dataMarks(figure(html, "loss-curves"), "line")).toHaveLength(4);
    // One axis of two values: 4 trial points and 2 means, in each by-axis figure.
    expect(countItems(figure(html, "metric-by-axis"), "symbol")).toBe(4 + 2);
    expect(countItems(figure(html, "fitted-gain"), "symbol")).toBe(4 + 2);
    expect(html).toContain("no trained network&#39;s hidden states to compare");
    expect(html).not.toContain('id="similarity"');
    expect(html).not.toContain('id="fixed-points"');
    expect(html).toMatch(/<th>gain<\/th><th>gain \(target\)<\/th>/);

    // The trial is a fit run directory: braints report writes its report again.
    const report = await braints(["report", trial]);
    expect(report.stderr).toBe("");
    expect(report.stdout).toBe(`report: ${join(trial, "report.html")}\n`);
    expect(text(join(trial, "report.html"))).toContain("<td>gain</td><td>fitted</td>");
    const evaluated = await braints(["eval", trial]);
    expect(evaluated.stderr).toContain(
      `braints: ${trial} is a fit run (made by braints fit), not a trained network`,
    );

    const status = await braints(["sweep", "status", dir]);
    expect(status.stdout).toContain("4 trials: 4 done, 0 running, 0 pending, 0 failed");
    expect(status.stdout).toMatch(
      /done {5}iteration 6\/6 {2}trial 3 \(backend = \{"kind":"cmaes","iterations":6\}, seed 1\)/,
    );
  }, 300_000);

  it("after kill -9 of the sweep keeps every finished fit, starts the interrupted ones again, and counts each trial once", async () => {
    const file = join(root, "kill.json");
    writeFileSync(
      file,
      // 60 iterations: the test holds a fit's worker where it must be, however fast it fits.
      JSON.stringify({ base: ringFitBase(60), axes: { "parameters.gain.init": [0.1, 0.6] }, seeds: 2 }),
    );
    const dir = join(root, "kill");
    const { child, done } = start(["sweep", file, "--out", dir, "--workers", "2"]);
    const runs = () =>
      existsSync(join(dir, "trials"))
        ? readdirSync(join(dir, "trials"), { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => join(dir, "trials", d.name))
        : [];
    const finished = () => runs().filter((t) => existsSync(join(t, "trial-result.json")));
    // Kill once a fit is done and another has started fitting (its config is written, its history,
    // written at the end, is not), its worker held (stopped) there; let go after the kill, it sees
    // its parent gone at its next iteration.
    const held = await holdWorker(dir, (w) => existsSync(join(w.run, "config.json")), "its fit to start", {
      index: 1,
    });
    await waitFor(() => finished().length >= 1, 240_000, "one fit done");
    expect(existsSync(join(held.run, "history.jsonl")), "a history before the fit ends").toBe(false);
    child.kill("SIGKILL");
    await done;
    // Every worker it started, a trial's lock held or not yet (one started just before the kill).
    const pids = trialWorkers(dir);
    expect(pids).toContain(held.pid);
    process.kill(held.pid, "SIGCONT");
    await waitFor(() => pids.every((pid) => !alive(pid)), 30_000, "the workers to stop");

    const kept = finished();
    const interrupted = runs().filter((t) => !kept.includes(t));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    const files = ["trial-result.json", "result.json", "history.jsonl"];
    const before = kept.flatMap((t) =>
      files.map((f) => ({ f: join(t, f), body: text(join(t, f)), at: statSync(join(t, f)).mtimeMs })),
    );
    const status = await braints(["sweep", "status", dir]);
    expect(status.stdout).toContain("interrupted, restarts from scratch (a fit keeps no checkpoint)");

    const again = await braints(["sweep", file, "--out", dir, "--workers", "2"]);
    expect(again.stderr).toBe("");
    expect(again.stdout).toContain(
      `${dir}: 4 trials, ${kept.length} done, 0 running elsewhere, ${4 - kept.length} to run`,
    );
    expect(again.stdout).toContain("4 of 4 trials done");
    // Nothing finished ran again; every trial is one row with a whole fit.
    for (const { f, body, at } of before) {
      expect(text(f)).toBe(body);
      expect(statSync(f).mtimeMs).toBe(at);
    }
    expect(rows(dir).map((x) => [x.index, x.epochs])).toEqual([0, 1, 2, 3].map((i) => [i, 60]));

    // An interrupted trial restarted from scratch gives what it gives in one go.
    const index = trialIds(dir).findIndex((id) => interrupted[0]?.endsWith(id));
    const ref = join(root, "kill-reference");
    expect((await braints(["sweep", "plan", file, "--out", ref])).stderr).toBe("");
    const once = await braints(["sweep", "run-trial", ref, String(index)]);
    expect(once.stdout).toContain(`trial ${index} finished: `);
    expect(text(join(trialDir(dir, index), "history.jsonl"))).toBe(
      text(join(trialDir(ref, index), "history.jsonl")),
    );
    const { seconds: _, ...restarted } = rows(dir)[index] as ResultLine;
    const { seconds: __, ...reference } = rows(ref)[0] as ResultLine;
    expect(restarted).toEqual(reference);
  }, 600_000);

  it("sweep status shows a running fit's iterations, from the progress the fit writes as it runs", async () => {
    const file = join(root, "progress.json");
    // Far longer than the test watches it: it is stopped (SIGSTOP) once it has written its second
    // iteration's progress, read while stopped, then killed.
    writeFileSync(file, JSON.stringify({ base: ringFitBase(4000), seeds: 1 }));
    const dir = join(root, "progress");
    expect((await braints(["sweep", "plan", file, "--out", dir])).stderr).toBe("");
    const { child, done } = start(["sweep", "run-trial", dir, "0"]);
    const run = trialDir(dir, 0);
    const progress = () =>
      existsSync(join(run, "progress.json"))
        ? (JSON.parse(text(join(run, "progress.json"))) as { iterations: number; loss: number; best: number })
        : undefined;
    await waitFor(() => (progress()?.iterations ?? 0) >= 2, 240_000, "the fit's second iteration");
    // Held still, the fit cannot finish or move on while status reads it: status must show exactly
    // the progress the fit last wrote.
    child.kill("SIGSTOP");
    const status = await braints(["sweep", "status", dir]);
    const now = progress();
    child.kill("SIGKILL");
    await done;
    const shown = /running {2}iteration (\d+)\/4000 {2}trial 0/.exec(status.stdout);
    expect(shown, status.stdout).not.toBeNull();
    expect(now?.iterations).toBeGreaterThanOrEqual(2);
    expect(Number(shown?.[1])).toBe(now?.iterations);
    expect(now?.iterations).toBeLessThan(4000);
    expect(now?.best).toBeLessThanOrEqual(now?.loss as number);
    expect(existsSync(join(run, "history.jsonl"))).toBe(false);
  }, 300_000);

  it("refuses bad fit sweep files before anything runs, naming the trial, the key, the value and what is allowed", async () => {
    const dir = join(root, "bad");
    const refuse = async (sweep: unknown) => {
      const file = join(root, "bad.json");
      writeFileSync(file, JSON.stringify(sweep));
      const r = await braints(["sweep", file, "--out", dir]);
      expect(r.code).toBe(1);
      expect(existsSync(dir)).toBe(false);
      return r.stderr.replaceAll(`${file}`, "FILE");
    };
    const base = ringFitBase(5);
    expect(await refuse({ base, axes: { "backend.lrr": [0.1] } })).toBe(
      "braints: FILE, trial 0 (backend.lrr = 0.1): unknown key backend.lrr (value 0.1); a gradient backend allows kind, iterations, lr\n",
    );
    expect(await refuse({ base, axes: { "network.connectome.nodes": [] } })).toBe(
      "braints: axes.network.connectome.nodes: must list at least one value, got []\n",
    );
    const values = await refuse({
      base,
      axes: {
        "network.speed": [5, -5],
        "parameters.gain.bounds": [
          [0.01, 1],
          [0.2, 1],
        ],
      },
    });
    expect(values).toContain(
      "FILE, trial 1 (network.speed = 5, parameters.gain.bounds = [0.2,1]): braints fit: parameter gain: bounds [0.2, 1] exclude the start 0.1",
    );
    expect(values).toContain(
      "FILE, trial 2 (network.speed = -5, parameters.gain.bounds = [0.01,1]): massNetwork: speed must be a finite number > 0, got -5",
    );
    expect(await refuse({ base, axes: { "target.simulate.gian": [0.3] } })).toContain(
      'target.simulate: networkProblem: parameter "gian" is not one of model.a, model.omega, model.beta, coupling.gain, noise.sigma',
    );
    expect(await refuse({ base, axes: { "backend.iterations": [0] } })).toContain(
      "FILE, trial 0 (backend.iterations = 0): Fitter (gradient): iterations must be a positive integer, got 0",
    );
    expect(await refuse({ base, earlyStopping: { minEpochs: 1 } })).toBe(
      "braints: FILE: earlyStopping (successive halving) compares trials at epochs of training, and a fit base has none: a fit runs its backend in one go and cannot stop and resume at a rung; remove earlyStopping\n",
    );
    expect(await refuse({ base, objective: { metric: "accuracy", goal: "max" } })).toContain(
      'objective.metric must be one of trainLoss, loss, evaluations (the metrics of trial 0), got "accuracy"',
    );
  }, 120_000);
});
