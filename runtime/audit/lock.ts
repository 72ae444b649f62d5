/**
 * The writer lock of an audit log directory: `writer.lock`, a JSON note of the process that
 * appends to the log (pid, host, since), created exclusively and refreshed every few seconds.
 * A log has one writer; the lock turns a second one (two sidecars on one data volume,
 * `paracle audit retention apply` beside a running sidecar) into a clear error at start instead
 * of a sidecar that finds a record it did not write and fails closed.
 *
 * Staleness: on the same host a holder whose pid is gone (or is this very process: a restarted
 * container gets the same pid) has left; on another host (a shared volume) a lock not refreshed
 * for {@link STALE_MS} has. Same-process opens share the lock (counted), as lmdb-js shares the
 * environment.
 */
import {
  closeSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { AuditError } from "./errors.js";

export const LOCK_FILE = "writer.lock";
/** How often a holder refreshes the lock's mtime. */
export const REFRESH_MS = 5_000;
/** A lock from another host not refreshed for this long is stale. */
export const STALE_MS = 30_000;

export interface LockInfo {
  pid: number;
  host: string;
  since: number;
}

const held = new Map<string, { count: number; timer: NodeJS.Timeout }>();

function read(file: string): { info: LockInfo | undefined; mtimeMs: number } | undefined {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    let info: LockInfo | undefined;
    try {
      const v = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
      if (typeof v?.pid === "number" && typeof v.host === "string") info = v;
    } catch {
      // half-written by a writer that died right after creating it: stale below
    }
    return { info, mtimeMs };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live holder of the lock of `dir` other than this process, if any. */
export function lockHolder(dir: string, now = Date.now()): LockInfo | undefined {
  if (held.has(resolve(dir))) return undefined;
  const cur = read(join(dir, LOCK_FILE));
  if (!cur) return undefined;
  const { info, mtimeMs } = cur;
  if (!info) return now - mtimeMs > STALE_MS ? undefined : { pid: 0, host: "?", since: mtimeMs };
  if (info.host === hostname()) {
    return info.pid !== process.pid && alive(info.pid) ? info : undefined;
  }
  return now - mtimeMs > STALE_MS ? undefined : info;
}

/** Throws `audit_locked` naming the holder when another live process holds the lock of `dir`. */
export function assertUnlocked(dir: string, what: string): void {
  const h = lockHolder(dir);
  if (h) throw lockedError(dir, h, what);
}

function lockedError(dir: string, h: LockInfo, what: string): AuditError {
  return new AuditError("audit_locked", {
    path: dir,
    what,
    pid: h.pid,
    host: h.host,
    since: new Date(h.since).toISOString(),
    file: join(dir, LOCK_FILE),
  });
}

/**
 * Takes the writer lock of `dir` (shared by every open in this process); returns its release.
 * Throws `audit_locked` when another live process holds it; a stale lock is taken over.
 */
export function acquireWriterLock(dir: string): () => void {
  const key = resolve(dir);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    return once(key);
  }
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const h = lockHolder(dir);
      if (h) throw lockedError(dir, h, "it has one writer");
      try {
        unlinkSync(file); // stale: its writer is gone
      } catch {
        // another process took it over first; the next attempt sees its lock
      }
      continue;
    }
    try {
      const info: LockInfo = { pid: process.pid, host: hostname(), since: Date.now() };
      writeSync(fd, `${JSON.stringify(info)}\n`);
    } finally {
      closeSync(fd);
    }
    const timer = setInterval(() => {
      try {
        const t = new Date();
        utimesSync(file, t, t);
      } catch {
        // the directory is gone or read-only: the log's own writes fail and fail closed
      }
    }, REFRESH_MS);
    timer.unref();
    held.set(key, { count: 1, timer });
    return once(key);
  }
  throw lockedError(dir, { pid: 0, host: "?", since: Date.now() }, "it has one writer");
}

function once(key: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const h = held.get(key);
    if (!h || --h.count > 0) return;
    clearInterval(h.timer);
    held.delete(key);
    try {
      unlinkSync(join(key, LOCK_FILE));
    } catch {
      // already gone
    }
  };
}
