/** `braints report RUN_DIR`: the self-contained HTML report of a trained run. */
import { Command } from "commander";
import { reportRun } from "../../app/runs/results.ts";
import { Run } from "../../app/runs/run.ts";

/** The `report` command. */
export function reportCommand(): Command {
  return new Command("report")
    .description(
      "write RUN_DIR/report.html: training curves, example trials, psychometric curve, PCA and fixed points",
    )
    .argument("<run-dir>", "run directory")
    .action(async (dir: string) => {
      const { path } = await reportRun(Run.open(dir));
      console.log(`report: ${path}`);
    });
}
