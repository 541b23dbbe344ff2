import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { OrgwardenError } from "@orgwarden/core";

/** What a lock file holds: who holds the state, and since when. */
interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface StateLock {
  /** `<state>.lock`. */
  file: string;
  /** Said when a stale lock (its process gone) was taken over. */
  note: string | undefined;
  /** Removes the lock file; safe to call twice. */
  release(): void;
}

export interface LockOptions {
  now: Date;
  pid?: number;
  host?: string;
  /** Whether a process of this host is alive (a test passes its own). */
  alive?: (pid: number) => boolean;
}

/**
 * An exclusive lock on a rollout's state file: `<state>.lock`, created only if absent (O_EXCL),
 * holding the pid, host and start time. Two runs on one state would each attach and judge from
 * their own copy, the last write winning. A lock whose process is gone on this host is stale and
 * taken over (with a note); any other is REFUSED (exit 2) naming its holder. The lock is released by
 * `release()` and, since a signal's exit skips `finally`, when the process exits.
 */
export function lockRolloutState(stateFile: string, options: LockOptions): StateLock {
  const file = `${stateFile}.lock`;
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    since: options.now.toISOString(),
  };
  const alive = options.alive ?? processAlive;
  let note: string | undefined;
  if (!create(file, owner)) {
    const held = readOwner(file);
    if (held && (held.host !== owner.host || alive(held.pid))) {
      throw new OrgwardenError(
        "REFUSED",
        `another rollout holds ${file} (pid ${held.pid}${held.host !== owner.host ? ` on ${held.host}` : ""} since ${held.since})`,
        {
          hint: `Wait for it to end. If that process is gone (another host, a container stopped), delete ${file} and run again. Nothing was changed.`,
        },
      );
    }
    unlinkSync(file);
    if (!create(file, owner)) {
      throw new OrgwardenError("REFUSED", `another rollout took ${file} at the same moment`, {
        hint: "Run again once it ended. Nothing was changed.",
      });
    }
    note = held
      ? `took over ${file}: its holder (pid ${held.pid} since ${held.since}) is no longer running`
      : `took over ${file}: it named no holder`;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener("exit", release);
    try {
      unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once("exit", release);
  return { file, note, release };
}

function create(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new OrgwardenError("INVALID_INPUT", `cannot create the rollout lock ${file}: ${String(err)}`, {
      hint: "The folder of the state file must be writable.",
      cause: err,
    });
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<LockOwner>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.since === "string")
      return { pid: value.pid, host: value.host, since: value.since };
  } catch {
    // Empty (a holder killed between create and write) or damaged: no holder to name.
  }
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists, owned by another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
