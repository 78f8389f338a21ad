/**
 * `braints sweep`: many runs of one base config over axes and seeds. `braints sweep FILE` runs a
 * sweep file on this machine; `run-trial DIR INDEX` runs one trial idempotently (what local
 * workers, Slurm array tasks and queue workers call); `status DIR` shows progress.
 */
import { Command } from "commander";
import { availableParallelism } from "node:os";
import { basename, extname, join } from "node:path";
import { integer } from "../parse.ts";
import { type ClusterOptions, clusterBackend } from "./sweepCluster.ts";
import { BUSY_EXIT, SWEEP_PARENT, type WorkerEnd, runWorkers } from "../sweepWorkers.ts";

const app = () => import("../../app/sweep/index.ts");

/** A result's objective as the terminal shows it (`-` when none). */
const objective = (result: { readonly objective: number | null } | undefined) =>
  result?.objective === null || result?.objective === undefined ? "-" : result.objective.toPrecision(4);

/** How an interrupted trial of a kind continues. */
const again = (kind: string) =>
  kind === "fit" ? "restarts from scratch (a fit keeps no checkpoint)" : "resumes from its checkpoint";

/** `status DIR`: counts by state, then one line per trial. */
async function printStatus(dir: string): Promise<void> {
  const { readSweepStatus, describeTrial, writeSweepResults } = await app();
  // The results table is a view of the result files: rebuild it, so it is complete whatever raced.
  writeSweepResults(dir);
  const { counts, trials, plan } = readSweepStatus(dir);
  console.log(
    `${dir}: ${trials.length} trials: ${counts.done} done, ${counts.running} running, ${counts.pending} pending, ${counts.failed} failed`,
  );
  for (const t of trials) {
    const detail =
      t.state === "done"
        ? `${plan.objective.metric} ${objective(t.result)}${t.result?.stoppedEarly ? ` (stopped at epoch ${t.result.stoppedEarly.epoch})` : ""}`
        : t.state === "running"
          ? `by ${t.holder?.owner ?? "?"}`
          : t.state === "failed"
            ? (t.error ?? "")
            : t.interrupted
              ? `interrupted, ${again(t.trial.config.kind)}`
              : "";
    console.log(
      `  ${t.trial.id}  ${t.state.padEnd(7)}  ${t.unit} ${t.epochsDone}/${t.epochs}  ${describeTrial(t.trial)}  ${detail}`.trimEnd(),
    );
  }
}

function runTrialCommand(): Command {
  return new Command("run-trial")
    .description(
      "run trial INDEX of the sweep in DIR idempotently: a done trial is a no-op, an interrupted one resumes from its checkpoint (a fit starts again), a new one starts (exit code 75 when another live process holds it)",
    )
    .argument("<sweep-dir>", "sweep directory (made by braints sweep FILE or braints sweep plan FILE)")
    .argument("<index>", "the trial's index in sweep.json", integer("<index>", 0))
    .option(
      "--owner <name>",
      "who runs it (default host:pid); a requeued job gives the owner of its first attempt",
    )
    .action(async (dir: string, index: number, options: { owner?: string }) => {
      const { runSweepTrial, describeTrial } = await app();
      // A local sweep killed outright cannot stop its workers: they stop when their parent is gone,
      // before touching the trial (a worker started just before the kill) or at their next update.
      const parent = Number(process.env[SWEEP_PARENT]);
      const orphaned = () => parent > 0 && process.ppid !== parent;
      if (orphaned()) {
        process.stderr.write(
          `braints: the sweep that started this worker (pid ${parent}) is gone; trial ${index} is left as it was\n`,
        );
        process.exitCode = 1;
        return;
      }
      const outcome = runSweepTrial(dir, index, {
        ...(options.owner ? { owner: options.owner } : {}),
        onProgress: () => {
          if (orphaned()) process.exit(1);
        },
        hooks: { onWarning: (m) => console.warn(`warning: ${m}`) },
      });
      switch (outcome.status) {
        case "busy":
          console.log(
            `trial ${index} is being run by ${outcome.holder.owner} (pid ${outcome.holder.pid} on ${outcome.holder.host})`,
          );
          process.exitCode = BUSY_EXIT;
          return;
        case "done":
          console.log(`trial ${index} was already done: ${describeTrial(outcome.result)}`);
          return;
        case "finished": {
          const from = outcome.resumedFromEpoch
            ? ` (resumed after epoch ${outcome.resumedFromEpoch})`
            : outcome.restarted
              ? " (restarted from scratch: a fit keeps no checkpoint)"
              : "";
          const stop = outcome.result.stoppedEarly;
          const early = stop ? `, stopped early: ${stop.reason}` : "";
          console.log(
            `trial ${index} finished${from}: ${describeTrial(outcome.result)}, objective ${outcome.result.objective}${early}`,
          );
        }
      }
    });
}

function planCommand(): Command {
  return new Command("plan")
    .description("check a sweep file and write its plan (DIR/sweep.json) without running anything")
    .argument("<file>", "sweep file (YAML or JSON)")
    .requiredOption("-o, --out <dir>", "sweep directory")
    .action(async (file: string, options: { out: string }) => {
      const { planSweep, writeSweepPlan } = await app();
      const plan = planSweep(file);
      writeSweepPlan(options.out, plan);
      console.log(
        `${options.out}: ${plan.trials.length} trials planned (trial indices 0 to ${plan.trials.length - 1})`,
      );
    });
}

