// `paracle audit verify|search|stats|export` read the log without writing to it: beside a running
// sidecar, on a log whose index lags (a crashed writer), and never creating a log at a wrong path.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerAudit } from "../cli/commands/audit.js";
import { AuditStorage } from "../runtime/audit/storage.js";
import { AuditTrail } from "../runtime/audit/trail.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<string> {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const program = new Command("paracle").exitOverride();
  registerAudit(program);
  try {
    await program.parseAsync(["node", "paracle", "audit", ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

/** A log of `n` records whose index entries and subtrees were never written (crashed writer). */
async function laggingLog(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "paracle-cli-audit-"));
  dirs.push(dir);
  const trail = await AuditTrail.open({ path: dir });
  for (let i = 0; i < n; i++) {
    await trail.append({
      type: "policy.evaluation",
      actor: { id: i % 2 ? "bot-b" : "bot-a", kind: "agent" },
      action: "echo",
      outcome: i % 3 ? "success" : "denied",
      correlation_id: `c-${i}`,
    });
  }
  await trail.close();
  const s = AuditStorage.open(dir);
  await s.env.transaction(() => {
    s.index.clearSync();
    s.tree.clearSync();
    s.meta.putSync("indexed", 0);
  });
  await s.close();
  return dir;
}

const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("paracle audit (read commands)", () => {
  it("verify, search, stats and export answer from a lagging log and leave its bytes unchanged", async () => {
    const dir = await laggingLog(7);
    const before = digest(join(dir, "data.mdb"));

    expect(await run("verify", "--dir", dir)).toMatch(/^ok: 7 records verified/);
    expect(process.exitCode).toBe(0);
    const found = (await run("search", "--dir", dir, "--actor", "bot-b"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).seq);
    expect(found).toEqual([1, 3, 5]);
    const stats = JSON.parse(await run("stats", "--dir", dir));
    expect(stats).toMatchObject({ total: 7, byOutcome: { denied: 3, success: 4 } });
    const exported = (await run("export", "--dir", dir, "--format", "jsonl")).trim().split("\n");
    expect(exported).toHaveLength(7);

    expect(digest(join(dir, "data.mdb"))).toBe(before);
    const s = AuditStorage.open(dir, { readOnly: true });
    expect(s.indexedUpTo()).toBe(0);
    await s.close();
  });

  it("refuses a directory without a log instead of creating an empty one", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "paracle-cli-audit-")), "typo");
    dirs.push(dir);
    await expect(run("verify", "--dir", dir)).rejects.toThrow(
      `no audit log at \`${dir}\` (no data.mdb there)`,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("a read-only trail refuses appends and checkpoints", async () => {
    const dir = await laggingLog(1);
    const t = await AuditTrail.open({ path: dir, readOnly: true });
    await expect(
      t.append({ type: "system.start", actor: { id: "s", kind: "system" }, outcome: "success" }),
    ).rejects.toThrow(/open read-only: no appends/);
    expect((await t.query({ actor: "bot-a" })).records.map((r) => r.seq)).toEqual([0]);
    await t.close();
  });
});
