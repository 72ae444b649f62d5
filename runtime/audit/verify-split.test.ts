import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "lmdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditStorage } from "./storage.js";
import { AuditTrail } from "./trail.js";
import { IntegrityVerifier, inlineRecords, type RecordRunner } from "./verify.js";

// The split walk (record side of the tail on another thread, merged back) must give exactly the
// report of the single loop — for every split point, under every kind of tampering, with the
// problem cap. The worker itself is compiled JS; here the same runner runs inline.
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const N = 24;
const tmp = mkdtempSync(join(tmpdir(), "paracle-audit-split-"));
const pristine = join(tmp, "pristine");
let copies = 0;

beforeAll(async () => {
  const trail = await AuditTrail.open({ path: pristine, signingKey: privateKey });
  for (let i = 0; i < N; i++) {
    await trail.append({
      type: "agent.action",
      actor: { id: `a-${i % 3}`, kind: "agent" },
      outcome: "success",
    });
    if (i === 9 || i === 16) await trail.checkpoint();
  }
  await trail.checkpoint();
  await trail.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Dbs = {
  records: import("lmdb").Database<Buffer, number>;
  tree: import("lmdb").Database<Buffer, [number, number]>;
};

const TAMPERS: [string, (db: Dbs) => void][] = [
  ["nothing", () => {}],
  [
    "a body byte",
    ({ records }) => {
      const v = Buffer.from(records.getBinary(11)!);
      v[v.length - 3] = v[v.length - 3]! ^ 1;
      records.putSync(11, v);
    },
  ],
  [
    "a stored hash",
    ({ records }) => {
      const v = Buffer.from(records.getBinary(5)!);
      v[0] = v[0]! ^ 1;
      records.putSync(5, v);
    },
  ],
  ["a deleted record", ({ records }) => records.removeSync(12)],
  [
    "two deleted records",
    ({ records }) => {
      records.removeSync(3);
      records.removeSync(13);
    },
  ],
  [
    "a swap",
    ({ records }) => {
      const a = Buffer.from(records.getBinary(7)!);
      const b = Buffer.from(records.getBinary(8)!);
      records.putSync(7, b);
      records.putSync(8, a);
    },
  ],
  [
    "an insertion (records shifted up)",
    ({ records }) => {
      for (let s = N - 1; s >= 14; s--) records.putSync(s + 1, Buffer.from(records.getBinary(s)!));
      records.putSync(14, Buffer.from(records.getBinary(2)!));
    },
  ],
  [
    "a tree node",
    ({ tree }) => {
      const v = Buffer.from(tree.getBinary([4, 0])!);
      v[0] = v[0]! ^ 1;
      tree.putSync([4, 0], v);
    },
  ],
  [
    "a truncated tail",
    ({ records }) => {
      records.removeSync(23);
      records.removeSync(22);
    },
  ],
  ["a stub outside any pruned range", ({ records }) => records.putSync(15, Buffer.alloc(32, 7))],
];

async function tampered(tamper: (db: Dbs) => void): Promise<string> {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(pristine, dir, { recursive: true });
  const env = open({ path: dir, maxDbs: 8 });
  const records = env.openDB<Buffer, number>({ name: "records", encoding: "binary" });
  const tree = env.openDB<Buffer, [number, number]>({ name: "tree", encoding: "binary" });
  env.transactionSync(() => tamper({ records, tree }));
  await env.close();
  return dir;
}

const comparable = ({ ms: _ms, ...report }: { ms: number }) => report;

describe("split verification walk", () => {
  it.each(TAMPERS)(
    "gives the single loop's report at every split point: %s",
    async (_n, tamper) => {
      const storage = AuditStorage.open(await tampered(tamper));
      try {
        const total = storage.size();
        for (const maxProblems of [100, 1, 2]) {
          const opts = { publicKey, maxProblems };
          const single = comparable(await new IntegrityVerifier(storage).verify(opts));
          let runs = 0;
          const recordRunner: RecordRunner = (...args) => {
            runs++;
            return inlineRecords(...args);
          };
          for (let mid = 0; mid < total; mid++) {
            const workerShare = 1 - (mid + 0.5) / total;
            const split = new IntegrityVerifier(storage, {
              parallelFrom: 1,
              workerShare,
              recordRunner,
            });
            expect(comparable(await split.verify(opts)), `split at ${mid}`).toEqual(single);
          }
          expect(runs).toBe(total);
        }
      } finally {
        await storage.close();
      }
    },
  );

  it("stays single-threaded below the threshold", async () => {
    const storage = AuditStorage.open(await tampered(() => {}));
    try {
      let runs = 0;
      const recordRunner: RecordRunner = (...args) => {
        runs++;
        return inlineRecords(...args);
      };
      const report = await new IntegrityVerifier(storage, { recordRunner }).verify({ publicKey });
      expect(report).toMatchObject({ ok: true, size: N, checked: N, checkpointsChecked: 3 });
      expect(runs).toBe(0);
    } finally {
      await storage.close();
    }
  });
});
