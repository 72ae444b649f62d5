import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import canonicalizeModule from "canonicalize";
import { open } from "lmdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditTrail, CompactRange, IntegrityVerifier, leafHash } from "../runtime/audit/index.js";
import { AuditStorage } from "../runtime/audit/storage.js";

const canonicalize = canonicalizeModule as unknown as (x: unknown) => string;
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const N = 40;
const tmp = mkdtempSync(join(tmpdir(), "paracle-audit-tamper-"));
const pristine = join(tmp, "pristine");
let copies = 0;

beforeAll(async () => {
  const trail = await AuditTrail.open({
    path: pristine,
    signingKey: privateKey,
    clock: { now: () => 1_700_000_000_000 },
  });
  for (let i = 0; i < N; i++) {
    await trail.append({
      type: i % 5 === 0 ? "policy.evaluation" : "agent.action",
      actor: { id: `agent-${i % 3}`, kind: "agent" },
      action: "db.delete",
      resource: `table/${i}`,
      risk: { score: i, level: "high" },
      policy: { decision: "deny", matched: ["no-delete"], bundle: "b".repeat(64) },
      outcome: "denied",
      context: { i, note: "x" },
      correlation_id: `c-${i}`,
      session_id: "s-1",
      workflow_id: "w-1",
    });
    if (i === 29) await trail.checkpoint();
  }
  await trail.checkpoint();
  await trail.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the pristine log, its raw LMDB dbs opened directly, `tamper` applied. */
async function tampered(
  tamper: (db: {
    records: ReturnType<typeof openRaw>["records"];
    tree: ReturnType<typeof openRaw>["tree"];
  }) => void,
) {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(pristine, dir, { recursive: true });
  const raw = openRaw(dir);
  raw.env.transactionSync(() => tamper(raw));
  await raw.env.close();
  const storage = AuditStorage.open(dir);
  try {
    return await new IntegrityVerifier(storage).verify({ publicKey });
  } finally {
    await storage.close();
  }
}

function openRaw(dir: string) {
  const env = open({ path: dir, maxDbs: 8 });
  return {
    env,
    records: env.openDB<Buffer, number>({ name: "records", encoding: "binary" }),
    tree: env.openDB<Buffer, [number, number]>({ name: "tree", encoding: "binary" }),
  };
}

type Rec = Record<string, unknown>;
const read = (v: Buffer): Rec => JSON.parse(v.subarray(32).toString("utf8"));
const write = (hash: Buffer, r: Rec) => Buffer.concat([hash, Buffer.from(canonicalize(r))]);
const rehash = (r: Rec) => {
  const bytes = Buffer.from(canonicalize(r));
  return Buffer.concat([leafHash(bytes), bytes]);
};

const EDITS: [string, (r: Rec) => void][] = [
  ["v", (r) => (r.v = 2)],
  ["timestamp", (r) => (r.timestamp = (r.timestamp as number) + 1)],
  ["type", (r) => (r.type = "system.start")],
  ["actor.id", (r) => ((r.actor as Rec).id = "mallory")],
  ["actor.kind", (r) => ((r.actor as Rec).kind = "user")],
  ["action", (r) => (r.action = "db.read")],
  ["resource", (r) => (r.resource = "table/x")],
  ["risk.score", (r) => ((r.risk as Rec).score = 0)],
  ["risk.level", (r) => ((r.risk as Rec).level = "low")],
  ["policy.decision", (r) => ((r.policy as Rec).decision = "allow")],
  ["policy.matched", (r) => ((r.policy as Rec).matched = [])],
  ["policy.bundle", (r) => ((r.policy as Rec).bundle = "c".repeat(64))],
  ["outcome", (r) => (r.outcome = "success")],
  ["context", (r) => ((r.context as Rec).note = "y")],
  ["context (new key)", (r) => ((r.context as Rec).extra = true)],
  ["correlation_id", (r) => (r.correlation_id = "c-x")],
  ["session_id", (r) => (r.session_id = "s-2")],
  ["workflow_id", (r) => (r.workflow_id = "w-2")],
  ["prev_hash", (r) => (r.prev_hash = "f".repeat(64))],
  ["field removed", (r) => delete r.resource],
];

describe("tamper detection on a real LMDB file", () => {
  it("verifies the untouched log", async () => {
    const report = await tampered(() => {});
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, size: N, checkpointsChecked: 2 });
  });

  it.each(EDITS.map(([field, edit], i) => [field, edit, (i * 7) % N] as const))(
    "detects and locates a change of %s (record %#)",
    async (_field, edit, seq) => {
      const report = await tampered(({ records }) => {
        const v = records.getBinary(seq)!;
        const r = read(Buffer.from(v));
        edit(r);
        records.putSync(seq, write(Buffer.from(v.subarray(0, 32)), r));
      });
      expect(report.ok).toBe(false);
      expect(report.firstBad).toMatchObject({ kind: "modified", seq });
    },
  );

  it("locates a record whose hash was recomputed after the change (the next record's link breaks)", async () => {
    const report = await tampered(({ records }) => {
      const r = read(Buffer.from(records.getBinary(12)!));
      (r.context as Rec).note = "forged";
      records.putSync(12, rehash(r));
    });
    expect(report.firstBad).toMatchObject({ kind: "modified", seq: 12 });
    expect(report.firstBad?.message).toContain("record 13 does not link to record 12");
  });

  it("detects a rebuilt chain through the signed checkpoint roots", async () => {
    const report = await tampered(({ records, tree }) => {
      let prev = Buffer.from(records.getBinary(9)!.subarray(0, 32)).toString("hex");
      for (let s = 10; s < N; s++) {
        const r = read(Buffer.from(records.getBinary(s)!));
        if (s === 10) (r.context as Rec).note = "forged";
        r.prev_hash = prev;
        const v = rehash(r);
        records.putSync(s, v);
        prev = v.subarray(0, 32).toString("hex");
      }
      // a careful forger also rewrites every stored subtree
      const range = new CompactRange();
      for (const { value } of records.getRange({})) {
        for (const n of range.push(Buffer.from(value.subarray(0, 32))).slice(1)) {
          tree.putSync([n.level, n.index], Buffer.from(n.hash));
        }
      }
    });
    expect(report.ok).toBe(false);
    // only the signed roots catch it: located to the records since the last matching checkpoint
    expect(report.problems.map((p) => p.kind)).toEqual(["modified", "modified"]);
    expect(report.firstBad!.message).toMatch(
      /^the first 30 records hash to root .* a record in 0\.\.29 was changed$/,
    );
  });

  it("detects and locates a deleted record", async () => {
    const report = await tampered(({ records }) => records.removeSync(17));
    expect(report.firstBad).toMatchObject({ kind: "missing", seq: 17 });
  });

  it("detects and locates two swapped records", async () => {
    const report = await tampered(({ records }) => {
      const a = Buffer.from(records.getBinary(5)!);
      const b = Buffer.from(records.getBinary(21)!);
      records.putSync(5, b);
      records.putSync(21, a);
    });
    expect(report.firstBad).toMatchObject({ kind: "reordered", seq: 5 });
    expect(report.problems.some((p) => p.kind === "reordered" && p.seq === 21)).toBe(true);
  });

  it("detects and locates an inserted record (later records shifted by one)", async () => {
    const report = await tampered(({ records }) => {
      const values = [...records.getRange({ start: 8 })].map((e) => Buffer.from(e.value));
      const forged = read(values[0]!);
      forged.actor = { id: "mallory", kind: "user" };
      forged.prev_hash = Buffer.from(records.getBinary(7)!.subarray(0, 32)).toString("hex");
      records.putSync(8, rehash(forged));
      for (const [i, v] of values.entries()) records.putSync(9 + i, v);
    });
    expect(report.firstBad).toMatchObject({ kind: "inserted", seq: 8 });
  });

  it("detects a tail truncated after a checkpoint", async () => {
    const report = await tampered(({ records }) => {
      for (let s = 33; s < N; s++) records.removeSync(s);
    });
    expect(report.firstBad).toMatchObject({ kind: "truncated", seq: 33 });
  });

  it("detects a modified stored hash and a modified Merkle node", async () => {
    const a = await tampered(({ records }) => {
      const v = Buffer.from(records.getBinary(3)!);
      v[0]! ^= 1;
      records.putSync(3, v);
    });
    expect(a.firstBad).toMatchObject({ kind: "modified", seq: 3 });
    const b = await tampered(({ tree }) => {
      // subtrees are stored at levels 4, 8, …: [4, 1] covers records 16–31
      const v = Buffer.from(tree.getBinary([4, 1])!);
      v[5]! ^= 1;
      tree.putSync([4, 1], v);
    });
    expect(b.firstBad).toMatchObject({ kind: "modified", seq: 16 });
  });

  it("rejects checkpoints not signed by the given key", async () => {
    const storage = AuditStorage.open(pristine);
    try {
      const other = generateKeyPairSync("ed25519").publicKey;
      const report = await new IntegrityVerifier(storage).verify({ publicKey: other });
      expect(report.firstBad?.kind).toBe("bad-signature");
    } finally {
      await storage.close();
    }
  });
});
