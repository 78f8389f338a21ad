/** `braints bench`: the benchmarks (`bench/run.ts`), with its options passed through. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { ValueError } from "../../base/errors.ts";
import { packageRoot } from "../packageRoot.ts";

/** The `bench` command. */
export function benchCommand(): Command {
  return new Command("bench")
    .description("run the benchmarks (options: --only=W1,W2  --no-torch  --quick)")
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action((_options: unknown, command: Command) => {
      const root = packageRoot();
      const script = join(root, "bench/run.ts");
      if (!existsSync(script))
        throw new ValueError(`bench: ${script} is missing (the benchmarks ship with the repository)`);
      const result = spawnSync(process.execPath, ["--import", "tsx", script, ...command.args], {
        cwd: root,
        stdio: "inherit",
      });
      process.exitCode = result.status ?? 1;
    });
}
