/** `braints tasks`: list the tasks; `braints tasks show NAME`: draw one trial. */
import { Command } from "commander";
import { Rng } from "../../base/random.ts";
import { ValueError } from "../../base/errors.ts";
import { columnNames } from "../../tasks/channels.ts";
import { collectionNames, createTask, taskNames, tasks } from "../../tasks/registry.ts";
import { SUPERVISED_TASKS } from "../../app/recipes/supervisedTasks.ts";
import { integer } from "../parse.ts";

/** A tag as typed on the command line: case and spaces vs hyphens do not matter (`working-memory`). */
const tagKey = (tag: string): string =>
  tag
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");

function list(options: { tag?: string }): void {
  let names = taskNames;
  if (options.tag !== undefined) {
    const want = tagKey(options.tag);
    names = taskNames.filter((n) => tasks[n].tags.some((t) => tagKey(t) === want));
    if (names.length === 0) {
      const known = [...new Set(taskNames.flatMap((n) => tasks[n].tags.map(tagKey)))].sort();
      throw new ValueError(`tasks: no task has the tag '${options.tag}'; known tags are ${known.join(", ")}`);
    }
  }
  const entries = collectionNames
    .map((n) => [n, createTask(n)] as const)
    .filter(
      ([, t]) => options.tag === undefined || t.tags.some((tag) => tagKey(tag) === tagKey(options.tag ?? "")),
    );
  const width = Math.max(...names.map((n) => n.length), ...entries.map(([n]) => n.length));
  for (const name of names) {
    const note = SUPERVISED_TASKS.includes(name) ? "" : " (not trainable with braints train)";
    console.log(`${name.padEnd(width)}  ${tasks[name].summary}${note}`);
  }
  for (const [name, task] of entries) console.log(`${name.padEnd(width)}  ${task.summary} (collection)`);
}

async function show(name: string, options: { seed: number; out?: string }): Promise<void> {
  const task = createTask(name);
  if (task.rlOnly)
    throw new ValueError(`tasks show: ${task.name} is RL-only; its trials depend on the agent's actions`);
  const trial = task.sampleTrial(Rng.fromSeed(options.seed));
  const T = trial.info.nSteps;
  const D = task.obDim;
  const A = task.nActions;
  const inputs = Array.from({ length: T }, (_, t) => Array.from(trial.ob.subarray(t * D, (t + 1) * D)));
  const targets = Array.from(trial.gt, Number);
  const file = options.out ?? `${task.name}-trial.svg`;
  const [{ trialPlot }, { writeFigure }] = await Promise.all([
    import("../../plot/trialPlot.ts"),
    import("../../plot/write.ts"),
  ]);
  await writeFigure(
    file,
    trialPlot(
      {
        inputs,
        targets,
        mask: Array.from(trial.mask),
        periods: Object.entries(trial.info.periods).map(([name, b]) => ({
          name,
          startMs: b.start * task.dtMs,
          endMs: b.end * task.dtMs,
        })),
        dtMs: task.dtMs,
        channelNames: task.obColumnNames,
        actionNames: columnNames(task.actions, A),
      },
      { title: `${task.name}: one trial (seed ${options.seed})` },
    ),
  );
  console.log(`${task.name}: ${task.summary}`);
  console.log(`conditions: ${JSON.stringify(trial.info.conditions)}`);
  console.log(`${T} steps of ${task.dtMs} ms:`);
  for (const [period, b] of Object.entries(trial.info.periods)) {
    console.log(`  ${period.padEnd(16)} steps ${b.start}-${b.end}  (${b.startMs}-${b.endMs} ms)`);
  }
  console.log(`wrote ${file}`);
}

/** The `tasks` command with its `show` subcommand. */
export function tasksCommand(): Command {
  const command = new Command("tasks")
    .description("list the tasks, or draw one trial with `tasks show NAME`")
    .option("--tag <tag>", "only tasks with this NeuroGym tag (e.g. working-memory, go-no-go)")
    .action(list);
  command
    .command("show")
    .description("draw one trial of a task to an SVG file and print its periods")
    .argument("<name>", "task name")
    .option("--seed <n>", "seed of the trial", integer("--seed", 0), 0)
    .option("-o, --out <file>", "SVG file (default NAME-trial.svg)")
    .action(show);
  return command;
}
