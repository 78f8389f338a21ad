/** `braints report RUN_DIR`: the self-contained HTML report of a trained run. */
import { Command } from "commander";

/** The `report` command. */
export function reportCommand(): Command {
  return new Command("report")
    .description(
      "write RUN_DIR/report.html: training curves, example trials, psychometric curve, PCA and fixed points",
    )
    .argument("<run-dir>", "run directory")
    .action(async (dir: string) => {
      const { Run, reportRun } = await import("../../app/runs/index.ts");
      const { path } = await reportRun(Run.open(dir));
      console.log(`report: ${path}`);
    });
}
