/** `braints report RUN_DIR`: the self-contained HTML report of a trained run or of a fit. */
import { Command } from "commander";

/** The `report` command. */
export function reportCommand(): Command {
  return new Command("report")
    .description(
      "write RUN_DIR/report.html: training curves, example trials, psychometric curve, PCA and fixed points (of a braints fit run: the fitted parameters and the loss history)",
    )
    .argument("<run-dir>", "run directory (of braints train or braints fit)")
    .action(async (dir: string) => {
      const { isFitRunDir } = await import("../../app/fit/fitKeys.ts");
      if (isFitRunDir(dir)) {
        const { reportFitRun } = await import("../../app/fit/fitRun.ts");
        console.log(`report: ${reportFitRun(dir)}`);
        return;
      }
      const { Run, reportRun } = await import("../../app/runs/index.ts");
      const { path } = await reportRun(Run.open(dir));
      console.log(`report: ${path}`);
    });
}
