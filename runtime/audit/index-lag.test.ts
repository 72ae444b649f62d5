// The index lags the records (trail.ts): queries, stats and exports read the unindexed tail, a
// reopened writer rebuilds lost postings, and no record is ever listed twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { CompactRange, type TreeNode } from "./compact-range.js";
import { AuditExporter } from "./export/index.js";
import {
  consistencyProof,
  inclusionProof,
  merkleRoot,
  verifyConsistency,
  verifyInclusionHash,
} from "./merkle.js";
import { AuditTrail, INDEX_BATCH_RECORDS, INDEX_MAX_DELAY_MS } from "./trail.js";
import type { AuditEventInput, AuditRecord } from "./types.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "paracle-audit-index-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const event = (actor: number, i: number): AuditEventInput => ({
  type: "agent.action",
  actor: { id: `agent-${actor}`, kind: "agent" },
  action: i % 2 ? "db.delete" : "db.read",
  outcome: i % 3 ? "success" : "denied",
  correlation_id: `c-${i}`,
});

/** Every record of `actor`, page by page (`limit` per page), as seqs. */
async function byActor(trail: AuditTrail, actor: string, limit: number): Promise<number[]> {
  const out: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await trail.query({ actor }, { limit, ...(cursor ? { cursor } : {}) });
    out.push(...page.records.map((r: AuditRecord) => r.seq));
    if (!page.next) return out;
    cursor = page.next;
  }
  throw new Error("no end of pages");
}

