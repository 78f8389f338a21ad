/**
 * A real `redis-server` (Debian's package; `.ci/run` installs it when missing) on a free loopback
 * port with no persistence, as a child process of the test. If it cannot start,
 * {@link startRedis} throws with its log: a test that needs it fails, it is never skipped.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./freePort.ts";

/** A running redis-server. */
export interface RedisServer {
  /** Its URL, `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** What the server printed, to put in a failing test's message. */
  log(): string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes its working directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on loopback and resolves once it accepts connections (within `timeoutMs`). */
export async function startRedis(timeoutMs = 20_000): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "braints-redis-"));
  const args = ["--port", `${port}`, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<string>((resolve) => {
    child.on("exit", (code, signal) => resolve(`redis-server exited (code ${code}, signal ${signal})`));
    child.on("error", (error) =>
      resolve(
        `redis-server failed to start: ${error.message}. ` +
          `.ci/run installs it: apt-get install -y redis-server`,
      ),
    );
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = new Promise<void>((resolve) => {
    const check = () => (output.includes("Ready to accept connections") ? resolve() : undefined);
    child.stdout.on("data", check);
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then(() => "ready"),
    exited,
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`redis-server not ready after ${timeoutMs} ms`), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome !== "ready") {
    await stop();
    throw new Error(`startRedis: ${outcome}\n${output}`);
  }
  return { url: `redis://127.0.0.1:${port}`, log: () => output, stop };
}
