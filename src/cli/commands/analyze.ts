/**
 * `braints analyze RUN_DIR`: PCA of hidden-state trajectories and the network's fixed points, then
 * the population analyses (choice axis and selectivity; for several tasks task variance, clusters
 * and lesions).
 */
import { Command } from "commander";
import { integer } from "../parse.ts";

/** The `analyze` command. */
export function analyzeCommand(): Command {
  return new Command("analyze")
    .description(
      "PCA of hidden-state trajectories and fixed points with their stability (analysis.json); choice axis and units' choice selectivity, or for several tasks units' task variance, clusters and cluster lesions (population.json)",
    )
    .argument("<run-dir>", "run directory")
    .option("--trials <n>", "trials whose trajectories are projected", integer("--trials", 2), 64)
    .option("--starts <n>", "starting states of the fixed-point search", integer("--starts", 1), 64)
    .option(
      "--input <input>",
      "the constant input of the fixed-point search: zero, or a period whose mean input over the trials the network is held at (default: zero, the autonomous network)",
    )
    .action(async (dir: string, options: { trials: number; starts: number; input?: string }) => {
      const { Run, analyzeRun, analyzePopulation } = await import("../../app/runs/index.ts");
      const run = Run.open(dir);
      const input = options.input;
      const a = analyzeRun(run, {
        trials: options.trials,
        starts: options.starts,
        ...(input === undefined ? {} : { fixedPointInput: input === "zero" ? "zero" : { period: input } }),
      });
      const ratios = a.explainedVarianceRatio.map((r) => `${(100 * r).toFixed(1)}%`).join(", ");
      console.log(`PCA of ${a.trajectories.length} trials: explained variance ${ratios}`);
      const fp = a.fixedPoints;
      if (!fp) console.log("fixed points: not searched (the cell's state is not one vector)");
      else if (fp.error) console.log(`fixed points: the search failed: ${fp.error}`);
      else {
        console.log(`fixed points (at ${fp.input.label}, ${fp.starts} starts): ${fp.points.length}`);
        for (const p of fp.points) {
          const top = Math.hypot(p.eigenvalues[0]?.re ?? 0, p.eigenvalues[0]?.im ?? 0);
          console.log(
            `  ${p.stability.padEnd(9)} q ${p.q.toExponential(1)}  unstable modes ${p.unstableModes}  largest |λ| ${top.toFixed(3)}`,
          );
        }
      }
      console.log(`wrote ${run.path("analysis.json")}`);
      const pop = analyzePopulation(run);
      if (pop.choiceAxis) {
        const { choices, separation, trials } = pop.choiceAxis;
        console.log(
          `choice axis (regression, ${trials} trials): choices ${choices[0]} and ${choices[1]} end d′ ${separation.toFixed(2)} apart`,
        );
      }
      if (pop.choiceSelectivity) {
        const d = pop.choiceSelectivity;
        console.log(
          `choice selectivity at the last step: ${d.filter((v) => Math.abs(v) > 1).length} of ${d.length} units with |d′| > 1`,
        );
      }
      if (pop.tasks) {
        const t = pop.tasks;
        const best = t.silhouettes.find((s) => s.k === t.k)?.score ?? NaN;
        console.log(
          `task variance: ${t.active.length} of ${t.normalized.length} units active over ${t.names.length} tasks, ${t.k} clusters (silhouette ${best.toFixed(2)})`,
        );
        t.lesionDrop?.forEach((drop, c) => {
          const worst = drop.map((v, k) => ({ v, k })).sort((a, b) => b.v - a.v)[0];
          const size = t.labels.filter((l) => l === c).length;
          console.log(
            `  lesion of cluster ${c + 1} (${size} units): mean drop ${(drop.reduce((a, v) => a + v, 0) / drop.length).toFixed(3)}, most in ${t.names[worst?.k ?? 0]} (${(worst?.v ?? 0).toFixed(3)})`,
          );
        });
      }
      console.log(`wrote ${run.path("population.json")}`);
    });
}
