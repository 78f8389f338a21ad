/**
 * The lock of a trial: a file created exclusively (`O_EXCL`) by the process that runs the trial,
 * naming its owner, host and pid, its modification time refreshed as training goes (the heartbeat).
 * It keeps two processes from training one trial at once; exactly-once results do not rest on it
 * (the result file does), so a lock left by a killed process is simply taken over.
 */
import {
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
  closeSync,
} from "node:fs";
import { hostname } from "node:os";

/** What a lock file holds. */
export interface TrialLock {
  /** Who runs the trial: by default `host:pid`; a requeued job passes the same owner as its predecessor. */
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  /** When the lock was taken (ISO 8601). */
  readonly since: string;
}

/** How a lock file is judged. */
export interface LockInspection {
  readonly holder: TrialLock;
  /** Milliseconds since the last heartbeat. */
  readonly idleMs: number;
  /** Whether its holder is gone: see {@link inspectTrialLock}. */
  readonly stale: boolean;
}

/** A held lock: refresh it while working, release it when done. */
export interface HeldLock {
  /** Refreshes the heartbeat (at most once a second touches the file). */
  heartbeat(): void;
  /** Deletes the lock file. */
  release(): void;
}

/** The default owner of this process: `host:pid`. */
export const processOwner = (): string => `${hostname()}:${process.pid}`;

/**
 * Whether process `pid` of this host can hold a lock: it exists and has not exited. An exited
 * process that its parent has not reaped yet (a zombie: e.g. a sweep's orphaned worker in a
 * container whose init does not reap) still answers `kill(pid, 0)` but holds nothing; Linux shows
 * its state in /proc; elsewhere `kill`'s answer stands.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return !existsSync("/proc/self/stat"); // with /proc: gone since
  }
  // The state follows the command name in parentheses, which may itself hold parentheses.
  return stat[stat.lastIndexOf(")") + 2] !== "Z";
}

function readLock(file: string): { holder: TrialLock; mtimeMs: number } | undefined {
  let mtimeMs: number;
  let text: string;
  try {
    mtimeMs = statSync(file).mtimeMs;
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    return { holder: JSON.parse(text) as TrialLock, mtimeMs };
  } catch {
    // Empty or torn (its writer was killed between creating and writing it): it goes stale by age.
    return { holder: { owner: "", host: "", pid: 0, since: "" }, mtimeMs };
  }
}

/**
 * Reads a lock file and judges whether its holder is gone: the lock is stale when `owner` is its
 * owner (the same job started again: the old one is dead), when it was taken on this host by a
 * process that no longer exists, or when its heartbeat is older than `staleAfterMs`.
 * @returns undefined when there is no lock file
 */
export function inspectTrialLock(
  file: string,
  staleAfterMs: number,
  owner?: string,
): LockInspection | undefined {
  const lock = readLock(file);
  if (!lock) return undefined;
  const { holder } = lock;
  const idleMs = Date.now() - lock.mtimeMs;
  const stale =
    holder.owner === owner || (holder.host === hostname() && !alive(holder.pid)) || idleMs > staleAfterMs;
  return { holder, idleMs, stale };
}

function create(file: string, holder: TrialLock): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock `file` for `owner`, taking over a stale one (see {@link inspectTrialLock}).
 * @returns the held lock, or the live holder when another process has it
 */
export function acquireTrialLock(
  file: string,
  owner: string,
  staleAfterMs: number,
): { readonly held: HeldLock } | { readonly holder: TrialLock } {
  const me: TrialLock = { owner, host: hostname(), pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, me)) {
      let last = Date.now();
      return {
        held: {
          heartbeat() {
            const now = Date.now();
            if (now - last < 1000) return;
            last = now;
            if (existsSync(file)) utimesSync(file, now / 1000, now / 1000);
          },
          release: () => rmSync(file, { force: true }),
        },
      };
    }
    const seen = inspectTrialLock(file, staleAfterMs, owner);
    if (seen && !seen.stale) return { holder: seen.holder };
    // Remove the stale lock only if it is still the one judged (another taker may have replaced it).
    const now = readLock(file);
    if (seen && now && JSON.stringify(now.holder) === JSON.stringify(seen.holder))
      rmSync(file, { force: true });
  }
  const holder = readLock(file)?.holder;
  if (holder) return { holder };
  throw new Error(`acquireTrialLock: could not create ${file} in 3 attempts`);
}
