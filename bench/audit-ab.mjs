// Committed appends/s of two (or more) builds of the audit trail, measured in one process, burst
// by burst in turn (one log per build, growing side by side), so that the machine's drift — ±20–30%
// within minutes here — hits them alike. Separate runs of bench/audit.mjs cannot tell a 10% change.
//   npm run build && cp -r dist /tmp/before   # … change, build again …
//   node bench/audit-ab.mjs /tmp/before dist [more dist copies] [--records 200000]
// Each argument is a compiled tree (a copy of dist/); its runtime/audit/index.js is loaded. The copy
// must sit where it can resolve the root's node_modules (inside the repository, or symlink them).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { appendInTurn, appendsTable } from "./lib/in-turn.mjs";
import { ensureBuilt, ROOT } from "./lib/paracle.mjs";

const args = process.argv.slice(2);
const at = args.indexOf("--records");
const N = at >= 0 ? Number(args[at + 1]) : 200_000;
const builds = args.filter((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1));
if (builds.length === 0 || !Number.isInteger(N) || N <= 0) {
  console.error("usage: node bench/audit-ab.mjs <dist copy> [<dist copy> …] [--records N]");
  process.exit(2);
}
ensureBuilt();
const BURST = 2_000;
const WARM = 20_000; // records per log before timing starts
const { uuidv7 } = await import(join(ROOT, "dist", "runtime", "ids", "uuid7.js"));

const root = mkdtempSync(join(tmpdir(), "paracle-audit-ab-"));
try {
  const logs = [];
  for (const dir of builds) {
    const url = pathToFileURL(join(resolve(dir), "runtime", "audit", "index.js")).href;
    const { AuditTrail } = await import(url);
    const trail = await AuditTrail.open({ path: join(root, String(logs.length)) });
    logs.push({ name: dir, trail, id: () => uuidv7() });
  }
  await appendInTurn(logs, { records: N + WARM, burst: BURST, warm: WARM });
  console.log(appendsTable(logs, "build", logs[0]));
  console.log(
    `\n${N.toLocaleString("en")} timed records per log after ${WARM.toLocaleString("en")} untimed, bursts of ${BURST}, the logs in turn.`,
  );
  for (const log of logs) await log.trail.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
