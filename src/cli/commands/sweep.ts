/**
 * `braints sweep`: many runs of one base config over axes and seeds. `braints sweep FILE` runs a
 * sweep file on this machine; `run-trial DIR INDEX` runs one trial idempotently (what local
 * workers, Slurm array tasks and queue workers call); `status DIR` shows progress.
 */
import { Command } from "commander";
import { integer } from "../parse.ts";

const app = () => import("../../app/sweep/index.ts");

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
    const objective = t.result?.objective;
    const detail =
      t.state === "done"
        ? `${plan.objective.metric} ${objective === null || objective === undefined ? "-" : objective.toPrecision(4)}${t.result?.stoppedEarly ? ` (stopped at epoch ${t.result.stoppedEarly.epoch})` : ""}`
        : t.state === "running"
          ? `by ${t.holder?.owner ?? "?"}`
          : t.state === "failed"
            ? (t.error ?? "")
            : t.epochsDone > 0
              ? "interrupted, resumes from its checkpoint"
              : "";
    console.log(
      `  ${t.trial.id}  ${t.state.padEnd(7)}  epoch ${t.epochsDone}/${t.epochs}  ${describeTrial(t.trial)}  ${detail}`.trimEnd(),
    );
  }
}

/** The environment variable a local sweep sets on its workers: its pid, so they stop when it dies. */
export const SWEEP_PARENT = "BRAINTS_SWEEP_PARENT";

function runTrialCommand(): Command {
  return new Command("run-trial")
    .description(
      "run trial INDEX of the sweep in DIR idempotently: a done trial is a no-op, an interrupted one resumes from its checkpoint, a new one starts (exit code 75 when another live process holds it)",
    )
    .argument("<sweep-dir>", "sweep directory (made by braints sweep FILE or braints sweep plan FILE)")
    .argument("<index>", "the trial's index in sweep.json", integer("<index>", 0))
    .option(
      "--owner <name>",
      "who runs it (default host:pid); a requeued job gives the owner of its first attempt",
    )
    .action(async (dir: string, index: number, options: { owner?: string }) => {
      const { runSweepTrial, describeTrial } = await app();
      const parent = Number(process.env[SWEEP_PARENT]);
      const outcome = runSweepTrial(dir, index, {
        ...(options.owner ? { owner: options.owner } : {}),
        hooks: {
          // A local sweep killed outright cannot stop its workers: they stop when their parent is gone.
          onStep: () => {
            if (parent > 0 && process.ppid !== parent) process.exit(1);
          },
          onWarning: (m) => console.warn(`warning: ${m}`),
        },
      });
      switch (outcome.status) {
        case "busy":
          console.log(
            `trial ${index} is being run by ${outcome.holder.owner} (pid ${outcome.holder.pid} on ${outcome.holder.host})`,
          );
          process.exitCode = 75;
          return;
        case "done":
          console.log(`trial ${index} was already done: ${describeTrial(outcome.result)}`);
          return;
        case "finished": {
          const from = outcome.resumedFromEpoch ? ` (resumed after epoch ${outcome.resumedFromEpoch})` : "";
          console.log(
            `trial ${index} finished${from}: ${describeTrial(outcome.result)}, objective ${outcome.result.objective}`,
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

function statusCommand(): Command {
  return new Command("status")
    .description("progress of a sweep: trials done, running, pending and failed, and one line per trial")
    .argument("<sweep-dir>", "sweep directory")
    .action(printStatus);
}

/** The `sweep` command. */
export function sweepCommand(): Command {
  return new Command("sweep")
    .description("many runs over axes of a config's keys and seeds: plan, run trials, show status")
    .addCommand(planCommand())
    .addCommand(runTrialCommand())
    .addCommand(statusCommand());
}
