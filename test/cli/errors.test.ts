import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { braints } from "./braints.ts";

const dir = mkdtempSync(join(tmpdir(), "braints-cli-errors-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

/** Each bad input, the arguments that give it, and what the message must say. */
const CASES: readonly { name: string; args: string[]; message: RegExp }[] = [
  {
    name: "a negative learning rate",
    args: ["--lr", "-1"],
    message: /--lr \(training\.lr\) must be > 0, got -1/,
  },
  {
    name: "zero hidden units",
    args: ["--hidden", "0"],
    message: /--hidden \(model\.hidden\) must be >= 1, got 0/,
  },
  {
    name: "a non-numeric value",
    args: ["--epochs", "ten"],
    message: /--epochs \(training\.epochs\) must be a number, got "ten"/,
  },
  {
    name: "a fractional count",
    args: ["--batch-size", "1.5"],
    message: /training\.batchSize\) must be an integer, got 1\.5/,
  },
  {
    name: "an unknown task",
    args: ["--task", "Foo"],
    message:
      /task\.name\) is invalid \('Foo' is not a supervised task; name one of PerceptualDecisionMaking, DelayComparison, .*, a collection \(yang19\) or a comma-separated list of tasks\), got "Foo"/,
  },
  {
    name: "an unknown model",
    args: ["--model", "cnn"],
    message: /must be one of leakyRNN, vanillaRNN, gru, lstm, horn, got "cnn"/,
  },
  { name: "an unknown flag", args: ["--hiden", "3"], message: /unknown option '--hiden'/ },
  {
    name: "a missing config file",
    args: ["--config", join(dir, "nope.yaml")],
    message: /nope\.yaml does not exist/,
  },
  {
    name: "invalid YAML",
    args: ["--config", file("broken.yaml", "model:\n  hidden: [1\n")],
    message: /broken\.yaml: not valid YAML: .*line \d+/,
  },
  {
    name: "invalid JSON",
    args: ["--config", file("broken.json", '{"model": ')],
    message: /broken\.json: not valid JSON/,
  },
  {
    name: "an unknown key in a config file",
    args: ["--config", file("unknown.yaml", "model:\n  hiden: 3\n")],
    message: /unknown key model\.hiden \(value 3\); the model section allows type, hidden, tauMs/,
  },
  {
    name: "a wrong type in a config file",
    args: ["--config", file("type.json", '{"training": {"lr": "fast"}}')],
    message: /type\.json: training\.lr must be a number, got "fast"/,
  },
  {
    name: "an option the task refuses",
    args: [
      "--config",
      file("task.json", '{"task": {"name": "PerceptualDecisionMaking", "options": {"cohs": "x"}}}'),
    ],
    message: /task\.options are invalid: PerceptualDecisionMaking: cohs must be/,
  },
  {
    name: "a time constant shorter than the step",
    args: ["--dt", "20", "--tau", "10"],
    message: /dtMs must be <= tauMs/,
  },
  {
    name: "an unknown kind",
    args: ["--kind", "rl"],
    message: /--kind \(kind\) must be one of supervised, spiking, forecast, got "rl"/,
  },
  {
    name: "an unknown series",
    args: ["--kind", "forecast", "--series", "weather"],
    message: /--series \(series\.name\) must be one of lorenz, rossler, doubleScroll, .*, got "weather"/,
  },
  {
    name: "zero spike trains",
    args: ["--kind", "spiking", "--samples", "0"],
    message: /--samples \(data\.samples\) must be >= 1, got 0/,
  },
  {
    name: "a negative firing rate",
    args: ["--kind", "spiking", "--rate", "-5"],
    message: /--rate \(data\.rateHz\) must be > 0, got -5/,
  },
  {
    name: "a flag of another kind",
    args: ["--kind", "spiking", "--tau", "50"],
    message: /unknown key --tau \(model\.tauMs\) \(value 50\); the model section allows hidden/,
  },
  {
    name: "a warm-up shorter than the NVAR's taps",
    args: ["--kind", "forecast", "--warmup", "0.1"],
    message:
      /series\.warmup must cover the NVAR's \(delay − 1\) · stride = 15 steps \(0\.15 time units\), got 0\.1/,
  },
  {
    name: "a test span no longer than the largest horizon",
    args: ["--kind", "forecast", "--test-time", "0.5"],
    message: /series\.test must be longer than the largest horizon, 100 steps \(1 time units\), got 0\.5/,
  },
  {
    name: "an unknown key in a spiking config file",
    args: ["--config", file("spiking.yaml", "kind: spiking\ndata:\n  neurons: 3\n")],
    message:
      /unknown key data\.neurons \(value 3\); the data section allows samples, steps, inputs, rateHz, dtMs/,
  },
  {
    name: "resuming a directory that does not exist",
    args: ["--resume", join(dir, "none")],
    message: /does not exist/,
  },
];

describe.concurrent("braints train refuses bad input", () => {
  it.each(CASES)("$name: a clear error, a non-zero exit and no run directory", async ({ args, message }) => {
    const out = join(dir, `run-${args.join("_").replace(/\W/g, "")}`);
    const result = await braints(["train", ...args, ...(args.includes("--resume") ? [] : ["--out", out])]);
    expect(result.stderr).toMatch(message);
    expect(result.code).not.toBe(0);
    expect(existsSync(out)).toBe(false);
  });
});

describe("braints puts the run directories' errors in its own words", () => {
  it("names --out and --resume for a run directory that holds files", async () => {
    const out = join(dir, "taken");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "mine");
    const result = await braints(["train", "--out", out]);
    expect(result.stderr).toBe(
      `braints: run directory ${out} already exists and is not empty; choose another --out, or continue it with braints train --resume ${out}\n`,
    );
    expect(result.code).toBe(1);
  });

  it("names --resume for a run directory that does not exist", async () => {
    const result = await braints(["train", "--resume", join(dir, "gone")]);
    expect(result.stderr).toBe(`braints: --resume: run directory ${join(dir, "gone")} does not exist\n`);
  });

  it("names braints train --resume for a run that has not finished training", async () => {
    const run = join(dir, "unfinished");
    mkdirSync(run);
    writeFileSync(join(run, "config.json"), "{}");
    const result = await braints(["eval", run]);
    expect(result.stderr).toMatch(
      /^braints: .*unfinished has no trained model \(.*model\.safetensors\); finish training first with braints train --resume .*unfinished\n$/,
    );
    expect(result.code).toBe(1);
  });
});
