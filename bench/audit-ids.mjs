// Why the sidecar's correlation ids are UUIDv7: committed appends with random v4 ids, time-ordered
// v7 ids and short sequential ids, measured in one process, burst by burst in turn (three logs
// growing side by side), so that the machine's drift hits the three alike. The audit log indexes
// each record's correlation id; where those ids land in the index B-tree decides how many pages
// each index write dirties.
//   npm run build && node bench/audit-ids.mjs [records per log, default 300000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendInTurn, appendsTable } from "./lib/in-turn.mjs";
import { ensureBuilt, ROOT } from "./lib/paracle.mjs";

ensureBuilt();
const { AuditTrail } = await import(join(ROOT, "dist", "runtime", "audit", "index.js"));
const { uuidv7 } = await import(join(ROOT, "dist", "runtime", "ids", "uuid7.js"));

const N = Number(process.argv[2] ?? 300_000);
const BURST = 2_000;
const WARM = 20_000; // records per log before timing starts
const kinds = {
  "random (UUIDv4)": () => crypto.randomUUID(),
  "time-ordered (UUIDv7, the sidecar's)": () => uuidv7(),
  "sequential (`req-N`)": (i) => `req-${i}`,
};

const root = mkdtempSync(join(tmpdir(), "paracle-audit-ids-"));
try {
  const logs = [];
  for (const [name, id] of Object.entries(kinds))
    logs.push({
      name,
      id,
      trail: await AuditTrail.open({ path: join(root, String(logs.length)) }),
    });
  await appendInTurn(logs, { records: N, burst: BURST, warm: WARM });
  console.log(appendsTable(logs, "correlation ids", logs[1]));
  console.log(
    `\n${N.toLocaleString("en")} records per log, bursts of ${BURST}, the three logs in turn; the first ${WARM.toLocaleString("en")} of each untimed.`,
  );
  for (const log of logs) await log.trail.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
