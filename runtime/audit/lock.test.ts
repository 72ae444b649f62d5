import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireWriterLock, LOCK_FILE, lockHolder, STALE_MS } from "./lock.js";
import { AuditTrail } from "./trail.js";

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "paracle-audit-lock-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A live process other than this one. */
function sleeper(): ChildProcess {
  const c = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
  children.push(c);
  return c;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
  await new Promise((r) => c.once("exit", r));
  return c.pid!;
}

const writeLock = (dir: string, info: object, ageMs = 0) => {
  const file = join(dir, LOCK_FILE);
  writeFileSync(file, JSON.stringify(info));
  const t = new Date(Date.now() - ageMs);
  utimesSync(file, t, t);
};

describe("writer lock", () => {
  it("is shared by the opens of one process and removed by the last release", () => {
    const dir = tmp();
    const a = acquireWriterLock(dir);
    const b = acquireWriterLock(dir);
    const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"));
    expect(info).toMatchObject({ pid: process.pid, host: hostname() });
    a();
    a(); // idempotent
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    b();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("refuses a lock held by another live process on this host, naming it", () => {
    const dir = tmp();
    const other = sleeper();
    writeLock(dir, { pid: other.pid, host: hostname(), since: Date.UTC(2026, 10, 25, 8) });
    expect(lockHolder(dir)).toMatchObject({ pid: other.pid });
    expect(() => acquireWriterLock(dir)).toThrow(
      `the audit log at \`${dir}\` is being written by process ${other.pid} on \`${hostname()}\` since 2026-11-25T08:00:00.000Z; it has one writer`,
    );
  });

  it("takes over the lock of a process that is gone, and a stale lock from another host", async () => {
    const dir = tmp();
    writeLock(dir, { pid: await deadPid(), host: hostname(), since: 1 });
    expect(lockHolder(dir)).toBeUndefined();
    acquireWriterLock(dir)();

    writeLock(dir, { pid: 1, host: "other-pod", since: 1 }, 1_000); // refreshed a second ago
    expect(() => acquireWriterLock(dir)).toThrow(/process 1 on `other-pod`/);
    writeLock(dir, { pid: 1, host: "other-pod", since: 1 }, STALE_MS + 5_000);
    const release = acquireWriterLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    release();
  });

  it("AuditTrail: a second writer is refused at open; lock: false may sign checkpoints but not append", async () => {
    const dir = tmp();
    const first = await AuditTrail.open({ path: dir });
    await first.append({
      type: "system.start",
      actor: { id: "s", kind: "system" },
      outcome: "success",
    });
    await first.close();
    const other = sleeper();
    writeLock(dir, { pid: other.pid, host: hostname(), since: Date.now() });

    await expect(AuditTrail.open({ path: dir })).rejects.toMatchObject({ code: "audit_locked" });
    const { privateKey } = generateKeyPairSync("ed25519");
    const t = await AuditTrail.open({ path: dir, lock: false, signingKey: privateKey });
    await expect(
      t.append({ type: "system.stop", actor: { id: "s", kind: "system" }, outcome: "success" }),
    ).rejects.toMatchObject({ code: "audit_locked" });
    expect(await t.checkpoint()).toMatch(/^paracle\.audit\/[0-9a-f]+\n1\n/);
    await t.close();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(other.pid); // untouched
  });
});
