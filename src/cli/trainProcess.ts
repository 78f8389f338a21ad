/**
 * `braints train` trains in a child process so that the command stays responsive: the training
 * loop is synchronous, so a Ctrl-C (SIGINT) reaches a process that is busy training only after
 * training ends. The parent shows progress and, on SIGINT, restores the terminal, says how far
 * training got and how to continue, and stops the child. Messages go over Node's IPC channel.
 */
import { fork } from "node:child_process";
import { BraintsError } from "../base/errors.ts";
import { inCommandWords } from "./fail.ts";
import type { RunConfig } from "../app/recipes/runConfig.ts";
import type { EpochLine } from "../app/runs/metrics.ts";
import type { TrainHooks, TrainProgress } from "../app/runs/train.ts";

/** What the child is asked to do: start a run in `dir` with `config`, or resume the run in `dir`. */
export type TrainJob =
  | { readonly kind: "start"; readonly dir: string; readonly config: RunConfig }
  | { readonly kind: "resume"; readonly dir: string };

/** What training produced, as the parent needs it. */
export interface TrainOutcome {
  readonly dir: string;
  /** Updates done (absent for a forecast run). */
  readonly step?: number;
  /** The checkpoint training continued from, when resumed. */
  readonly resumedFrom?: string;
}

type ChildMessage =
  | { readonly type: "step"; readonly progress: TrainProgress }
  | { readonly type: "epoch"; readonly progress: TrainProgress; readonly line: EpochLine }
  | { readonly type: "warning"; readonly message: string }
  | { readonly type: "done"; readonly outcome: TrainOutcome }
  | { readonly type: "error"; readonly braints: boolean; readonly message: string; readonly stack: string };

/** The environment variable that makes the command's entry point the training child. */
const CHILD = "BRAINTS_TRAIN_CHILD";

/** Whether this process is the training child of a `braints train`. */
export const isTrainChild = (): boolean => process.env[CHILD] === "1" && process.send !== undefined;

/** Where training was when it was interrupted. */
export interface Interrupted {
  /** The last update done, if any. */
  readonly step?: number;
  readonly totalSteps?: number;
  /** The last epoch whose checkpoint was written, if any. */
  readonly checkpoint?: { readonly epoch: number; readonly step: number };
}

/**
 * Runs `job` in a child process (this command's own entry point), calling `hooks` with its
 * progress. On SIGINT (or SIGTERM) the child is stopped and `onInterrupt` is called instead of
 * resolving.
 */
export function trainInChild(
  job: TrainJob,
  hooks: TrainHooks,
  onInterrupt: (where: Interrupted) => void,
): Promise<TrainOutcome> {
  const child = fork(process.argv[1] as string, [], {
    env: { ...process.env, [CHILD]: "1" },
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let last: TrainProgress | undefined;
  let checkpoint: Interrupted["checkpoint"];
  return new Promise<TrainOutcome>((resolve, reject) => {
    const interrupt = () => {
      child.kill("SIGKILL");
      onInterrupt({
        ...(last ? { step: last.step, totalSteps: last.totalSteps } : {}),
        ...(checkpoint ? { checkpoint } : {}),
      });
    };
    const detach = () => {
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
    };
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    child.on("message", (m: ChildMessage) => {
      switch (m.type) {
        case "step":
          last = m.progress;
          return hooks.onStep?.(m.progress);
        case "epoch":
          last = m.progress;
          checkpoint = { epoch: m.progress.epoch, step: m.progress.step };
          return hooks.onEpoch?.(m.progress, m.line);
        case "warning":
          return hooks.onWarning?.(m.message);
        case "done":
          detach();
          return resolve(m.outcome);
        case "error": {
          detach();
          const error = m.braints ? new BraintsError(m.message) : new Error(m.message);
          error.stack = m.stack;
          return reject(error);
        }
      }
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") return;
      detach();
      reject(new Error(`the training process ended unexpectedly (exit code ${code}, signal ${signal})`));
    });
    child.send(job);
  });
}

/** The child's side: receives one job, trains it, reports progress and the outcome, and exits. */
export async function serveTrainJob(): Promise<void> {
  // Ctrl-C in a terminal signals the whole process group: the parent decides what it does.
  process.on("SIGINT", () => undefined);
  const job = await new Promise<TrainJob>((resolve) => process.once("message", resolve));
  const send = (m: ChildMessage) =>
    new Promise<void>((resolve) => (process.send as NonNullable<typeof process.send>)(m, () => resolve()));
  const { resumeRun, startRun } = await import("../app/runs/train.ts");
  // A parent killed outright (SIGKILL) cannot stop this process, and its busy loop never sees the
  // IPC channel close: it checks after every update that its parent is still the one that started it.
  const parent = process.ppid;
  const hooks: TrainHooks = {
    onStep: (progress) => {
      if (process.ppid !== parent) process.exit(1);
      void send({ type: "step", progress });
    },
    onEpoch: (progress, line) => void send({ type: "epoch", progress, line }),
    onWarning: (message) => void send({ type: "warning", message }),
  };
  try {
    const r = job.kind === "resume" ? resumeRun(job.dir, hooks) : startRun(job.dir, job.config, hooks);
    await send({
      type: "done",
      outcome: {
        dir: r.run.dir,
        ...(r.state ? { step: r.state.step } : {}),
        ...(r.resumedFrom ? { resumedFrom: r.resumedFrom.path } : {}),
      },
    });
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    await send({
      type: "error",
      braints: error instanceof BraintsError,
      // The parent gets a plain error: the command's words go with it.
      message: error instanceof BraintsError ? inCommandWords(error) : error.message,
      stack: error.stack ?? error.message,
    });
  }
  process.exit(0);
}