function reportCommand(): Command {
  return new Command("report")
    .description(
      "write DIR/report.html: the results table, the objective against each axis, the best configurations, training (or fit loss) curves; for recurrent networks their representational similarity and fixed points, for fits the recovered parameters against each axis",
    )
    .argument("<sweep-dir>", "sweep directory")
    .action(async (dir: string) => {
      const { reportSweep, writeSweepResults } = await app();
      writeSweepResults(dir);
      const { path, headline } = await reportSweep(dir);
      console.log(`${headline}\nreport: ${path}`);
    });
}

function statusCommand(): Command {
  return new Command("status")
    .description("progress of a sweep: trials done, running, pending and failed, and one line per trial")
    .argument("<sweep-dir>", "sweep directory")
    .action(printStatus);
}

/** The default sweep directory of a sweep file: `sweeps/<its name>`, so running it again resumes. */
const defaultOut = (file: string) => join("sweeps", basename(file, extname(file)));

function runCommand(): Command {
  return new Command("run")
    .description(
      "run a sweep file on this machine (trials in parallel worker processes), or send it to a cluster with --slurm or --redis; run it again to resume (finished trials are skipped, interrupted ones continue from their checkpoint; an interrupted fit starts again)",
    )
    .argument("<file>", "sweep file (YAML or JSON)")
    .argument("[sbatch-options...]", "with --slurm: options passed to sbatch, after --")
    .option("-o, --out <dir>", "sweep directory (default sweeps/<file name>)")
    .option("-w, --workers <n>", "worker processes (default: the cores)", integer("--workers", 1))
    .option("--slurm", "submit the trials not done as a Slurm job array instead (sbatch options after --)")
    .option("--redis <url>", "put the trials not done into the Redis queue at URL for braints worker instead")
    .action(async (file: string, extra: string[], options: ClusterOptions & { out?: string }) => {
      const elsewhere = clusterBackend(options, extra);
      const {
        planSweep,
        writeSweepPlan,
        readSweepStatus,
        readTrialResult,
        describeTrial,
        writeSweepResults,
        reportSweep,
      } = await app();
      const dir = options.out ?? defaultOut(file);
      const plan = planSweep(file);
      writeSweepPlan(dir, plan);
      if (elsewhere) return elsewhere(dir);
      const status = readSweepStatus(dir);
      const todo = status.trials.filter((t) => t.state === "pending" || t.state === "failed");
      const { done, running } = status.counts;
      const workers = options.workers ?? availableParallelism();
      console.log(
        `${dir}: ${plan.trials.length} trials, ${done} done, ${running} running elsewhere, ${todo.length} to run on ${Math.min(workers, todo.length)} workers`,
      );
      let ended = 0;
      let failed = 0;
      let left = 0;
      const line = (end: WorkerEnd, runsAgain: boolean) => {
        const trial = plan.trials[end.index];
        const what = trial ? describeTrial(trial) : `trial ${end.index}`;
        switch (end.end) {
          case "ok": {
            const result = trial && readTrialResult(dir, trial);
            const stopped = result?.stoppedEarly ? `, stopped at epoch ${result.stoppedEarly.epoch}` : "";
            return `${what}: ${plan.objective.metric} ${objective(result)}${stopped}`;
          }
          case "busy":
            return `${what}: run by another process`;
          case "failed":
            failed++;
            return `${what}: failed: ${end.message}`;
          case "killed":
            if (runsAgain) return `${what}: its worker was killed (${end.signal}); it ${again(plan.kind)}`;
            left++;
            return `${what}: its worker was killed (${end.signal}) a second time; it is left for the next run of the sweep, where it ${again(plan.kind)}`;
        }
      };
      await runWorkers(
        dir,
        todo.map((t) => t.trial.index),
        workers,
        (end, runsAgain) => {
          if (!runsAgain) ended++;
          console.log(`[${ended}/${todo.length}] ${line(end, runsAgain)}`);
        },
        () => {
          writeSweepResults(dir);
          process.stderr.write(
            `\ninterrupted; finished trials are kept. Resume with:\n  braints sweep ${file} --out ${dir}\n`,
          );
          process.exit(130);
        },
      );
      const results = writeSweepResults(dir);
      console.log(
        `${results.length} of ${plan.trials.length} trials done; results: ${join(dir, "results.csv")}`,
      );
      if (left > 0)
        console.log(
          `${left} of ${todo.length} trials left undone; to finish: braints sweep ${file} --out ${dir}`,
        );
      if (results.length > 0) {
        console.log("writing the sweep report ...");
        const { path, headline } = await reportSweep(dir);
        console.log(`${headline}\nreport: ${path}`);
      }
      if (failed > 0 || left > 0) process.exitCode = 1;
    });
}

/** The `sweep` command. */
export function sweepCommand(): Command {
  return new Command("sweep")
    .description(
      "many runs over axes of a config's keys and seeds: braints sweep FILE runs them; plan, run-trial and status serve schedulers; report writes the sweep report",
    )
    .addCommand(runCommand(), { isDefault: true })
    .addCommand(planCommand())
    .addCommand(runTrialCommand())
    .addCommand(statusCommand())
    .addCommand(reportCommand());
}
