/** `braints fit`: fit a neural-mass network's parameters to a target from a config file into a run directory. */
import { Command } from "commander";
import { join } from "node:path";

const app = async () => {
  const [fit, configFile] = await Promise.all([
    import("../../app/fit/fitRun.ts"),
    import("../../app/configFile.ts"),
  ]);
  return { ...fit, ...configFile };
};

/** The `fit` command. */
export function fitCommand(): Command {
  return new Command("fit")
    .description(
      "fit a neural-mass network's parameters to a target (FC or time series) with gradients, CMA-ES, random or grid search; writes a run directory with the history, result and report",
    )
    .argument(
      "<config>",
      "JSON or YAML fit config (network, target, objective, simulation, parameters, backend)",
    )
    .option("-o, --out <dir>", "run directory (default runs/fit-MODEL-TIME)")
    .action(async (path: string, options: { out?: string }) => {
      const { readConfigFile, parseFitConfig, runFit, fitRunName, fitConfigBase } = await app();
      const config = parseFitConfig(readConfigFile(path), path);
      const dir = options.out ?? join("runs", fitRunName(config));
      const every = { gradient: 10, cmaes: 1, random: 100, grid: 100 }[config.backend.kind];
      const { result } = runFit(config, dir, {
        baseDir: fitConfigBase(path),
        onProgress: (i, loss) => {
          if (i % every === 0) console.log(`${config.backend.kind} ${i}: loss ${loss.toPrecision(5)}`);
        },
      });
      const best = Object.entries(result.best)
        .map(
          ([k, v]) =>
            `${k} ${v.toPrecision(5)}${result.uncertainty?.[k] !== undefined ? ` ± ${result.uncertainty[k]?.toPrecision(2)}` : ""}`,
        )
        .join(", ");
      console.log(`fitted in ${result.seconds.toFixed(1)} s: loss ${result.loss.toPrecision(5)}; ${best}`);
      console.log(`report: ${join(dir, "report.html")}`);
    });
}
