/**
 * The `braints` command line: thin commands over the library (`train`, `fit`, `eval`, `analyze`, `report`,
 * `sweep`, `worker`, `tasks`, `bench`, `playground`). Parsing and validation happen here; the work is done by `src/runs` and `src/train`.
 */
import { Command } from "commander";
import { analyzeCommand } from "./commands/analyze.ts";
import { benchCommand } from "./commands/bench.ts";
import { evalCommand } from "./commands/eval.ts";
import { fitCommand } from "./commands/fit.ts";
import { playgroundCommand } from "./commands/playground.ts";
import { reportCommand } from "./commands/report.ts";
import { sweepCommand } from "./commands/sweep.ts";
import { tasksCommand } from "./commands/tasks.ts";
import { trainCommand } from "./commands/train.ts";
import { workerCommand } from "./commands/worker.ts";
import { reportFailure } from "./fail.ts";
import { packageVersion } from "./packageRoot.ts";

/** The program with every command. */
export function program(): Command {
  return new Command("braints")
    .description(
      "brain-dynamics programming: train, evaluate, analyse and report recurrent networks on cognitive tasks",
    )
    .version(packageVersion(), "-V, --version", "print the version")
    .showSuggestionAfterError()
    .addCommand(trainCommand())
    .addCommand(fitCommand())
    .addCommand(evalCommand())
    .addCommand(analyzeCommand())
    .addCommand(reportCommand())
    .addCommand(sweepCommand())
    .addCommand(tasksCommand())
    .addCommand(benchCommand())
    .addCommand(playgroundCommand())
    .addCommand(workerCommand());
}

/** Runs the command line on `argv` (as `process.argv`). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await program().parseAsync([...argv]);
  } catch (error) {
    reportFailure(error);
  }
}
