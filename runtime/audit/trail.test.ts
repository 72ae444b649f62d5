import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { parseCheckpoint, verifyCheckpoint } from "./checkpoint.js";
import { leafHash, verifyConsistency, verifyInclusion } from "./merkle.js";
import { RetentionPolicy } from "./retention.js";
import { AuditTrail } from "./trail.js";
import type { AuditEventInput } from "./types.js";
import { verifyExport } from "./verify-export.js";

const DAY = 86_400_000;
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "paracle-audit-trail-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const event = (i: number, extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
  type: "agent.action",
  actor: { id: `agent-${i % 3}`, kind: "agent" },
  action: i % 2 ? "db.delete" : "db.read",
  risk: { score: (i * 13) % 100, level: i % 5 === 0 ? "critical" : "low" },
  policy: { decision: "allow", matched: [`p${i % 4}`], bundle: "b" },
  outcome: i % 2 ? "denied" : "success",
  correlation_id: `c-${i % 10}`,
  ...extra,
});

describe("AuditTrail", () => {
  it("reports its lag (unindexed, uncheckpointed) and each group commit's wait", async () => {
    const trail = await AuditTrail.open({ path: tmp(), signingKey: privateKey });
    const commits: [number, number][] = [];
    trail.onCommit = (records, waitMs) => commits.push([records, waitMs]);
    await Promise.all([trail.append(event(0)), trail.append(event(1))]);
    await trail.append(event(2));
    expect(commits.map(([n]) => n)).toEqual([2, 1]);
    for (const [, ms] of commits) expect(ms).toBeGreaterThanOrEqual(0);
    // committed, not yet indexed (the index follows within INDEX_MAX_DELAY_MS), never signed
    expect(trail.lag()).toEqual({ unindexed: 3, uncheckpointed: 3 });
    await trail.flushIndex();
    await trail.checkpoint();
    expect(trail.lag()).toEqual({ unindexed: 0, uncheckpointed: 0 });
    await trail.append(event(3));
    expect(trail.lag()).toEqual({ unindexed: 1, uncheckpointed: 1 });
    await trail.close();
  });

  it("chains records from the genesis hash and resumes after reopening", async () => {
    const path = tmp();
    const clock = new ManualClock(1_000);
    let trail = await AuditTrail.open({ path, clock });
    const a = await trail.append(event(0));
    expect(a).toMatchObject({ seq: 0, timestamp: 1_000, prev_hash: "0".repeat(64), v: 1 });
    await trail.close();
    trail = await AuditTrail.open({ path, clock });
    const b = await trail.append(event(1));
    expect(b).toMatchObject({ seq: 1, prev_hash: a.hash });
    await expect(trail.append({ ...event(2), outcome: "maybe" as never })).rejects.toThrow(
      "invalid audit event: unknown outcome `maybe`",
    );
    await expect(trail.append(event(2, { context: { x: Number.NaN } }))).rejects.toThrow(
      /not JSON/,
    );
    expect(trail.size).toBe(2);
    await trail.close();
  });

  it("groups many appends into few transactions and resolves each after commit", async () => {
    const trail = await AuditTrail.open({ path: tmp() });
    const recs = await Promise.all(Array.from({ length: 500 }, (_, i) => trail.append(event(i))));
    expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(trail.storage.get(499)?.hash).toBe(recs[499]!.hash);
    await trail.close();
  });

  it("proves inclusion and consistency against signed checkpoints", async () => {
    const trail = await AuditTrail.open({
      path: tmp(),
      signingKey: privateKey,
      origin: "example.com/audit",
    });
    for (let i = 0; i < 21; i++) await trail.append(event(i));
    const note1 = await trail.checkpoint();
    for (let i = 21; i < 50; i++) await trail.append(event(i));
    const note2 = await trail.checkpoint();
    const cp1 = verifyCheckpoint(note1, publicKey);
    const cp2 = verifyCheckpoint(note2, publicKey);
    expect(note2).toMatch(
      /^example\.com\/audit\n50\n[A-Za-z0-9+/]{43}=\ntimestamp \d+\n\n\u2014 example\.com\/audit [A-Za-z0-9+/=]+\n$/,
    );
    expect(parseCheckpoint(note2).checkpoint.size).toBe(50);
    for (const seq of [0, 7, 20, 33, 49]) {
      const proof = trail.inclusionProof(seq, 50);
      expect(verifyInclusion(Buffer.from(JSON.stringify(0)), seq, 50, proof, cp2.root)).toBe(false);
      const hash = trail.storage.leafHash(seq)!;
      const { verifyInclusionHash } = await import("./merkle.js");
      expect(verifyInclusionHash(hash, seq, 50, proof, cp2.root)).toBe(true);
    }
    expect(verifyConsistency(21, 50, trail.consistencyProof(21, 50), cp1.root, cp2.root)).toBe(
      true,
    );
    expect(leafHash(Buffer.from("x"))).toHaveLength(32);
    await trail.close();
  });

  it("queries through the secondary indexes with cursor pagination", async () => {
    const trail = await AuditTrail.open({ path: tmp(), clock: new ManualClock(0) });
    for (let i = 0; i < 60; i++) await trail.append(event(i, { timestamp: i * 1000 }));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await trail.query(
        { actor: "agent-1" },
        { limit: 7, ...(cursor ? { cursor } : {}) },
      );
      expect(page.index).toBe("a");
      seen.push(...page.records.map((r) => r.seq));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i * 3 + 1));
    const q = await trail.query({ from: 10_000, to: 20_000, outcome: "denied" });
    expect(q.records.map((r) => r.seq)).toEqual([11, 13, 15, 17, 19]);
    expect((await trail.query({ riskMin: 90 })).records.every((r) => r.risk!.score >= 90)).toBe(
      true,
    );
    expect(
      (await trail.query({ policy: "p3", correlation_id: "c-3" })).records.map((r) => r.seq),
    ).toEqual([3, 23, 43]);
    expect((await trail.query({ level: "critical" })).records).toHaveLength(12);
    await expect(trail.query({ actor: "x" }, { cursor: "nope" })).rejects.toThrow(
      "invalid page cursor `nope`",
    );
    const stats = await trail.stats();
    expect(stats).toMatchObject({
      total: 60,
      byOutcome: { denied: 30, success: 30 },
      byLevel: { critical: 12, low: 48 },
    });
    expect(stats.topActors[0]).toEqual({ id: "agent-0", count: 20 });
    await trail.close();
  });

  it("serves queries, stats and pruning from posting lists written by one group commit", async () => {
    const path = tmp();
    const trail = await AuditTrail.open({ path: join(path, "log"), signingKey: privateKey });
    // one turn: a single batch, so every index entry lists many seqs
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => trail.append(event(i, { timestamp: (i % 6) * DAY }))),
    );
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await trail.query(
        { actor: "agent-1" },
        { limit: 7, ...(cursor ? { cursor } : {}) },
      );
      seen.push(...page.records.map((r) => r.seq));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i * 3 + 1));
    const inTime = await trail.query({ from: 2 * DAY, to: 3 * DAY }, { limit: 4 });
    expect(inTime.index).toBe("t");
    expect(inTime.records.map((r) => r.seq)).toEqual([2, 8, 14, 20]);
    const rest = await trail.query({ from: 2 * DAY, to: 3 * DAY }, { cursor: inTime.next! });
    expect(rest.records.map((r) => r.seq)).toEqual([26, 32, 38, 44, 50, 56]);
    expect(await trail.stats()).toMatchObject({ total: 60, byLevel: { critical: 12, low: 48 } });
    expect(await trail.stats({ from: 0, to: DAY })).toMatchObject({ total: 10 });
    // prune every record of day 0 and 1 (none critical survive the rule) from inside the lists
    const res = await new RetentionPolicy({ rules: [], defaultDays: 1 }).apply(trail, {
      archiveDir: join(path, "archive"),
      now: 2 * DAY + 1,
    });
    expect(res.expired).toBe(20);
    const left = (await trail.query({ actor: "agent-1" }, { limit: 100 })).records.map(
      (r) => r.seq,
    );
    expect(left).toEqual(seen.filter((s) => s % 6 >= 2));
    expect((await trail.stats()).total).toBe(41);
    expect((await trail.verify()).problems).toEqual([]);
    await trail.close();
  });

  it("archives then prunes expired records; archive and remaining log both verify", async () => {
    const path = tmp();
    const archiveDir = join(path, "archive");
    const clock = new ManualClock(0);
    const trail = await AuditTrail.open({ path: join(path, "log"), signingKey: privateKey, clock });
    for (let i = 0; i < 40; i++) await trail.append(event(i, { timestamp: i * DAY }));
    const policy = RetentionPolicy.defaults();
    expect(policy.warnings()).toEqual([
      "default retention of 90 days is below the 6 months the EU AI Act requires",
    ]);
    clock.set(130 * DAY);
    const dry = await policy.apply(trail, { archiveDir, dryRun: true, now: clock.now() });
    // records older than 90 days that are not critical (every 5th is) expire
    const expected = Array.from({ length: 40 }, (_, i) => i).filter(
      (i) => i < 40 && 130 - i > 90 && i % 5 !== 0,
    );
    expect(dry.expired).toBe(expected.length);
    expect(readdirSync(path)).toEqual(["log"]);
    const res = await policy.apply(trail, { archiveDir, now: clock.now() });
    expect(res.archive).toBeDefined();
    expect(trail.storage.get(1)).toBeUndefined();
    expect(trail.storage.get(5)?.seq).toBe(5);
    expect(
      (await trail.query({ actor: "agent-1" })).records.every((r) => !expected.includes(r.seq)),
    ).toBe(true);
    const report = await trail.verify();
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, pruned: expected.length, size: 41 });
    const archived = await verifyExport(res.archive!, { publicKey });
    expect(archived.problems).toEqual([]);
    expect(archived).toMatchObject({ ok: true, checked: expected.length });
    expect(new RetentionPolicy({ rules: [{ type: "auth.*", days: 30 }] }).warnings()[0]).toBe(
      "retention of 30 days for type `auth.*` is below the 6 months the EU AI Act requires",
    );
    await trail.close();
  });
});
