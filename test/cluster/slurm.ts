/**
 * A one-node Slurm cluster on loopback for the tests, run from Debian's `slurm-wlm` and `munge`
 * packages (`.ci/run` installs them when missing): munged, slurmctld and slurmd as child processes,
 * with their key, sockets, state, spool and logs in one temporary directory and the daemons on free
 * loopback ports, so nothing on the machine is read or changed. Client commands (`sbatch`, `squeue`,
 * `scontrol`) find the cluster through `SLURM_CONF` in {@link SlurmCluster.env}.
 *
 * If a daemon cannot start, {@link startSlurm} throws with the daemons' logs: a test that needs the
 * cluster fails, it is never skipped.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir, totalmem, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./freePort.ts";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A running one-node cluster. */
export interface SlurmCluster {
  /** The temporary directory holding the configuration, state, spool and logs. */
  readonly dir: string;
  /** The environment for Slurm's client commands: the caller's plus `SLURM_CONF`. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command (`squeue`, `scontrol`, ...) and returns its stdout; throws with its stderr. */
  slurm(command: string, args: readonly string[]): Promise<string>;
  /** The daemons' logs, to put in a failing test's message. */
  logs(): string;
  /** Cancels every job, waits for the queue to empty, stops the daemons and removes the directory. */
  stop(): Promise<void>;
}

/** The daemons the cluster runs, each found on the PATH or in `/usr/sbin`. */
const DAEMONS = ["munged", "slurmctld", "slurmd"] as const;

function executable(name: string): string {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(
    `startSlurm: ${name} must be installed, it is not on the PATH nor in /usr/sbin. ` +
      `.ci/run installs it: apt-get install -y slurm-wlm munge`,
  );
}

/**
 * The configuration of the one-node cluster. Every path and port is this cluster's own:
 * `AuthInfo` points Slurm at this munged's socket, and `cred_expire=5` lets a requeued job start
 * again after 6 s (Slurm holds it for the credential lifetime, 120 s by default). `KillWait=2`
 * sends SIGKILL 2 s after the SIGTERM of a cancelled or requeued job.
 */
function slurmConf(dir: string, ctldPort: number, slurmdPort: number): string {
  const user = userInfo().username;
  const memoryMiB = Math.floor(totalmem() / 2 ** 20);
  return `ClusterName=braints
SlurmctldHost=localhost
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
SlurmUser=${user}
SlurmdUser=${user}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${join(dir, "munge", "munge.socket")},cred_expire=5
StateSaveLocation=${join(dir, "state")}
SlurmdSpoolDir=${join(dir, "spool")}
SlurmctldPidFile=${join(dir, "slurmctld.pid")}
SlurmdPidFile=${join(dir, "slurmd.pid")}
SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}
SlurmdLogFile=${join(dir, "log", "slurmd.log")}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobRequeue=1
KillWait=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=${availableParallelism()} RealMemory=${memoryMiB} State=UNKNOWN
PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts munged, slurmctld and slurmd in a new temporary directory and resolves once `sinfo`
 * shows the node idle (within `timeoutMs`); throws with the daemons' logs otherwise.
 */
export async function startSlurm(timeoutMs = 60_000): Promise<SlurmCluster> {
  const [munged, slurmctld, slurmd] = DAEMONS.map(executable) as [string, string, string];
  const dir = mkdtempSync(join(tmpdir(), "braints-slurm-"));
  for (const sub of ["munge", "state", "spool", "log"]) mkdirSync(join(dir, sub), { mode: 0o755 });
  const key = join(dir, "munge", "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const conf = join(dir, "slurm.conf");
  writeFileSync(conf, slurmConf(dir, await freePort(), await freePort()));
  const env = { ...process.env, SLURM_CONF: conf };

  const children: ChildProcess[] = [];
  const exits: string[] = [];
  const daemon = (path: string, args: readonly string[], log: string): void => {
    const child = spawn(path, args, { env, stdio: ["ignore", "ignore", "ignore"] });
    child.on("exit", (code, signal) => exits.push(`${path} exited (code ${code}, signal ${signal})`));
    child.on("error", (error) => exits.push(`${path} failed to start: ${error.message} (log ${log})`));
    children.push(child);
  };
  const logs = (): string =>
    [
      ...exits,
      ...["munge/munged.log", "log/slurmctld.log", "log/slurmd.log"].map((f) => {
        const path = join(dir, f);
        return `--- ${f}\n${existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-40).join("\n") : "(none)"}`;
      }),
    ].join("\n");

  const slurm = async (command: string, args: readonly string[]): Promise<string> => {
    try {
      return (await run(command, [...args], { env })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
    }
  };

  const stop = async (): Promise<void> => {
    // Jobs first: slurmstepd outlives slurmd, so a job still running would be left behind.
    if (
      await slurm("scancel", ["--user", userInfo().username]).then(
        () => true,
        () => false,
      )
    ) {
      for (let i = 0; i < 50 && (await slurm("squeue", ["-h"]).catch(() => "")).trim() !== ""; i++)
        await sleep(200);
    }
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000).then(() => child.kill("SIGKILL"))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const munge = join(dir, "munge");
  daemon(
    munged,
    [
      "--foreground",
      "--force",
      `--key-file=${key}`,
      `--socket=${join(munge, "munge.socket")}`,
      `--pid-file=${join(munge, "munged.pid")}`,
      `--log-file=${join(munge, "munged.log")}`,
      `--seed-file=${join(munge, "munged.seed")}`,
    ],
    "munge/munged.log",
  );
  const started = Date.now();
  try {
    while (!existsSync(join(munge, "munge.socket"))) {
      if (exits.length > 0 || Date.now() - started > timeoutMs)
        throw new Error("munged did not create its socket");
      await sleep(50);
    }
    daemon(slurmctld, ["-D", "-f", conf], "log/slurmctld.log");
    daemon(slurmd, ["-D", "-f", conf, "-N", "localhost"], "log/slurmd.log");
    for (;;) {
      if (exits.length > 0) throw new Error("a daemon exited");
      const state = await slurm("sinfo", ["-h", "-N", "-o", "%t"]).catch(() => "");
      if (state.trim() === "idle") break;
      if (Date.now() - started > timeoutMs)
        throw new Error(`the node is not idle after ${timeoutMs} ms (sinfo: ${state.trim()})`);
      await sleep(250);
    }
  } catch (error) {
    const message = `startSlurm: ${(error as Error).message}\n${logs()}`;
    await stop();
    throw new Error(message);
  }
  return { dir, env, slurm, logs, stop };
}