describe("lagging index", () => {
  it("answers queries, stats and time exports from the unindexed tail until the entries are written", async () => {
    const path = tmp();
    const clock = new ManualClock(5_000);
    const trail = await AuditTrail.open({ path, clock });
    for (let i = 0; i < 10; i++) {
      clock.advance(10);
      await trail.append(event(i % 2, i));
    }
    // committed, not yet indexed
    expect(trail.storage.indexedUpTo()).toBe(0);
    expect([...trail.storage.index.getKeys({})]).toEqual([]);
    expect(await byActor(trail, "agent-1", 3)).toEqual([1, 3, 5, 7, 9]);
    const stats = await trail.stats();
    expect(stats.total).toBe(10);
    expect(stats.topActors).toEqual([
      { id: "agent-0", count: 5 },
      { id: "agent-1", count: 5 },
    ]);
    expect(stats.byOutcome).toEqual({ denied: 4, success: 6 });
    expect((await trail.stats({ from: 5_030, to: 5_060 })).total).toBe(3);
    const exported = [...new AuditExporter(trail.storage).records({ since: 5_050 })];
    expect(exported.map((r) => r.seq)).toEqual([4, 5, 6, 7, 8, 9]);

    await trail.flushIndex();
    expect(trail.storage.indexedUpTo()).toBe(10);
    expect(trail.storage.meta.get("indexed")).toBe(10);
    // the same answers from the index, nothing twice
    expect(await byActor(trail, "agent-1", 3)).toEqual([1, 3, 5, 7, 9]);
    expect((await trail.stats()).total).toBe(10);
    expect((await trail.stats({ from: 5_030, to: 5_060 })).total).toBe(3);
    expect([...new AuditExporter(trail.storage).records({ since: 5_050 })]).toHaveLength(6);
    await trail.close();
  });

  it("writes the pending entries on their own within INDEX_MAX_DELAY_MS, and with a commit past INDEX_BATCH_RECORDS", async () => {
    const trail = await AuditTrail.open({ path: tmp() });
    await trail.append(event(0, 0));
    expect(trail.storage.indexedUpTo()).toBe(0);
    await new Promise((r) => setTimeout(r, INDEX_MAX_DELAY_MS + 30));
    expect(trail.storage.indexedUpTo()).toBe(1);

    let last: Promise<AuditRecord> | undefined;
    for (let i = 1; i <= INDEX_BATCH_RECORDS; i++) last = trail.append(event(i % 5, i));
    await last;
    // one group commit of 1,024 records carried the entries of all 1,025
    expect(trail.storage.indexedUpTo()).toBe(INDEX_BATCH_RECORDS + 1);
    expect(await byActor(trail, "agent-0", 1000)).toHaveLength(205); // seq 0 and every 5th of 1..1024
    await trail.close();
  });

  it("rebuilds the postings a writer lost (crash) when the log is reopened, and another writer then adds none twice", async () => {
    const path = tmp();
    const a = await AuditTrail.open({ path });
    let last: Promise<AuditRecord> | undefined;
    for (let i = 0; i < 50; i++) last = a.append(event(i % 4, i));
    await last;
    expect(a.storage.indexedUpTo()).toBe(0);
    // a second writer opening the log (a restart after a crash looks the same) indexes the tail
    const b = await AuditTrail.open({ path });
    expect(b.storage.indexedUpTo()).toBe(50);
    // the first writer's pending postings are now stale: it must not write them again
    await a.append(event(1, 50));
    await a.flushIndex();
    expect(a.storage.indexedUpTo()).toBe(51);
    expect(await byActor(a, "agent-1", 7)).toEqual([
      1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 50,
    ]);
    expect((await a.stats()).total).toBe(51);

    // the same inside a group commit that carries the index (its own records are read back)
    await a.append(event(2, 51)); // pending in a from 51
    const c = await AuditTrail.open({ path }); // indexes 0..51 behind a's back
    let p: Promise<AuditRecord> | undefined;
    for (let i = 52; i < 52 + INDEX_BATCH_RECORDS; i++) p = a.append(event(i % 4, i));
    await p;
    expect(a.storage.indexedUpTo()).toBe(52 + INDEX_BATCH_RECORDS);
    const agent2 = await byActor(a, "agent-2", 100);
    expect(agent2).toHaveLength(new Set(agent2).size); // nothing twice
    expect(agent2).toHaveLength(12 + 1 + INDEX_BATCH_RECORDS / 4); // seqs 2..46, 51, 54..1074 step 4
    expect((await a.verify()).ok).toBe(true);
    await a.close();
    await b.close();
    await c.close();
  });

  it("gives a log written before the index lagged a watermark when a writer opens it", async () => {
    const path = tmp();
    const old = await AuditTrail.open({ path });
    for (let i = 0; i < 3; i++) await old.append(event(0, i));
    await old.close();
    // as written by the first format: fully indexed, no watermark
    const { AuditStorage } = await import("./storage.js");
    const s = AuditStorage.open(path);
    await s.meta.remove("indexed");
    await s.close();
    const t = await AuditTrail.open({ path });
    expect(t.storage.meta.get("indexed")).toBe(3);
    await t.append(event(1, 3)); // then the writer crashes before its index is written
    const after = await AuditTrail.open({ path });
    expect(await byActor(after, "agent-1", 10)).toEqual([3]);
    await after.close();
    await t.close();
  });

  it("proves and verifies records whose subtrees are not stored yet, and reports a missing stored one", async () => {
    const path = tmp();
    const trail = await AuditTrail.open({ path });
    let last: Promise<AuditRecord> | undefined;
    const hashes: string[] = [];
    for (let i = 0; i < 37; i++) {
      last = trail.append(event(i % 3, i));
      void last.then((r) => {
        hashes[r.seq] = r.hash;
      });
    }
    await last;
    expect([...trail.storage.tree.getKeys({})]).toEqual([]); // nothing stored yet
    const root = trail.root();
    for (const seq of [0, 5, 36]) {
      const proof = trail.inclusionProof(seq);
      expect(verifyInclusionHash(Buffer.from(hashes[seq]!, "hex"), seq, 37, proof, root)).toBe(
        true,
      );
    }
    expect(verifyConsistency(10, 37, trail.consistencyProof(10), trail.root(10), root)).toBe(true);
    expect((await trail.verify()).ok).toBe(true);

    await trail.flushIndex();
    // of the 37 - popcount(37) = 34 subtrees 37 leaves complete, those of level 4 are stored
    expect([...trail.storage.tree.getKeys({})]).toEqual([
      [4, 0],
      [4, 1],
    ]);
    expect(Buffer.from(trail.root())).toEqual(Buffer.from(root));
    expect((await trail.verify()).ok).toBe(true);
    for (const seq of [0, 5, 36]) {
      const proof = trail.inclusionProof(seq);
      expect(verifyInclusionHash(Buffer.from(hashes[seq]!, "hex"), seq, 37, proof, root)).toBe(
        true,
      );
    }

    // below meta.indexed a subtree of a stored level must be stored: deleting one is reported
    await trail.storage.tree.remove([4, 1]);
    const report = await trail.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: "modified" });
    await trail.close();
  });

  it("property: queries list every record of an actor exactly once, in order, whatever the index lag", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("append" as const), actor: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant("burst" as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.constant({ kind: "flush" as const }),
      fc.constant({ kind: "reopen" as const }),
      fc.record({
        kind: fc.constant("query" as const),
        actor: fc.integer({ min: 0, max: 3 }),
        limit: fc.integer({ min: 1, max: 9 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const path = tmp();
        let trail = await AuditTrail.open({ path });
        const model: number[][] = [[], [], [], []];
        let seq = 0;
        try {
          for (const o of ops) {
            if (o.kind === "append") {
              model[o.actor]!.push(seq);
              await trail.append(event(o.actor, seq++));
            } else if (o.kind === "burst") {
              let p: Promise<AuditRecord> | undefined;
              for (let i = 0; i < o.n; i++) {
                model[seq % 4]!.push(seq);
                p = trail.append(event(seq % 4, seq++));
              }
              await p;
            } else if (o.kind === "flush") {
              await trail.flushIndex();
              expect(trail.storage.indexedUpTo()).toBe(seq);
            } else if (o.kind === "reopen") {
              // a crash: the pending postings are dropped (the old writer is never flushed)
              trail = await AuditTrail.open({ path });
              expect(trail.storage.indexedUpTo()).toBe(seq);
            } else {
              expect(await byActor(trail, `agent-${o.actor}`, o.limit)).toEqual(model[o.actor]);
            }
          }
          for (let a = 0; a < 4; a++) {
            expect(await byActor(trail, `agent-${a}`, 5)).toEqual(model[a]);
          }
          expect((await trail.stats()).total).toBe(seq);
          // the chain and the tree verify whatever part of the subtrees is stored
          expect((await trail.verify()).ok).toBe(true);
        } finally {
          await trail.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it("property: proofs and verification from the stored levels (4, 8, …) equal the in-memory tree's, also for logs that stored every level", async () => {
    // one log, grown burst by burst; at each size the proofs come from storage (stored levels,
    // computed levels, the unindexed tail) and are compared with the reference over the leaves
    const path = tmp();
    const trail = await AuditTrail.open({ path });
    const leaves: Buffer[] = []; // leaf hashes, as stored
    const data: Buffer[] = []; // the records' canonical bytes: the reference hashes them itself
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        async (n, flush, everyLevel, a, b) => {
          let last: Promise<AuditRecord> | undefined;
          for (let k = 0; k < n; k++) last = trail.append(event(k % 3, i++));
          const r = await last!;
          for (let seq = leaves.length; seq <= r.seq; seq++) {
            leaves.push(trail.storage.leafHash(seq)!);
            data.push(Buffer.from(trail.storage.records.getBinary(seq)!.subarray(32)));
          }
          if (flush) await trail.flushIndex();
          if (everyLevel) {
            // what logs written before the sparse tree hold: every completed subtree of level ≥ 1
            const indexed = trail.storage.indexedUpTo();
            const range = new CompactRange();
            const nodes: TreeNode[] = [];
            for (const leaf of leaves.slice(0, indexed)) range.pushInto(leaf, nodes);
            for (const node of nodes)
              await trail.storage.tree.put([node.level, node.index], Buffer.from(node.hash));
          }
          const size = leaves.length;
          const seq = a % size;
          const m = b % (size + 1);
          const root = Buffer.from(merkleRoot(data));
          expect(Buffer.from(trail.root())).toEqual(root);
          expect(trail.inclusionProof(seq).map((h) => Buffer.from(h))).toEqual(
            inclusionProof(data, seq).map((h) => Buffer.from(h)),
          );
          expect(trail.consistencyProof(m).map((h) => Buffer.from(h))).toEqual(
            consistencyProof(data, m).map((h) => Buffer.from(h)),
          );
          expect(Buffer.from(trail.storage.compactRange(size).root())).toEqual(root);
          expect((await trail.verify()).ok).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
    await trail.close();
  });

  it("reports a modified subtree of an unstored level when a log written before the sparse tree holds it", async () => {
    const path = tmp();
    const trail = await AuditTrail.open({ path });
    let last: Promise<AuditRecord> | undefined;
    for (let i = 0; i < 20; i++) last = trail.append(event(i % 3, i));
    await last;
    await trail.flushIndex();
    const range = new CompactRange();
    const nodes: TreeNode[] = [];
    for (let seq = 0; seq < 20; seq++) range.pushInto(trail.storage.leafHash(seq)!, nodes);
    for (const node of nodes)
      await trail.storage.tree.put([node.level, node.index], Buffer.from(node.hash));
    expect((await trail.verify()).ok).toBe(true);
    const v = Buffer.from(trail.storage.tree.getBinary([2, 3])!);
    v[0] = v[0]! ^ 1;
    await trail.storage.tree.put([2, 3], v);
    const report = await trail.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: "modified", seq: 12 });
    await trail.close();
  });
});
