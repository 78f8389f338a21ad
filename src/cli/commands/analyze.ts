/** `braints analyze RUN_DIR`: PCA of hidden-state trajectories and the network's fixed points. */
import { Command } from "commander";
import { integer } from "../parse.ts";

/** The `analyze` command. */
export function analyzeCommand(): Command {
  return new Command("analyze")
    .description(
      "PCA of hidden-state trajectories and fixed points with their stability; writes analysis.json",
    )
    .argument("<run-dir>", "run directory")
    .option("--trials <n>", "trials whose trajectories are projected", integer("--trials", 2), 64)
    .option("--starts <n>", "starting states of the fixed-point search", integer("--starts", 1), 64)
    .action(async (dir: string, options: { trials: number; starts: number }) => {
      const { Run, analyzeRun } = await import("../../app/runs/index.ts");
      const run = Run.open(dir);
      const a = analyzeRun(run, { trials: options.trials, starts: options.starts });
      const ratios = a.explainedVarianceRatio.map((r) => `${(100 * r).toFixed(1)}%`).join(", ");
      console.log(`PCA of ${a.trajectories.length} trials: explained variance ${ratios}`);
      const fp = a.fixedPoints;
      if (!fp) console.log("fixed points: not searched (the cell's state is not one vector)");
      else if (fp.error) console.log(`fixed points: the search failed: ${fp.error}`);
      else {
        console.log(`fixed points (zero input, ${fp.starts} starts): ${fp.points.length}`);
        for (const p of fp.points) {
          const top = Math.hypot(p.eigenvalues[0]?.re ?? 0, p.eigenvalues[0]?.im ?? 0);
          console.log(
            `  ${p.stability.padEnd(9)} q ${p.q.toExponential(1)}  unstable modes ${p.unstableModes}  largest |λ| ${top.toFixed(3)}`,
          );
        }
      }
      console.log(`wrote ${run.path("analysis.json")}`);
    });
}
